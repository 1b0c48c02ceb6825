import Foundation

/// A compose project as compose reads it: its files merged, interpolated, resolved.
public struct ComposeProject: Sendable, Equatable {
  /// `-p`, `COMPOSE_PROJECT_NAME`, `name:`, else the project folder's name.
  public var name: String
  /// The project directory: relative paths in the files resolve against it.
  public var directory: URL
  /// The files read, in merge order.
  public var files: [URL]
  /// Every service, in the order the files define them.
  public var services: [ComposeService]
  /// The profiles enabled (`--profile`, else `COMPOSE_PROFILES`).
  public var profiles: [String]

  /// A project read from `files`.
  public init(
    name: String, directory: URL, files: [URL], services: [ComposeService], profiles: [String]
  ) {
    self.name = name
    self.directory = directory
    self.files = files
    self.services = services
    self.profiles = profiles
  }

  /// The services a `compose build` builds: those `named` (any profile; an image-only one is
  /// skipped, as compose skips it), else every enabled service with a `build:`. `depends_on` adds
  /// none: `compose build` builds only what it is asked to.
  public func servicesToBuild(named: [String]) throws -> [ComposeService] {
    guard !named.isEmpty else {
      return services.filter { $0.build != nil && $0.isEnabled(profiles: profiles) }
    }
    return try named.compactMap { name in
      guard let service = services.first(where: { $0.name == name }) else {
        throw ComposeError.unknownService(
          name, file: files.first?.path ?? directory.path, known: services.map(\.name))
      }
      return service.build == nil ? nil : service
    }
  }
}
