import BuildLog
import BuildStore
import Foundation

/// Names a root miss that no input explains. A builder prune empties the cache mounts too, a new base
/// image does not: when a stage missed from its first step and the dependency step's cache mount stayed
/// warm, the FROM image (or the builder) changed, which the log alone cannot show for want of a digest.
/// Without any recorded inputs the cause is unknown, never "no input changed".
struct BaseImageInference {
  var build: BuildDetail
  var dockerfile: Dockerfile?
  var evidence: CacheExplanation.EvidenceSource

  /// Said when nothing was recorded to compare the build with.
  static let noInputs =
    "no inputs were recorded for this build; record with --context or from the repository to explain it"

  /// The cause of a root miss for which no input change was found.
  func cause(root: StoredStep, mounts: [MountWarmth]) -> MissCause {
    guard evidence != .none else { return .unknown(Self.noInputs) }
    // A digest in the log (or from the daemon) was compared already: the image did not change.
    let images = build.baseImages.filter { $0.stage == root.stage }
    if !images.isEmpty, images.allSatisfy({ $0.digest != nil }) {
      return .cacheLost(mounts: mounts)
    }
    guard !mounts.contains(where: { $0.state == .cold }),
      let references = stageReferences(startingAt: root)
    else { return .cacheLost(mounts: mounts) }
    return .baseImageInferred(references: references, mounts: mounts)
  }

  /// The FROM references of the root's stage when the root is that stage's first step after an image
  /// (not another stage); nil otherwise.
  func stageReferences(startingAt root: StoredStep) -> [String]? {
    let recorded = Set(build.baseImages.filter { $0.stage == root.stage }.map(\.reference)).sorted()
    if let dockerfile, let match = dockerfile.step(matching: root.name) {
      guard match.stage.baseStage == nil,
        match.stage.steps.first(where: { $0.instruction.keyword != "FROM" })?.index
          == match.step.index
      else { return nil }
      return recorded.isEmpty ? [Dockerfile.normalizedReference(match.stage.base)] : recorded
    }
    let froms = build.steps.filter { step in
      step.kind == .from && step.stage == root.stage && step.service == root.service
        && step.platform == root.platform
    }
    guard let first = root.index, first <= 2, !froms.isEmpty else { return nil }
    if !recorded.isEmpty { return recorded }
    return froms.map { step in
      let text =
        step.key.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false).last.map(
          String.init) ?? step.name
      return text.hasPrefix("FROM ") ? String(text.dropFirst(5)) : text
    }
  }

}
