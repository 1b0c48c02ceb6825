import Foundation

/// One service of a compose project, as far as building it goes.
public struct ComposeService: Sendable, Equatable {
  /// The service's name, as the files key it.
  public var name: String
  /// `image:`; a service with an image and no `build:` is pulled, not built.
  public var image: String?
  /// `profiles:`; a service with none is always enabled.
  public var profiles: [String]
  /// `build:`, nil when the service is not built.
  public var build: ComposeBuildSpec?

  /// A service; what is not given was not written.
  public init(
    name: String, image: String? = nil, profiles: [String] = [], build: ComposeBuildSpec? = nil
  ) {
    self.name = name
    self.image = image
    self.profiles = profiles
    self.build = build
  }

  /// Whether the service is enabled with the `active` profiles (`*` enables all).
  public func isEnabled(profiles active: [String]) -> Bool {
    profiles.isEmpty || active.contains("*") || profiles.contains { active.contains($0) }
  }
}
