import BuildLog
import BuildStore
import Foundation

/// Explains why a build's steps missed the cache: picks a baseline, separates root misses from
/// cascades, and names each root miss's cause with its evidence (git or the recorded snapshots).
public struct CacheExplainer {
  /// The history the builds are read from.
  public var store: BuildStore
  /// The environment git runs in.
  public var environment: [String: String]

  /// An explainer over `store`, running git in `environment`.
  public init(
    store: BuildStore, environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.store = store
    self.environment = environment
  }

  /// Explains build `buildID` (the latest, of `service` when given, when nil) against `against`
  /// (chosen when nil).
  public func explain(buildID: Int64? = nil, against: Int64? = nil, service: String? = nil) throws
    -> CacheExplanation
  {
    let id = try store.chosenBuildID(buildID, service: service)
    guard let build = try store.build(id: id) else { throw StoreError.noSuchBuild(String(id)) }
    let (baseline, reason) = try chooseBaseline(for: build, against: against)
    var explanation = try explain(build, against: baseline, reason: reason)
    explanation.rootMisses = try FailureHistory(store: store).afterFailures(
      explanation.rootMisses, build: build, baseline: baseline)
    explanation.failure = try FailureExplanation.of(
      build, baseline: baseline, store: store, environment: environment)
    return explanation
  }

  /// The latest earlier successful build of the same target on the same branch, else on the default branch.
  func chooseBaseline(for build: BuildDetail, against: Int64?) throws -> (BuildDetail?, String) {
    if let against {
      guard let chosen = try store.build(id: against) else {
        throw StoreError.noSuchBuild(String(against))
      }
      return (chosen, "build \(against), as asked (--against)")
    }
    let target = build.summary.target
    let what = target.map { "target \($0)" } ?? "the default target"
    let branch = build.summary.branch
    let git = build.git?.root.flatMap {
      try? GitHistory(root: URL(fileURLWithPath: $0), environment: environment)
    }
    let picker = BaselinePicker(store: store, build: build, git: git)
    if let choice = try picker.pick(branch: branch, target: target, preferAncestor: false) {
      return (
        choice.build,
        "build \(choice.build.summary.id): the latest earlier successful build of \(choice.stages ?? what) on \(branch ?? "any branch")"
      )
    }
    var defaults = ["main", "master"]
    if let name = git?.defaultBranch() {
      defaults.insert(name, at: 0)
    }
    for name in defaults where name != branch {
      if let choice = try picker.pick(branch: name, target: target, preferAncestor: true) {
        let ancestor = choice.isAncestor ? " whose commit is an ancestor of this build's" : ""
        return (
          choice.build,
          "build \(choice.build.summary.id): no earlier successful build on \(branch ?? "this branch"); the latest of \(choice.stages ?? what)\(ancestor) on the default branch \(name)"
        )
      }
    }
    return (
      nil,
      "no earlier successful build of \(what) on \(branch ?? "any branch") or the default branch"
    )
  }

  func explain(_ build: BuildDetail, against baseline: BuildDetail?, reason: String) throws
    -> CacheExplanation
  {
    var explanation = CacheExplanation(
      build: build, baseline: baseline, baselineReason: reason, evidence: .none, commits: [],
      rootMisses: [], notes: [])
    let executed = build.steps.filter { $0.kind.isCacheable && $0.status.ranOrFailed }
    guard let baseline else {
      guard !executed.isEmpty else { return explanation }
      explanation.notes.append(
        "no baseline build: record a successful build of this target first, or pass --against BUILD"
      )
      explanation.rootMisses = groupWithoutDockerfile(executed, in: build).map {
        RootMiss(
          step: $0.root, cause: .noBaseline("no earlier build to compare with"), cascade: $0.cascade
        )
      }
      return explanation
    }
    let evidence = InputEvidence(
      store: store, before: baseline, after: build, environment: environment)
    explanation.evidence = evidence.source
    explanation.commits = evidence.commits
    explanation.notes += evidence.notes
    guard !executed.isEmpty else { return explanation }

    let dockerfilePath = build.context?.dockerfilePath.map { path in
      path.hasPrefix("/") ? URL(fileURLWithPath: path).lastPathComponent : path
    }
    let newDockerfile = dockerfilePath.flatMap { evidence.content($0, atNewer: true) }.map {
      Dockerfile(text: String(decoding: $0, as: UTF8.self))
    }
    let oldDockerfile = dockerfilePath.flatMap { evidence.content($0, atNewer: false) }.map {
      Dockerfile(text: String(decoding: $0, as: UTF8.self))
    }
    if newDockerfile == nil {
      explanation.notes.append(
        "no Dockerfile found for build \(build.summary.id) (record with --file, or keep the clone); steps are grouped by stage from the log alone"
      )
    }
    let context = CauseFinder(
      build: build, baseline: baseline, evidence: evidence, dockerfile: newDockerfile,
      oldDockerfile: oldDockerfile,
      dockerfilePath: dockerfilePath ?? "Dockerfile", store: store)
    var roots: [RootMiss] = []
    for group in group(executed, in: build, dockerfile: newDockerfile) {
      var notes: [String] = []
      var cause = context.cause(of: group.root, notes: &notes)
      var upstream: UpstreamChange?
      if let chain = newDockerfile.map(StepChain.init),
        let found = try chain.upstreamChange(
          of: group.root, build: build, baseline: baseline, finder: context, store: store)
      {
        (cause, upstream) = (found.cause, found.change)
      }
      if let invocation = try invocationCause(
        of: group, given: cause, build: build, baseline: baseline, dockerfile: newDockerfile)
      {
        cause = invocation
      } else if case .cacheLost = cause {
        let mounts = try mountWarmth(
          of: [group.root] + group.cascade, build: build, dockerfile: newDockerfile)
        cause = BaseImageInference(
          build: build, dockerfile: newDockerfile, evidence: evidence.source
        )
        .cause(root: group.root, mounts: mounts)
        if case .cacheLost = cause, build.cachePlumbing?.commandKnown != true {
          notes.append(
            "the build command was not recorded, so a build run with --no-cache looks the same as a lost cache here; record with `buildtrail record -- COMMAND` to tell them apart"
          )
        }
      }
      explanation.notes += notes.filter { !explanation.notes.contains($0) }
      roots.append(
        RootMiss(step: group.root, cause: cause, cascade: group.cascade, upstream: upstream))
    }
    explanation.rootMisses = try StructuralBreak.annotate(roots, of: build, store: store)
    return explanation
  }

  /// For RUN steps with cache mounts: how warm each mount was, from the tool's output.
  func mountWarmth(of steps: [StoredStep], build: BuildDetail, dockerfile: Dockerfile?) throws
    -> [MountWarmth]
  {
    var result: [MountWarmth] = []
    for step in steps where step.kind == .run {
      let instruction = dockerfile?.step(matching: step.name)?.step.instruction
      var targets = instruction?.mounts.filter { $0.type == "cache" }.compactMap(\.target) ?? []
      if instruction == nil, let range = step.name.range(of: "--mount=type=cache,") {
        let spec = step.name[range.upperBound...].prefix { $0 != " " }
        targets = spec.split(separator: ",").compactMap { part in
          let kv = part.split(separator: "=", maxSplits: 1)
          return kv.count == 2 && ["target", "dst", "destination"].contains(String(kv[0]))
            ? String(kv[1]) : nil
        }
      }
      guard let target = targets.first else { continue }
      let output = try store.stepOutput(buildID: build.summary.id, position: step.position)
      guard let warmth = MountWarmth.read(output: output, target: target) else { continue }
      // One line per mount, read from the step that installs the dependencies.
      if let i = result.firstIndex(where: { $0.target == target && $0.tool == warmth.tool }) {
        if warmth.installsMoreThan(result[i]) { result[i] = warmth }
      } else {
        result.append(warmth)
      }
    }
    return result
  }

  struct MissGroup {
    var root: StoredStep
    var cascade: [StoredStep]
  }

  /// Root misses and their cascades: within a stage the first executed step is a root and later ones
  /// cascade; a stage built FROM a missed stage, or copying from it, cascades from that stage's root.
  func group(_ executed: [StoredStep], in build: BuildDetail, dockerfile: Dockerfile?)
    -> [MissGroup]
  {
    guard let dockerfile else { return groupWithoutDockerfile(executed, in: build) }
    var located: [(stage: Int, index: Int, step: StoredStep)] = []
    var unplaced: [StoredStep] = []
    for step in executed {
      if let match = dockerfile.step(matching: step.name) {
        located.append((match.stage.index, match.step.index, step))
      } else {
        unplaced.append(step)
      }
    }
    var groups: [MissGroup] = []
    /// For each dirty stage, the index in `groups` of the root that dirtied it.
    var dirtyStage: [Int: Int] = [:]
    for stage in dockerfile.stages {
      if let base = stage.baseStage, let root = dirtyStage[base] { dirtyStage[stage.index] = root }
      let inStage = located.filter { $0.stage == stage.index }.sorted { $0.index < $1.index }
      for entry in inStage {
        if let root = dirtyStage[stage.index] {
          groups[root].cascade.append(entry.step)
          continue
        }
        let instruction = stage.steps.first { $0.index == entry.index }?.instruction
        let fromStages = ([instruction?.copyFrom] + (instruction?.mounts.map(\.from) ?? []))
          .compactMap { $0 }
        if let source = fromStages.compactMap({ name in self.stageIndex(name, in: dockerfile) })
          .first(where: { dirtyStage[$0] != nil }),
          let root = dirtyStage[source]
        {
          groups[root].cascade.append(entry.step)
          dirtyStage[stage.index] = root
          continue
        }
        groups.append(MissGroup(root: entry.step, cascade: []))
        dirtyStage[stage.index] = groups.count - 1
      }
    }
    groups += groupWithoutDockerfile(unplaced, in: build)
    return groups
  }

  private func stageIndex(_ name: String, in dockerfile: Dockerfile) -> Int? {
    if let n = Int(name), n < dockerfile.stages.count { return n }
    return dockerfile.stages.first { $0.name == name.lowercased() }?.index
  }

  /// Without a Dockerfile: by stage name from the log, in `i/n` order.
  func groupWithoutDockerfile(_ executed: [StoredStep], in build: BuildDetail) -> [MissGroup] {
    var groups: [MissGroup] = []
    var byStage: [String: Int] = [:]
    for step in executed.sorted(by: {
      ($0.stage ?? "", $0.index ?? 0, $0.position) < ($1.stage ?? "", $1.index ?? 0, $1.position)
    }) {
      let stage = [step.service, step.platform, step.stage].compactMap { $0 }.joined(separator: " ")
      if let root = byStage[stage] {
        groups[root].cascade.append(step)
      } else {
        groups.append(MissGroup(root: step, cascade: []))
        byStage[stage] = groups.count - 1
      }
    }
    return groups.sorted { $0.root.position < $1.root.position }
  }
}
