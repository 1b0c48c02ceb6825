import AsyncHTTPClient
import BuildtrailKit
import Foundation
import NIOCore

/// The `multipart/form-data` body of `POST /api/v1/builds`: the metadata part, one part per input
/// content the server lacks, then the log, read from its file as it is sent.
struct UploadBody: Sendable {
  let boundary: String
  let head: Data
  let logPath: String
  let logBytes: Int64
  let tail: Data

  /// The body for `upload` with `inputs` (SHA-256 to content) and the log at `logPath`.
  /// - Throws: when the log cannot be read.
  init(upload: UploadMetadata, inputs: [String: Data], logPath: String) throws {
    let boundary =
      "buildtrail-"
      + (0..<4).map { _ in String(UInt32.random(in: 0...UInt32.max), radix: 16) }.joined()
    var head = Data()
    func part(_ disposition: String, _ type: String, _ content: Data?) {
      head += Data("--\(boundary)\r\nContent-Disposition: form-data; \(disposition)\r\n".utf8)
      head += Data("Content-Type: \(type)\r\n\r\n".utf8)
      if let content { head += content + Data("\r\n".utf8) }
    }
    part("name=\"metadata\"", "application/json", try upload.encoded())
    for (sha256, content) in inputs.sorted(by: { $0.key < $1.key }) {
      part("name=\"input\"; filename=\"\(sha256)\"", "application/octet-stream", content)
    }
    part("name=\"log\"; filename=\"log\"", "application/octet-stream", nil)
    self.boundary = boundary
    self.head = head
    self.tail = Data("\r\n--\(boundary)--\r\n".utf8)
    self.logPath = logPath
    let attributes = try FileManager.default.attributesOfItem(atPath: logPath)
    logBytes = (attributes[.size] as? NSNumber)?.int64Value ?? 0
  }

  var contentType: String { "multipart/form-data; boundary=\(boundary)" }

  /// The body to send: its length is known, the log is read in 1 MiB chunks.
  func requestBody() -> HTTPClientRequest.Body {
    let length = Int64(head.count) + logBytes + Int64(tail.count)
    return .stream(Chunks(body: self), length: .known(length))
  }

  /// The head, the log file's chunks, the tail.
  struct Chunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let body: UploadBody

    func makeAsyncIterator() -> Iterator { Iterator(body: body) }

    struct Iterator: AsyncIteratorProtocol {
      let body: UploadBody
      var stage = 0
      var file: FileHandle?
      var sent: Int64 = 0

      mutating func next() async throws -> ByteBuffer? {
        switch stage {
        case 0:
          stage = 1
          file = try FileHandle(forReadingFrom: URL(fileURLWithPath: body.logPath))
          return ByteBuffer(bytes: body.head)
        case 1:
          let remaining = body.logBytes - sent
          let chunk =
            remaining > 0 ? try file?.read(upToCount: Int(Swift.min(remaining, 1 << 20))) : nil
          if let chunk, !chunk.isEmpty {
            sent += Int64(chunk.count)
            return ByteBuffer(bytes: chunk)
          }
          try? file?.close()
          file = nil
          guard sent == body.logBytes else {
            throw ClientError.unreadableLog(
              body.logPath, reason: "it changed size while it was sent")
          }
          stage = 2
          return ByteBuffer(bytes: body.tail)
        default:
          return nil
        }
      }
    }
  }
}
