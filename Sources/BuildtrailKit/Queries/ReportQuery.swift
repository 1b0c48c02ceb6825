import BuildLog
import BuildStore
import Foundation

/// `buildtrail report`: gathers a branch's report from the history.
public struct ReportQuery {
  /// The history the report is read from.
  public var store: BuildStore
  /// The environment git runs in, for the causes and `why` verdicts.
  public var environment: [String: String]

  /// A report query over `store`, running git in `environment`.
  public init(
    store: BuildStore, environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.store = store
    self.environment = environment
  }

  /// The report for `branch` (the latest build's when nil) and `service` (the latest build's when
  /// neither is given) over the last `last` builds.
  public func report(
    branch: String?, service: String? = nil, last: Int, generatedAt: Date = Date()
  ) throws -> HistoryReport {
    let latestID = try store.chosenBuildID(nil, service: service)
    guard let latest = try store.build(id: latestID) else {
      throw StoreError.emptyHistory(path: store.path)
    }
    let branchName = branch ?? latest.summary.branch
    let builds = try store.timeline(
      branch: branchName, target: branch == nil ? latest.summary.target : nil,
      service: service ?? (branch == nil ? latest.summary.service : nil), limit: last)
    let steps = try store.steps(ofBuilds: builds.map(\.id))
    let finder = RegressionFinder(store: store, environment: environment)
    let regressions = try finder.find(
      in: builds, steps: steps, branch: branchName, target: latest.summary.target
    )
    // A total that steps explain is listed through those steps, not as a regression of its own.
    .filter { !$0.isConsequence }
    .map(finder.explain)
    let newest = builds.last.flatMap { try? store.build(id: $0.id) } ?? latest

    // `why` for the builds a reader looks at first: failed ones and those where a regression starts.
    var explanations: [HistoryReport.ExplainedBuild] = []
    let explainer = CacheExplainer(store: store, environment: environment)
    let regressed = Set(regressions.map(\.build.id))
    for b in builds.reversed() where b.outcome == .failed || regressed.contains(b.id) {
      guard explanations.count < Self.explanationLimit else { break }
      if let explanation = try? explainer.explain(buildID: b.id) {
        explanations.append(HistoryReport.ExplainedBuild(build: b.id, explanation: explanation))
      }
    }
    return HistoryReport(
      branch: branchName, service: builds.last?.service, generatedAt: generatedAt, builds: builds,
      latest: newest.summary, latestSteps: Self.timeline(newest.steps), regressions: regressions,
      explanations: Array(explanations.reversed()),
      slowestSteps: Self.slowest(builds: builds, steps: steps))
  }

  /// The most builds whose `why` the report computes.
  public static let explanationLimit = 20

  /// The steps placed on the build's time line: from their completion times when the log gave them,
  /// one after another otherwise.
  static func timeline(_ steps: [StoredStep]) -> [HistoryReport.TimedStep] {
    let origin = steps.compactMap { s in
      s.completedAt.map { $0.timeIntervalSince1970 - (s.durationSeconds ?? 0) }
    }.min()
    var cursor = 0.0
    return steps.map { s in
      var start: Double?
      if let origin, let done = s.completedAt {
        start = done.timeIntervalSince1970 - (s.durationSeconds ?? 0) - origin
      } else {
        start = cursor
        cursor += s.durationSeconds ?? 0
      }
      return HistoryReport.TimedStep(
        name: s.name, status: s.status.rawValue, start: start, seconds: s.durationSeconds)
    }
  }

  /// The ten cacheable steps with the most executed time.
  static func slowest(builds: [BuildSummary], steps: [Int64: [StoredStep]]) -> [HistoryReport
    .SlowStep]
  {
    var byKey: [String: (name: String, seconds: [Double], cached: Int, seen: Int)] = [:]
    for b in builds {
      for s in steps[b.id] ?? [] where s.kind.isCacheable {
        var entry = byKey[s.key] ?? (s.name, [], 0, 0)
        entry.seen += 1
        if s.status == .cached { entry.cached += 1 }
        if s.status == .done, let d = s.durationSeconds { entry.seconds.append(d) }
        byKey[s.key] = entry
      }
    }
    let slowest = byKey.values.filter { !$0.seconds.isEmpty }.map { e -> HistoryReport.SlowStep in
      let sorted = e.seconds.sorted()
      return HistoryReport.SlowStep(
        name: e.name, medianSeconds: BuildCheck.median(sorted),
        p90Seconds: sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.9))],
        executions: sorted.count, cacheHitRatio: e.seen == 0 ? 0 : Double(e.cached) / Double(e.seen)
      )
    }.sorted { $0.medianSeconds * Double($0.executions) > $1.medianSeconds * Double($1.executions) }
    return Array(slowest.prefix(10))
  }
}
