import BuildLog
import BuildStore
import Foundation

/// A broad `COPY` (the whole context) that a Dockerfile change put ahead of a step: from that build on,
/// every source change reruns the step, until a later change puts the step ahead of the copy again.
/// Read from the step order each build's log printed, so it needs no Dockerfile.
public struct StructuralBreak: Sendable, Codable {
  /// The step's name as the latest build in the stretch printed it.
  public var step: String
  /// The broad copy's instruction, such as `COPY . /app`.
  public var copy: String
  /// The first build in which the step ran after the copy.
  public var since: BuildSummary
  /// The build before it, in which the step came before the copy (nil when the history starts broken).
  public var before: BuildSummary?
  /// The first build in which the step came before the copy again: the fix (nil while still broken).
  public var fixedBy: BuildSummary?

  /// The broad copy (no `--from`, copying `.`) earlier in the step's stage, from the printed step order.
  static func broadCopy(before step: StoredStep, in steps: [StoredStep]) -> String? {
    guard let index = step.index else { return nil }
    return steps.first { other in
      other.stage == step.stage && other.service == step.service && other.platform == step.platform
        && (other.index ?? Int.max) < index && isBroadCopy(other)
    }.map(instructionText)
  }

  /// Whether the step copies the whole build context.
  static func isBroadCopy(_ step: StoredStep) -> Bool {
    guard step.kind == .copy || step.kind == .add else { return false }
    let words = instructionText(step).split(separator: " ").dropFirst()
    guard !words.contains(where: { $0.hasPrefix("--from") }) else { return false }
    let sources = words.filter { !$0.hasPrefix("--") }.dropLast()
    return sources.contains { [".", "./", "*", "./*"].contains($0) }
  }

  /// The instruction as the step key keeps it (`COPY . /app`), without the `[stage i/n]` prefix.
  static func instructionText(_ step: StoredStep) -> String {
    step.key.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false).last.map(
      String.init) ?? step.name
  }

  /// The breaks of the step with `key` over `builds` (oldest first), and the copy it ran after in every build
  /// when it always did (then there is no break: it was written that way).
  static func find(key: String, builds: [BuildSummary], steps: [Int64: [StoredStep]]) -> (
    breaks: [StructuralBreak], always: String?
  ) {
    var breaks: [StructuralBreak] = []
    var previous: (build: BuildSummary, copy: String?)?
    var always: String?
    var sawClear = false
    for build in builds {
      guard let list = steps[build.id], let step = list.first(where: { $0.key == key }) else {
        continue
      }
      let copy = broadCopy(before: step, in: list)
      if copy == nil { sawClear = true } else if always == nil { always = copy }
      if let copy, previous?.copy == nil {
        breaks.append(
          StructuralBreak(
            step: step.name, copy: copy, since: build, before: previous?.build, fixedBy: nil))
      } else if copy == nil, previous?.copy != nil, let last = breaks.indices.last {
        breaks[last].fixedBy = build
      } else if copy != nil, let last = breaks.indices.last {
        breaks[last].step = step.name
      }
      previous = (build, copy)
    }
    if sawClear { return (breaks.filter { $0.before != nil || $0.fixedBy != nil }, nil) }
    return ([], always)
  }

  /// The root misses, each broad copy's with the breaks its cascade is inside: for every step after the copy in
  /// its stage that a Dockerfile change put there in an earlier build (`why` says so of each such build).
  static func annotate(
    _ roots: [RootMiss], of build: BuildDetail, store: BuildStore, limit: Int = 200
  ) throws
    -> [RootMiss]
  {
    guard roots.contains(where: { isBroadCopy($0.step) }) else { return roots }
    let timeline = try store.timeline(
      branch: build.summary.branch, target: build.summary.target, service: build.summary.service,
      limit: limit)
    guard let end = timeline.firstIndex(where: { $0.id == build.summary.id }) else { return roots }
    let builds = Array(timeline[...end])
    let steps = try store.steps(ofBuilds: builds.map(\.id))
    return roots.map { root in
      guard isBroadCopy(root.step) else { return root }
      var annotated = root
      annotated.structuralBreaks = root.cascade.compactMap { step in
        find(key: step.key, builds: builds, steps: steps).breaks.last { found in
          found.before != nil && found.since.id != build.summary.id && found.fixedBy == nil
            && found.copy == instructionText(root.step)
        }
      }
      return annotated
    }
  }
}
