import BuildLog
import BuildStore
import Foundation

/// When a step's caching broke: the build at which it went from mostly cached to mostly executed
/// and stayed so, the commits at that boundary and the cause; and where it was fixed, if it was.
public struct CacheBreak: Sendable {
  public struct Point: Sendable, Codable, Equatable {
    public var build: Int64
    public var commit: String?
    /// `cached`, `ran` or `failed`.
    public var state: String
  }

  public var key: String
  public var name: String
  /// The step's state in each build of the series, oldest first.
  public var series: [Point]
  /// The first build that missed, and the last one before it.
  public var brokeAt: BuildSummary?
  public var lastGood: BuildSummary?
  public var commits: [GitHistory.Commit]
  /// The cause as `why` gives it for the build at the boundary, and the root step it names.
  public var cause: MissCause?
  public var rootStep: String?
  /// The first build that hit the cache again and kept hitting it.
  public var fixedAt: BuildSummary?

  /// Whether the step misses the cache as of the latest build.
  public var isBroken: Bool { brokeAt != nil && fixedAt == nil }
}

/// Finds where caching broke, step by step, over a branch's history.
public struct CacheBreakFinder {
  public var store: BuildStore
  public var environment: [String: String]
  /// Share of builds after the boundary that must miss for the step to count as broken.
  public static let brokenShare = 0.8

  public init(store: BuildStore, environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.store = store
    self.environment = environment
  }

  /// Looks at the last `limit` builds of `branch` (the latest build's branch when nil), for steps whose
  /// name contains `stepPattern` (all cacheable steps when nil).
  public func find(stepPattern: String?, branch: String?, limit: Int = 200) throws -> (branch: String?, breaks: [CacheBreak]) {
    guard let latestID = try store.latestBuildID(), let latest = try store.build(id: latestID) else {
      throw StoreError.emptyHistory(path: store.path)
    }
    let branchName = branch ?? latest.summary.branch
    let builds = try store.timeline(branch: branchName, target: latest.summary.target, limit: limit)
    let steps = try store.steps(ofBuilds: builds.map(\.id))
    let lastSteps = builds.last.flatMap { steps[$0.id] } ?? latest.steps
    let wanted = lastSteps.filter { step in
      step.kind.isCacheable && (stepPattern.map { step.name.localizedCaseInsensitiveContains($0) } ?? true)
    }
    guard !wanted.isEmpty || stepPattern == nil else {
      throw BuildtrailError.invalidArgument(
        "no step of build \(builds.last?.id ?? latestID) matches '\(stepPattern ?? "")'; `buildtrail show` lists its steps")
    }
    var breaks: [CacheBreak] = []
    let explainer = CacheExplainer(store: store, environment: environment)
    for step in wanted {
      var points: [(summary: BuildSummary, step: StoredStep)] = []
      for build in builds {
        if let s = steps[build.id]?.first(where: { $0.key == step.key }) { points.append((build, s)) }
      }
      let missed = points.map { $0.step.status.ranOrFailed }
      var result = CacheBreak(
        key: step.key, name: step.name,
        series: points.map {
          CacheBreak.Point(
            build: $0.summary.id, commit: $0.summary.commit,
            state: $0.step.status == .cached ? "cached" : $0.step.status == .error ? "failed" : "ran")
        }, brokeAt: nil, lastGood: nil, commits: [], cause: nil, rootStep: nil, fixedAt: nil)
      guard let (start, end) = Self.brokenStretch(missed) else {
        breaks.append(result)
        continue
      }
      let broke = points[start].summary
      let good = points[start - 1].summary
      result.brokeAt = broke
      result.lastGood = good
      if let end { result.fixedAt = points[end].summary }
      if let explanation = try? explainer.explain(buildID: broke.id, against: good.id) {
        result.commits = explanation.commits
        if let miss = explanation.rootMisses.first(where: { $0.step.key == step.key || $0.cascade.contains { $0.key == step.key } }) {
          result.cause = miss.cause
          result.rootStep = miss.step.key == step.key ? nil : miss.step.name
        }
      }
      breaks.append(result)
    }
    return (branchName, breaks)
  }

  /// The stretch where the step broke: a miss after a hit that starts a run of mostly misses to the end
  /// (end nil), or else the latest run of two or more misses that hits were seen after (end = first hit).
  static func brokenStretch(_ missed: [Bool]) -> (start: Int, end: Int?)? {
    guard missed.count >= 3 else { return nil }
    for i in 1..<missed.count where missed[i] && !missed[i - 1] {
      let rest = missed[i...]
      if rest.count >= 2, Double(rest.filter { $0 }.count) / Double(rest.count) >= brokenShare { return (i, nil) }
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
