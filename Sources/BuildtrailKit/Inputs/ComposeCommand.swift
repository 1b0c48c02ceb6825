import Foundation

/// What a wrapped `docker compose build` / `docker-compose build` command line says about the
/// project it builds: the global flags that find and read it, and the build flags that matter to
/// the cache.
public struct ComposeCommand: Sendable, Equatable {
  /// `-f/--file` values, in order.
  public var files: [String] = []
  /// `-p/--project-name`.
  public var projectName: String?
  /// `--project-directory`.
  public var projectDirectory: String?
  /// `--env-file` values.
  public var envFiles: [String] = []
  /// `--profile` values.
  public var profiles: [String] = []
  /// The services named after `build`.
  public var services: [String] = []
  /// `build --pull`.
  public var pull = false
  /// `build -q/--quiet`: the log then holds no build output.
  public var quiet = false

  /// A command line's compose facts; what is not given was not on it.
  public init(
    files: [String] = [], projectName: String? = nil, projectDirectory: String? = nil,
    envFiles: [String] = [], profiles: [String] = [], services: [String] = [], pull: Bool = false,
    quiet: Bool = false
  ) {
    self.files = files
    self.projectName = projectName
    self.projectDirectory = projectDirectory
    self.envFiles = envFiles
    self.profiles = profiles
    self.services = services
    self.pull = pull
    self.quiet = quiet
  }

  /// How to read the project this command builds, from `workingDirectory` with `environment`.
  public func projectOptions(workingDirectory: String, environment: [String: String])
    -> ComposeProjectOptions
  {
    ComposeProjectOptions(
      files: files, projectDirectory: projectDirectory, projectName: projectName,
      envFiles: envFiles, profiles: profiles, services: services,
      workingDirectory: workingDirectory, environment: environment)
  }
}
