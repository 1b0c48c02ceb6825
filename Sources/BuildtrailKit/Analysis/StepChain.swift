import BuildLog
import BuildStore
import Foundation

/// A step's chain of cache-key inputs in a Dockerfile: the stages it builds FROM and copies from, and the
/// earlier steps of its own stage. A step can miss while every step of its chain is `CACHED` in this build:
/// another build rebuilt them since the baseline. The change is then found by comparing each step of the
/// chain with the baseline, in build order.
struct StepChain {
  var dockerfile: Dockerfile

  /// The steps `step` builds on, in build order: every step of the stages its stage builds FROM, or copies
  /// or mounts from up to and including `step` (and theirs), then the earlier steps of its own stage.
  func ancestors(of step: NumberedStep, in stage: Stage) -> [(stage: Stage, step: NumberedStep)] {
    var direct: [Int] = []
    if let base = stage.baseStage { direct.append(base) }
    for earlier in stage.steps where earlier.index <= step.index {
      let instruction = earlier.instruction
      if instruction.keyword == "COPY", let from = instruction.copyFrom,
        let index = dockerfile.stageIndex(referencedBy: from, allowIndex: true)
      {
        direct.append(index)
      }
      for mount in instruction.mounts {
        if let from = mount.from,
          let index = dockerfile.stageIndex(referencedBy: from, allowIndex: false)
        {
          direct.append(index)
        }
      }
    }
    var needed: Set<Int> = []
    for index in direct where dockerfile.stages.indices.contains(index) && index != stage.index {
      needed.insert(index)
      for dependency in dockerfile.dependencies(of: dockerfile.stages[index])
      where dependency.index != stage.index {
        needed.insert(dependency.index)
      }
    }
    var result: [(stage: Stage, step: NumberedStep)] = []
    for index in needed.sorted() {
      let upstream = dockerfile.stages[index]
      result += upstream.steps.map { (upstream, $0) }
    }
    result += stage.steps.filter { $0.index < step.index }.map { (stage, $0) }
    return result
  }

  /// The first step of `root`'s chain whose inputs differ from the baseline's, with that change, when the
  /// step stayed cached in `build`; nil when the whole chain is unchanged or `root` is not in the Dockerfile.
  func upstreamChange(
    of root: StoredStep, build: BuildDetail, baseline: BuildDetail, finder: CauseFinder,
    store: BuildStore
  ) throws -> (cause: MissCause, change: UpstreamChange)? {
    guard let located = dockerfile.step(matching: root.name) else { return nil }
    for (stage, step) in ancestors(of: located.step, in: located.stage) {
      guard
        let stored = build.steps.first(where: { candidate in
          guard let match = dockerfile.step(matching: candidate.name) else { return false }
          return match.stage.index == stage.index && match.step.index == step.index
        }),
        stored.status == .cached || stored.kind == .from
      else { continue }
      var notes: [String] = []
      let cause = finder.cause(of: stored, notes: &notes)
      guard Self.changeKinds.contains(cause.kind) else { continue }
      let rebuiltBy = try latestBuild(running: stored, after: baseline, before: build, store: store)
      return (
        cause,
        UpstreamChange(
          step: stored, stage: stage.displayName, isOtherStage: stage.index != located.stage.index,
          rebuiltBy: rebuiltBy, branch: build.summary.branch)
      )
    }
    return nil
  }

  /// Causes that name a changed input (not a lost cache, not a missing baseline).
  static let changeKinds: Set<String> = [
    "dependencies", "dockerignore", "dockerfile", "files", "base-image", "build-arg",
  ]

  /// The latest build recorded after `baseline` and before `build` in which `step` ran.
  private func latestBuild(
    running step: StoredStep, after baseline: BuildDetail, before build: BuildDetail,
    store: BuildStore
  )
    throws -> BuildSummary?
  {
    let low = baseline.summary.id
    let high = build.summary.id
    guard high > low + 1 else { return nil }
    let ids = Array(max(low + 1, high - 500)..<high)
    let steps = try store.steps(ofBuilds: ids)
    for id in ids.reversed() {
      if steps[id]?.contains(where: { $0.key == step.key && $0.status.ranOrFailed }) == true {
        return try store.build(id: id)?.summary
      }
    }
    return nil
  }
}
