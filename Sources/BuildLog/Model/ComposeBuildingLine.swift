import Foundation

/// docker-compose v1's `Building NAME` line, printed before it builds the service NAME (with the
/// legacy builder, or with `docker build` and BuildKit when `COMPOSE_DOCKER_CLI_BUILD=1`).
package enum ComposeBuildingLine {
  /// The longest service name read (compose names are short; a longer word is output, not a name).
  static let maximumNameLength = 256

  /// The service a `Building NAME` line names, or nil when the line is not one.
  package static func service(_ line: String) -> String? {
    guard line.hasPrefix("Building ") else { return nil }
    let name = line.dropFirst(9)
    guard !name.isEmpty, name.utf8.count <= maximumNameLength,
      !name.contains(where: { $0.isWhitespace || $0.isNewline })
    else { return nil }
    return String(name)
  }
}
