import Foundation

/// A file an upload part is written to as it arrives, through a buffer of 256 KiB, never whole in
/// memory. Created new (never over an existing file) and readable by its owner only.
final class PartFile {
  let path: String
  private var fd: Int32
  private static let bufferBytes = 256 << 10
  private let buffer: UnsafeMutableRawBufferPointer
  private var buffered = 0
  /// The bytes written so far.
  private(set) var bytes: Int64 = 0

  /// - Throws: ``APIError`` 500 naming the file when it cannot be created.
  init(path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw Self.failure(path, errno) }
    self.path = path
    self.fd = fd
    buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferBytes, alignment: 16)
  }

  deinit {
    if fd >= 0 { Foundation.close(fd) }
    buffer.deallocate()
  }

  func write(_ chunk: UnsafeRawBufferPointer) throws {
    bytes += Int64(chunk.count)
    var rest = chunk
    while !rest.isEmpty {
      let n = min(rest.count, buffer.count - buffered)
      UnsafeMutableRawBufferPointer(rebasing: buffer[buffered..<(buffered + n)]).copyMemory(
        from: UnsafeRawBufferPointer(rebasing: rest[..<n]))
      buffered += n
      rest = UnsafeRawBufferPointer(rebasing: rest[n...])
      if buffered == buffer.count { try flush() }
    }
  }

  /// Writes what is buffered and closes the file.
  func close() throws {
    try flush()
    let status = Foundation.close(fd)
    fd = -1
    guard status == 0 else { throw Self.failure(path, errno) }
  }

  private func flush() throws {
    var written = 0
    while written < buffered {
      let n = Foundation.write(fd, buffer.baseAddress! + written, buffered - written)
      if n < 0 {
        if errno == EINTR { continue }
        throw Self.failure(path, errno)
      }
      written += n
    }
    buffered = 0
  }

  private static func failure(_ path: String, _ code: Int32) -> APIError {
    APIError(
      .internalServerError,
      "the server cannot write the upload to \(path): \(String(cString: strerror(code)))")
  }
}
