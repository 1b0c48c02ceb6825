import BuildLog
import BuildStore
import Foundation

/// What to attach to the builds of a log when recording them.
public struct RecordMetadata: Sendable, Codable, Equatable {
  /// The build target to record with each build.
  public var target: String?
  /// Labels to attach to each build.
  public var labels: [String: String]
  /// The git state the builds were made from.
  public var git: GitFacts?
  /// The CI run the builds were made in.
  public var ci: CIFacts?
  /// The build context as measured.
  public var context: ContextFacts?
  /// The cache inputs and their contents.
  public var inputs: [InputFact]
  /// The wrapped build command, as one string.
  public var command: String?
  /// The build context's file list, as ``ContextManifest/text``.
  public var contextManifest: Data?
  /// Local image IDs of FROM references, from the Docker daemon.
  public var daemonImageIDs: [String: String] = [:]
  /// The build arguments (wrapped command and `record --build-arg`).
  public var buildArguments: [BuildArgumentFact] = []
  /// The wrapped command's cache flags; nil when no command was run.
  public var cachePlumbing: CachePlumbingFact?
  /// A compose build's services: the log's builds are split per service (``ParsedLog/splitByService(services:)``)
  /// with these names; nil when the log is not a compose build.
  public var composeServices: [String]?
  /// The metadata of each compose service's build, by service; a build of any other service (or of
  /// none) takes this metadata.
  public var services: [String: RecordMetadata] = [:]
  /// `record --service`: only this service's builds are recorded.
  public var onlyService: String?

  /// The metadata for `build`: its service's, else this.
  public func metadata(for build: ParsedBuild) -> RecordMetadata {
    guard var own = build.service.flatMap({ services[$0] }) else { return self }
    own.command = own.command ?? command
    return own
  }

  /// Metadata of the given facts; the rest is unknown or empty.
  public init(
    target: String? = nil, labels: [String: String] = [:], git: GitFacts? = nil, ci: CIFacts? = nil,
    context: ContextFacts? = nil, inputs: [InputFact] = [], command: String? = nil
  ) {
    self.target = target
    self.labels = labels
    self.git = git
    self.ci = ci
    self.context = context
    self.inputs = inputs
    self.command = command
  }
}
