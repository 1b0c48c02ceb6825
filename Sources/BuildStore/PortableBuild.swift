import BuildLog
import Foundation

/// Everything stored about one build, as plain values: what `export` writes and `import` reads back.
/// Recording it into another history with ``BuildStore/importBuilds(_:)`` gives the same `show` output.
public struct PortableBuild: Sendable, Equatable {
  /// A cache input with its content, when the content was kept.
  public struct Input: Sendable, Equatable {
    /// The file's path, as recorded.
    public var path: String
    /// What the file is to the build.
    public var role: InputFact.Role
    /// Lowercase hex SHA-256 of the content.
    public var sha256: String
    /// The file's size in bytes.
    public var bytes: Int
    /// The file itself; nil when it was not kept.
    public var content: Data?

    /// An input as exported; `content` nil when it was not kept.
    public init(path: String, role: InputFact.Role, sha256: String, bytes: Int, content: Data?) {
      self.path = path
      self.role = role
      self.sha256 = sha256
      self.bytes = bytes
      self.content = content
    }
  }

  /// The build's id in the history it was read from; kept on import when that id is free.
  public var id: Int64
  /// The build's row of facts.
  public var row: BuildRow
  /// Its `--label` pairs.
  public var labels: [String: String]
  /// The Dockerfile warnings its log printed.
  public var warnings: [String]
  /// The FROM images in recorded order, with the position of their step.
  public var baseImages: [StoredBaseImage]
  /// The build context's top-level entries by size.
  public var contextEntries: [ContextEntry]
  /// Its steps, by position.
  public var steps: [StoredStep]
  /// The kept output lines by step position (only steps that kept some).
  public var outputs: [Int: [String]]
  /// Its cache inputs, with their contents when kept.
  public var inputs: [Input]
  /// The build context's file list (`sha256 size path` lines, after a `# truncated` line when cut short).
  public var contextManifest: Data?
  /// What the build failed on, when recorded.
  public var failure: StoredFailure?
  /// The build arguments (schema 7).
  public var buildArguments: [BuildArgumentFact] = []
  /// The cache plumbing (schema 7); nil for builds recorded before.
  public var cachePlumbing: CachePlumbingFact?

  /// A build to import; build arguments and cache plumbing are set afterwards when known.
  public init(
    id: Int64, row: BuildRow, labels: [String: String], warnings: [String],
    baseImages: [StoredBaseImage], contextEntries: [ContextEntry], steps: [StoredStep],
    outputs: [Int: [String]], inputs: [Input], contextManifest: Data?, failure: StoredFailure? = nil
  ) {
    self.id = id
    self.row = row
    self.labels = labels
    self.warnings = warnings
    self.baseImages = baseImages
    self.contextEntries = contextEntries
    self.steps = steps
    self.outputs = outputs
    self.inputs = inputs
    self.contextManifest = contextManifest
    self.failure = failure
  }
}
