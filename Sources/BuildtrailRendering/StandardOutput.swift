import BuildtrailKit
import Foundation

/// Writes command output with `write(2)` and reports failures, so that `buildtrail builds > /dev/full`
/// fails instead of exiting 0 with its output lost.
public enum StandardOutput {
  /// Why output could not be written.
  public struct WriteError: Error, LocalizedError, Equatable {
    /// The `errno` of the failed `write(2)`.
    public var errno: Int32
    /// `cannot write standard output: REASON`, with `strerror`'s reason.
    public var errorDescription: String? {
      "cannot write standard output: \(String(cString: strerror(errno)))"
    }
  }

  /// Writes all of `text` to `fd` (standard output by default), retrying short writes and `EINTR`.
  /// Returns false when the reader went away (`EPIPE`, as with `| head`): the caller stops writing
  /// quietly. Throws ``WriteError`` for any other failure, such as `ENOSPC`.
  @discardableResult
  public static func write(_ text: String, to fd: Int32 = STDOUT_FILENO) throws -> Bool {
    ignoreBrokenPipe
    var bytes = Array(text.utf8)
    return try bytes.withUnsafeMutableBytes { buffer -> Bool in
      var offset = 0
      while offset < buffer.count {
        let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          let code = errno
          if code == EINTR || code == EAGAIN { continue }
          if code == EPIPE { return false }
          throw WriteError(errno: code)
        }
        offset += n
      }
      return true
    }
  }

  /// `SIGPIPE` kills the process on a closed pipe before `write` can report `EPIPE`; ignore it once.
  private static let ignoreBrokenPipe: Void = { signal(SIGPIPE, SIG_IGN) }()
}
