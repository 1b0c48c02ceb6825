import Foundation

/// A failure a user can act on: each message is one line naming the thing and the fix.
public enum BuildtrailError: Error, LocalizedError, Equatable, Codable {
  case emptyLog(String)
  case binaryLog(String)
  case noBuildFound(String, lines: Int, sample: String? = nil, prefix: String? = nil)
  case cannotReadLog(String, reason: String)
  case cannotRunCommand(String, reason: String)
  case invalidArgument(String)
  /// The command line asked for something that cannot be told apart (exit 64, as a usage error).
  case ambiguous(String)
  /// No step of build `build` (nil: of the builds looked at) matches `selector`.
  case noSuchStep(build: Int64?, selector: String)

  /// The one-line message shown for the error.
  public var errorDescription: String? {
    switch self {
    case .emptyLog(let path):
      return
        "\(Self.name(path)) is empty: nothing to record; pass the output of `docker build --progress=plain`"
    case .binaryLog(let path):
      return
        "\(Self.name(path)) is a binary file (it holds NUL bytes), not a build log; pass the output of `docker build --progress=plain`"
    case .noBuildFound(let path, let lines, let sample, let prefix):
      let tried =
        sample.map {
          "; a line read: `\($0)`, with "
            + (prefix.map { "the line prefix tried: \($0)" }
              ?? "no line prefix found before `#N `, `=> ` or `Step N/M :`")
        } ?? ""
      return
        "no BuildKit, rawjson, tty or legacy build found in \(Self.name(path)) (\(lines) lines read\(tried)); record the output of `docker build --progress=plain`"
    case .cannotReadLog(let path, let reason):
      return "cannot read \(Self.name(path)): \(reason)"
    case .cannotRunCommand(let command, let reason):
      return "cannot run `\(command)`: \(reason); check that it is installed and on PATH"
    case .invalidArgument(let message), .ambiguous(let message):
      return message
    case .noSuchStep(let build?, let selector):
      return
        "build \(build) has no step '\(selector)'; give a vertex number or text from a step name"
    case .noSuchStep(nil, let selector):
      return "no step of these builds matches '\(selector)'"
    }
  }

  /// How messages name a log path: `standard input` for `-`.
  public static func name(_ path: String) -> String { path == "-" ? "standard input" : path }
}
