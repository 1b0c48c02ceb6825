import BuildLog
import BuildStore
import Foundation

/// When a step's caching broke: the build at which it went from mostly cached to mostly executed
/// and stayed so, the commits at that boundary and the cause; and where it was fixed, if it was.
public struct CacheBreak: Sendable, Codable {
  /// One build of a step's series and the step's state in it.
  public struct Point: Sendable, Codable, Equatable {
    /// The build's id.
    public var build: Int64
    /// The build's commit, when known.
    public var commit: String?
    /// `cached`, `ran` or `failed`.
    public var state: String
  }

  /// The step's stable key (StoredStep/key).
  public var key: String
  /// The step's name in the latest build.
  public var name: String
  /// The step's state in each build of the series, oldest first.
  public var series: [Point]
  /// The first build that missed.
  public var brokeAt: BuildSummary?
  /// The last build before it, which hit the cache.
  public var lastGood: BuildSummary?
  /// The commits between those two builds.
  public var commits: [GitHistory.Commit]
  /// The cause as `why` gives it for the build at the boundary.
  public var cause: MissCause?
  /// The root step the cause names, when the step ran because of an earlier one.
  public var rootStep: String?
  /// The first build that hit the cache again and kept hitting it; for a structural break, the build of the
  /// commit that put the step ahead of the broad copy again.
  public var fixedAt: BuildSummary?
  /// `structural` (a Dockerfile change put a broad COPY ahead of the step), `persistent` (it kept missing for
  /// causes other than one-off ones), `after-broad-copy` (it always ran after a broad COPY: written that way,
  /// not broken), `broad-copy` (it copies the whole context, so every source change reruns it), or `none`.
  public var kind: String = "none"
  /// The structural break, when `kind` is `structural`.
  public var structural: StructuralBreak?
  /// The broad COPY it always ran after, when `kind` is `after-broad-copy`.
  public var alwaysAfter: String?
  /// Each build of the stretch in which the step missed, with that build's own cause.
  public var misses: [Miss] = []
  /// Misses of the stretch left out of `misses` (each one is a `why`): all but the first and the latest.
  public var missesLeftOut = 0

  /// One build in which the step missed, and why (as `why` gives it for that build).
  public struct Miss: Sendable, Codable {
    /// The build.
    public var build: BuildSummary
    /// `break` (the change that broke it), `after-break` (a change that did not touch the step's inputs,
    /// which reran it only because of the break), `one-off` (a cause of its own: cache lost, base image,
    /// lockfile, a change to the files it reads), or `other`.
    public var role: String
    /// Its cause; nil when unknown.
    public var cause: MissCause?
  }

  /// Whether the step misses the cache as of the latest build.
  public var isBroken: Bool { brokeAt != nil && fixedAt == nil }
  /// Whether `broke` lists it without `--all`.
  public var isBreak: Bool { brokeAt != nil && (kind == "structural" || kind == "persistent") }
}

/// Finds where caching broke, step by step, over a branch's history.
public struct CacheBreakFinder {
  /// The history to search.
  public var store: BuildStore
  /// The environment git runs in.
  public var environment: [String: String]
  /// Share of builds after the boundary that must miss for the step to count as broken.
  public static let brokenShare = 0.8

  /// A finder over `store`, running git in `environment`.
  public init(
    store: BuildStore, environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.store = store
    self.environment = environment
  }

  /// Looks at the last `limit` builds of `branch` (the latest build's branch when nil) and of the
  /// latest build's target and service (`service` picks the latest build of that service), for steps
  /// whose name contains `stepPattern` (all cacheable steps when nil).
  public func find(stepPattern: String?, branch: String?, service: String? = nil, limit: Int = 200)
    throws -> (branch: String?, service: String?, breaks: [CacheBreak])
  {
    let latestID = try store.chosenBuildID(nil, service: service)
    guard let latest = try store.build(id: latestID) else {
      throw StoreError.emptyHistory(path: store.path)
    }
    let branchName = branch ?? latest.summary.branch
    let builds = try store.timeline(
      branch: branchName, target: latest.summary.target, service: latest.summary.service,
      limit: limit)
    if builds.isEmpty, let branch,
      let none = try store.noMatch(
        ["--branch \(branch)"] + (service.map { ["--service \($0)"] } ?? []))
    {
      throw BuildtrailError.invalidArgument(
        none + "; `buildtrail builds` lists them")
    }
    let steps = try store.steps(ofBuilds: builds.map(\.id))
    let lastSteps = builds.last.flatMap { steps[$0.id] } ?? latest.steps
    let wanted = lastSteps.filter { step in
      step.kind.isCacheable
        && (stepPattern.map { step.name.localizedCaseInsensitiveContains($0) } ?? true)
    }
    guard !wanted.isEmpty || stepPattern == nil else {
      throw BuildtrailError.invalidArgument(
        "no step of build \(builds.last?.id ?? latestID) matches '\(stepPattern ?? "")'; `buildtrail show` lists its steps"
      )
    }
    var breaks: [CacheBreak] = []
    var causes = BuildCauses(explainer: CacheExplainer(store: store, environment: environment))
    for step in wanted {
      var points: [(summary: BuildSummary, step: StoredStep)] = []
      for build in builds {
        if let s = steps[build.id]?.first(where: { $0.key == step.key }) {
          points.append((build, s))
        }
      }
      var result = CacheBreak(
        key: step.key, name: step.name,
        series: points.map {
          CacheBreak.Point(
            build: $0.summary.id, commit: $0.summary.commit,
            state: $0.step.status == .cached
              ? "cached" : $0.step.status == .error ? "failed" : "ran")
        }, brokeAt: nil, lastGood: nil, commits: [], cause: nil, rootStep: nil, fixedAt: nil)
      let structural = StructuralBreak.find(key: step.key, builds: builds, steps: steps)
      if let found = structural.breaks.last {
        result.kind = "structural"
        result.structural = found
        result.brokeAt = found.since
        result.lastGood = found.before
        result.fixedAt = found.fixedBy
        let end =
          found.fixedBy.flatMap { fix in points.firstIndex { $0.summary.id == fix.id } }
          ?? points.count
        let start = points.firstIndex { $0.summary.id == found.since.id } ?? end
        let missed = (start..<end).filter { points[$0].step.status.ranOrFailed }
        result.missesLeftOut = missed.count - Self.sample(missed).count
        result.misses = Self.sample(missed).map { i in
          let (cause, root) = causes.of(step.key, in: points[i].summary.id)
          let role =
            i == start
            ? "break"
            : root.map(StructuralBreak.isBroadCopy) == true && !Self.isOneOff(cause)
              ? "after-break" : "one-off"
          return CacheBreak.Miss(build: points[i].summary, role: role, cause: cause)
        }
      } else if let copy = structural.always {
        result.kind = "after-broad-copy"
        result.alwaysAfter = copy
        breaks.append(result)
        continue
      } else if StructuralBreak.isBroadCopy(step) {
        // It copies the whole context: every source change reruns it, by design.
        result.kind = "broad-copy"
        breaks.append(result)
        continue
      } else if let (start, end) = Self.brokenStretch(points.map { $0.step.status.ranOrFailed }) {
        let missed = (start..<(end ?? points.count)).filter { points[$0].step.status.ranOrFailed }
        result.missesLeftOut = missed.count - Self.sample(missed).count
        result.misses = Self.sample(missed).map { i in
          let cause = causes.of(step.key, in: points[i].summary.id).cause
          // A change to the files the step (or a step before it) reads is expected to rerun it.
          let expected = Self.isOneOff(cause) || cause?.kind == "files"
          return CacheBreak.Miss(
            build: points[i].summary, role: expected ? "one-off" : "other", cause: cause)
        }
        // One-off causes (a lost cache, a base image, a lockfile change) are not a break.
        guard let first = result.misses.firstIndex(where: { $0.role == "other" }),
          let at = points.firstIndex(where: { $0.summary.id == result.misses[first].build.id }),
          at > 0
        else {
          breaks.append(result)
          continue
        }
        result.misses[first].role = "break"
        result.kind = "persistent"
        result.brokeAt = points[at].summary
        result.lastGood = points[at - 1].summary
        if let end { result.fixedAt = points[end].summary }
      } else {
        breaks.append(result)
        continue
      }
      if let broke = result.brokeAt, let explanation = causes.explanation(of: broke.id) {
        result.commits = explanation.commits
        if let miss = explanation.rootMisses.first(where: {
          $0.step.key == step.key || $0.cascade.contains { $0.key == step.key }
        }) {
          result.cause = miss.cause
          result.rootStep = miss.step.key == step.key ? nil : miss.step.name
        }
      }
      breaks.append(result)
    }
    return (branchName, latest.summary.service, breaks)
  }

  /// How many misses of a stretch are explained, at most: the first and the latest.
  public static let explainedMisses = 40

  /// The first and the latest misses, `explainedMisses` in all.
  static func sample(_ missed: [Int]) -> [Int] {
    guard missed.count > explainedMisses, let first = missed.first else { return missed }
    return [first] + missed.suffix(explainedMisses - 1)
  }

  /// Causes that explain one build's miss and say nothing of the next.
  static func isOneOff(_ cause: MissCause?) -> Bool {
    guard let cause else { return true }
    return ["cache-lost", "base-image", "dependencies", "no-baseline", "unknown", "failed-earlier"]
      .contains(
        cause.kind)
  }

  /// The stretch where the step broke: a miss after a hit that starts a run of mostly misses to the end
  /// (end nil), or else the latest run of two or more misses that hits were seen after (end = first hit).
  static func brokenStretch(_ missed: [Bool]) -> (start: Int, end: Int?)? {
    guard missed.count >= 3 else { return nil }
    for i in 1..<missed.count where missed[i] && !missed[i - 1] {
      let rest = missed[i...]
      if rest.count >= 2, Double(rest.filter { $0 }.count) / Double(rest.count) >= brokenShare {
        return (i, nil)
      }
    }
    var i = missed.count - 1
    while i > 0 {
      if missed[i - 1] && !missed[i] {
        var start = i - 1
        while start > 0 && missed[start - 1] { start -= 1 }
        if i - start >= 2, start > 0 { return (start, i) }
        i = start
      }
      i -= 1
    }
    return nil
  }
}
