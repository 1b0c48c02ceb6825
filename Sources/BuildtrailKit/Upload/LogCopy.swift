import BuildLog
import Foundation

/// Copies a log (standard input, for `-`) into a file, as `record` reads one: in 1 MiB chunks,
/// refusing input whose first MiB shows it is binary and may never end (`/dev/zero`).
public enum LogCopy {
  /// Copies the log at `path` (`-` for standard input) to `destination`.
  /// - Throws: ``BuildtrailError/cannotReadLog(_:reason:)`` or
  ///   ``BuildtrailError/binaryLog(_:)``; `destination` is then removed.
  public static func copy(_ path: String, to destination: URL) throws {
    let fd = open(destination.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw BuildtrailError.cannotReadLog(
        destination.path, reason: String(cString: strerror(errno)))
    }
    var writeError: Int32 = 0
    do {
      let binary = try readChunks(path: path) { chunk in
        var offset = 0
        while writeError == 0, offset < chunk.count {
          let n = write(fd, chunk.baseAddress! + offset, chunk.count - offset)
          if n < 0 {
            if errno != EINTR { writeError = errno }
          } else {
            offset += n
          }
        }
      }
      close(fd)
      if binary { throw BuildtrailError.binaryLog(path) }
      if writeError != 0 {
        throw BuildtrailError.cannotReadLog(
          path,
          reason: "cannot keep it in \(destination.path): \(String(cString: strerror(writeError)))")
      }
    } catch let error as LogReadError {
      close(fd)
      try? FileManager.default.removeItem(at: destination)
      throw BuildtrailError.cannotReadLog(path, reason: String(cString: strerror(error.errno)))
    } catch {
      try? FileManager.default.removeItem(at: destination)
      throw error
    }
  }
}
