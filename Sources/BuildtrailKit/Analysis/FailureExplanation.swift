import BuildStore
import Foundation

/// Why a build failed: the failing step, its decisive error lines, their signature, the change they
/// point to when the evidence allows, and since which build the same failure repeats.
public struct FailureExplanation: Sendable, Codable {
  /// A change since the baseline that the error lines point to.
  public struct RelatedChange: Sendable, Equatable, Codable {
    /// `undeclared-import`, `dependency-removed`, `missing-requirement`, `dependencies` or `dockerfile`.
    public var kind: String
    /// One sentence, for people.
    public var summary: String
    /// The file that changed (repository-relative).
    public var file: String?
    /// The line in that file, when known.
    public var line: Int?
    /// The package or module the error names.
    public var package: String?
    /// True when the tie rests on an inference (say, the only package added) rather than on the
    /// error lines naming it.
    public var inferred: Bool
  }

  /// The builds before this one that failed with the same signature, without a build between them.
  public struct Repeat: Sendable, Equatable, Codable {
    /// The first build of the run of failures.
    public var sinceBuild: Int64
    /// Its commit, when known.
    public var sinceCommit: String?
    /// How many builds in a row failed this way, this one included.
    public var builds: Int
  }

  /// The step that failed (nil when the build failed before any step, such as a Dockerfile parse error).
  public var step: StoredStep?
  /// The decisive lines, as printed.
  public var lines: [String]
  /// The tool and its decisive message.
  public var signature: FailureSignature
  /// The failed command's exit code, when known.
  public var exitCode: Int?
  /// The change the lines point to; nil when no recorded change does.
  public var relatedChange: RelatedChange?
  /// Set when earlier builds failed the same way.
  public var repeats: Repeat?
}

extension FailureExplanation {
  /// Explains a failed build (nil when it did not fail): the stored failure, else one computed from
  /// the kept output; the change it points to against `baseline`; and since when it repeats.
  static func of(
    _ build: BuildDetail, baseline: BuildDetail?, store: BuildStore, environment: [String: String]
  ) throws -> FailureExplanation? {
    let step = build.steps.first { $0.status == .error }
    guard build.summary.outcome == .failed || step != nil else { return nil }
    let history = FailureHistory(store: store)
    guard
      let stored = try store.failure(buildID: build.summary.id)
        ?? history.computedFailure(of: build)
    else {
      return nil
    }
    let finding = FailureExtractor.Finding(
      signature: FailureSignature(tool: stored.tool, message: stored.message), lines: stored.lines,
      exitCode: stored.exitCode)
    var related: RelatedChange?
    if let baseline {
      let evidence = InputEvidence(
        store: store, before: baseline, after: build, environment: environment)
      related = FailureChangeFinder(build: build, evidence: evidence, step: step).relatedChange(
        to: finding)
    }
    return FailureExplanation(
      step: step, lines: stored.lines, signature: finding.signature, exitCode: stored.exitCode,
      relatedChange: related,
      repeats: try history.repeats(of: build.summary, signature: stored.signature))
  }
}
