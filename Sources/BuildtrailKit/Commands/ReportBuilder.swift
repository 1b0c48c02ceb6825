import BuildLog
import BuildStore
import Foundation

/// Gathers what `buildtrail report --html` shows, from the history.
public struct ReportBuilder {
  public var store: BuildStore
  public var environment: [String: String]

  public init(
    store: BuildStore, environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.store = store
    self.environment = environment
  }

  /// The report's data for `branch` (the latest build's when nil) and `service` (the latest build's
  /// when neither is given) over the last `last` builds.
  public func data(
    branch: String?, service: String? = nil, last: Int, generatedAt: Date = Date(),
    version: String = BuildtrailVersion.current
  ) throws
    -> HTMLReportData
  {
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
    var verdicts: [Int64: String] = [:]
    let explainer = CacheExplainer(store: store, environment: environment)
    let regressed = Set(regressions.map(\.build.id))
    for b in builds.reversed() where b.outcome == .failed || regressed.contains(b.id) {
      guard verdicts.count < Self.verdictLimit else { break }
      verdicts[b.id] = try? explainer.explain(buildID: b.id).verdict
    }

    func row(_ b: BuildSummary) -> HTMLReportData.Build {
      var build = HTMLReportData.Build(
        id: b.id, when: formatWhen(b.when) + " UTC", branch: b.branch,
        commit: b.commit.map { String($0.prefix(8)) },
        subject: b.subject, outcome: b.outcome.rawValue, seconds: b.seconds, cached: b.stepsCached,
        total: b.stepsTotal, service: b.service)
      build.url = b.ciURL
      build.verdict = verdicts[b.id]
      return build
    }
    let origin = newest.steps.compactMap { s in
      s.completedAt.map { $0.timeIntervalSince1970 - (s.durationSeconds ?? 0) }
    }.min()
    var cursor = 0.0
    let waterfall = newest.steps.map { s -> HTMLReportData.Step in
      var start: Double?
      if let origin, let done = s.completedAt {
        start = done.timeIntervalSince1970 - (s.durationSeconds ?? 0) - origin
      } else {
        start = cursor
        cursor += s.durationSeconds ?? 0
      }
      return HTMLReportData.Step(
        name: compact(s.name), status: s.status.rawValue, start: start, seconds: s.durationSeconds)
    }
    var byKey: [String: (name: String, seconds: [Double], cached: Int, seen: Int)] = [:]
    for b in builds {
      for s in steps[b.id] ?? [] where s.kind.isCacheable {
        var entry = byKey[s.key] ?? (compact(s.name), [], 0, 0)
        entry.seen += 1
        if s.status == .cached { entry.cached += 1 }
        if s.status == .done, let d = s.durationSeconds { entry.seconds.append(d) }
        byKey[s.key] = entry
      }
    }
    let slowest = byKey.values.filter { !$0.seconds.isEmpty }.map { e -> HTMLReportData.SlowStep in
      let sorted = e.seconds.sorted()
      return HTMLReportData.SlowStep(
        name: e.name, medianSeconds: BuildCheck.median(sorted),
        p90Seconds: sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.9))],
        executions: sorted.count, cacheHitRatio: e.seen == 0 ? 0 : Double(e.cached) / Double(e.seen)
      )
    }.sorted { $0.medianSeconds * Double($0.executions) > $1.medianSeconds * Double($1.executions) }
      .prefix(10)
    return HTMLReportData(
      title: "buildtrail — \(branchName ?? "all branches")"
        + (builds.last?.service.map { ", service \($0)" } ?? ""),
      generatedAt: UTCTimestamp.string(from: generatedAt), version: version,
      builds: builds.map(row), latest: row(newest.summary), latestSteps: waterfall,
      regressions: RegressionRenderer.events(regressions).map { r, more in
        var row = HTMLReportData.Regression(
          series: "\(r.kind.rawValue): \(compact(r.series))", build: r.build.id,
          before: r.change.medianBefore,
          after: r.change.medianAfter, change: r.change.relativeChange,
          confidence: r.change.confidence, cause: r.cause)
        row.isRate = r.kind == .cacheRate || r.kind == .stepCache
        row.sameEvent = more
        return row
      }, slowestSteps: Array(slowest))
  }

  /// The most builds whose `why` verdict the report computes.
  static let verdictLimit = 20

}
