import Foundation

/// Why reading a build's inputs (context, git, files) failed.
public enum BuildInputsError: Error, LocalizedError, Equatable, Sendable {
  /// No `git` executable was found on PATH.
  case gitNotFound
  /// git refused the repository because another user owns it (`safe.directory`).
  case gitUnsafeRepository(path: String)
  /// A git command exited with an error.
  case gitFailed(command: String, status: Int32, message: String)
  /// The build context is not a directory.
  case notADirectory(path: String)
  /// A file that the build needs does not exist.
  case fileNotFound(path: String)
  /// A file exists but could not be read.
  case unreadable(path: String, reason: String)
  /// A file was expected but a FIFO, device, socket or folder is there.
  case notARegularFile(path: String)

  /// A one-line message naming the problem and the fix.
  public var errorDescription: String? {
    switch self {
    case .gitNotFound:
      return "git was not found on PATH; install git or pass --commit and --branch"
    case .gitUnsafeRepository(let path):
      return
        "git refuses to read \(path) because another user owns it; "
        + "run `git config --global --add safe.directory \(path)`"
    case .gitFailed(let command, let status, let message):
      return "`\(command)` failed with exit status \(status): \(message)"
    case .notADirectory(let path):
      return
        "the build context \(path) is not a directory; pass the directory you give to docker build"
    case .fileNotFound(let path):
      return "\(path) does not exist; check the path passed with -f/--file"
    case .unreadable(let path, let reason):
      return "could not read \(path): \(reason); check its permissions"
    case .notARegularFile(let path):
      return "\(path) is not a regular file (a FIFO, device, socket or folder); it was not read"
    }
  }
}
