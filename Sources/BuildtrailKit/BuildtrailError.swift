import Foundation

/// A failure a user can act on: each message is one line naming the thing and the fix.
public enum BuildtrailError: Error, LocalizedError, Equatable {
  case emptyLog(String)
  case binaryLog(String)
  case noBuildFound(String, lines: Int)
  case cannotReadLog(String, reason: String)
  case cannotRunCommand(String, reason: String)
  case invalidArgument(String)

  public var errorDescription: String? {
    switch self {
    case .emptyLog(let path):
      return "\(Self.name(path)) is empty: nothing to record; pass the output of `docker build --progress=plain`"
    case .binaryLog(let path):
      return "\(Self.name(path)) is a binary file (it holds NUL bytes), not a build log; pass the output of `docker build --progress=plain`"
    case .noBuildFound(let path, let lines):
      return "no BuildKit, rawjson, tty or legacy build found in \(Self.name(path)) (\(lines) lines read); record the output of `docker build --progress=plain`"
    case .cannotReadLog(let path, let reason):
      return "cannot read \(Self.name(path)): \(reason)"
    case .cannotRunCommand(let command, let reason):
      return "cannot run `\(command)`: \(reason); check that it is installed and on PATH"
    case .invalidArgument(let message):
      return message
    }
  }

  static func name(_ path: String) -> String { path == "-" ? "standard input" : path }
}
