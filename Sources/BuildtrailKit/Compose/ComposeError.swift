import Foundation

/// Why a compose project could not be read: one line naming the file and what to do.
public enum ComposeError: Error, LocalizedError, Equatable, Sendable {
  /// No compose file was given and none of the default names exists here or above.
  case noComposeFile(directory: String)
  /// A compose file named with `-f`, `COMPOSE_FILE` or `--compose-file` does not exist or is not a file.
  case missingFile(String)
  /// A compose file is larger than ``ComposeYAMLReader/maximumFileBytes``.
  case tooLarge(String, bytes: Int)
  /// A compose file is not valid YAML, or not the shape compose expects.
  case invalid(String, reason: String)
  /// `${VAR:?message}` / `${VAR?message}` with VAR unset (or empty), or a malformed `${…}`.
  case interpolation(String, reason: String)
  /// A service named on the command line that the project does not define.
  case unknownService(String, file: String, known: [String])

  /// One line naming the file and what is wrong, with what to do.
  public var errorDescription: String? {
    switch self {
    case .noComposeFile(let directory):
      return
        "no compose file in \(directory) or its parents (compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml); pass it with -f or --compose-file"
    case .missingFile(let path):
      return
        "cannot read the compose file \(path): no such file; check -f, COMPOSE_FILE or --compose-file"
    case .tooLarge(let path, let bytes):
      return
        "the compose file \(path) is \(bytes) bytes, over the \(ComposeYAMLReader.maximumFileBytes) buildtrail reads; pass the file compose really uses"
    case .invalid(let path, let reason):
      return
        "the compose file \(path) cannot be read: \(reason); fix the file or pass another with -f"
    case .interpolation(let path, let reason):
      return
        "the compose file \(path) cannot be interpolated: \(reason); set the variable or fix the ${…}"
    case .unknownService(let name, let file, let known):
      let list = known.isEmpty ? "none" : known.joined(separator: ", ")
      return "no service '\(name)' in \(file) (services: \(list)); name one of them"
    }
  }
}
