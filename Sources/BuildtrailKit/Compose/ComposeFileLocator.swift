import Foundation

/// Finds a project's compose files the way compose does: `-f` files; else `COMPOSE_FILE`, split on
/// `COMPOSE_PATH_SEPARATOR` (default `:`); else the first default name found in the folder or its
/// parents, with the override file beside it.
public enum ComposeFileLocator {
  /// The default file names, in the order compose tries them.
  public static let defaultNames = [
    "compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml",
  ]
  /// The override files compose reads after a default file found beside them.
  public static let overrideNames = [
    "compose.override.yaml", "compose.override.yml", "docker-compose.override.yml",
    "docker-compose.override.yaml",
  ]

  /// The compose files, in the order they are merged.
  public static func files(_ options: ComposeProjectOptions) throws -> [URL] {
    let cwd = URL(fileURLWithPath: options.workingDirectory)
    var named = options.files
    if named.isEmpty, let list = options.environment["COMPOSE_FILE"], !list.isEmpty {
      let separator = options.environment["COMPOSE_PATH_SEPARATOR"].flatMap(\.first) ?? ":"
      named = list.split(separator: separator).map(String.init).filter { !$0.isEmpty }
    }
    if !named.isEmpty {
      return try named.map { path in
        let url = URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL
        guard RegularFile.isRegular(url.path) else { throw ComposeError.missingFile(url.path) }
        return url
      }
    }
    let start =
      options.projectDirectory.map {
        URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL
      } ?? cwd.standardizedFileURL
    var directory = start
    for _ in 0..<256 {
      if let found = defaultNames.lazy.map({ directory.appendingPathComponent($0) })
        .first(where: { RegularFile.isRegular($0.path) })
      {
        let override = overrideNames.lazy.map { directory.appendingPathComponent($0) }
          .first { RegularFile.isRegular($0.path) }
        return [found] + (override.map { [$0] } ?? [])
      }
      let parent = directory.deletingLastPathComponent()
      if parent.path == directory.path { break }
      directory = parent
    }
    throw ComposeError.noComposeFile(directory: start.path)
  }
}
