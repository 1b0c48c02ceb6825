import Foundation

/// How compose was asked to find and read a project: its global flags, the services named on the
/// command line, the working directory and the environment.
public struct ComposeProjectOptions: Sendable, Equatable, Codable {
  /// `-f/--file` values in order (later files override earlier ones); empty for the defaults.
  public var files: [String]
  /// `--project-directory`; nil for the first file's folder.
  public var projectDirectory: String?
  /// `-p/--project-name`.
  public var projectName: String?
  /// `--env-file` values; empty for `.env` in the project directory.
  public var envFiles: [String]
  /// `--profile` values (COMPOSE_PROFILES is read when there are none).
  public var profiles: [String]
  /// The services named on the command line; empty for every service that builds.
  public var services: [String]
  /// The folder compose runs in: relative `-f` paths and the default files are found from it.
  public var workingDirectory: String
  /// The process environment; its variables win over the env files'.
  public var environment: [String: String]

  /// Options; by default compose's own: the default files, in the current folder and environment.
  public init(
    files: [String] = [], projectDirectory: String? = nil, projectName: String? = nil,
    envFiles: [String] = [], profiles: [String] = [], services: [String] = [],
    workingDirectory: String = FileManager.default.currentDirectoryPath,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.files = files
    self.projectDirectory = projectDirectory
    self.projectName = projectName
    self.envFiles = envFiles
    self.profiles = profiles
    self.services = services
    self.workingDirectory = workingDirectory
    self.environment = environment
  }
}
