import Foundation

/// One upload kept in an ``UploadSpool``: `log`, `upload.json` (an ``UploadMetadata``) and
/// `inputs/SHA256` for each kept input's content.
public struct UploadSpoolEntry: Sendable, Equatable {
  /// The upload's folder.
  public let directory: URL

  /// The upload's folder, as given.
  public init(directory: URL) {
    self.directory = directory
  }

  /// The log file.
  public var log: URL { directory.appendingPathComponent("log") }
  /// The metadata document.
  public var metadata: URL { directory.appendingPathComponent("upload.json") }
  /// The folder of input contents, one file per SHA-256.
  public var inputs: URL { directory.appendingPathComponent("inputs", isDirectory: true) }
  /// The folder's name, which sorts by the time the build was recorded.
  public var name: String { directory.lastPathComponent }

  /// The metadata and the input contents kept with it.
  /// - Throws: when `upload.json` cannot be read or is not such a document.
  public func read() throws -> (upload: UploadMetadata, contents: [String: Data]) {
    let upload = try UploadMetadata.decode(Data(contentsOf: metadata))
    var contents: [String: Data] = [:]
    for sha256 in upload.keptInputs.keys {
      let file = inputs.appendingPathComponent(sha256)
      if let data = try? Data(contentsOf: file) { contents[sha256] = data }
    }
    return (upload, contents)
  }

  /// Locks the upload for this process (nil when another process is sending it); closing the
  /// descriptor unlocks it.
  public func lock() -> Int32? {
    let fd = open(metadata.path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0, FileManager.default.fileExists(atPath: metadata.path)
    else {
      close(fd)
      return nil
    }
    return fd
  }

  /// Deletes the upload: renamed out of sight first, so that a process killed while deleting
  /// never leaves half an upload to send again.
  public func remove() {
    let trash = directory.deletingLastPathComponent().appendingPathComponent(".\(name).sent")
    guard rename(directory.path, trash.path) == 0 else { return }
    try? FileManager.default.removeItem(at: trash)
  }

  /// Moves the upload to `folder` with `reason` in `reason.txt`: the server refused it for good.
  public func reject(into folder: URL, reason: String) {
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try? Data((reason + "\n").utf8).write(to: directory.appendingPathComponent("reason.txt"))
    _ = rename(directory.path, folder.appendingPathComponent(name).path)
  }
}
