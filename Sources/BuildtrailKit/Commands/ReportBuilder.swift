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

    func row(_ b: BuildSummary) -> HTMLReportData.Build {
      HTMLReportData.Build(
        id: b.id, when: formatWhen(b.when) + " UTC", branch: b.branch,
        commit: b.commit.map { String($0.prefix(8)) },
        subject: b.subject, outcome: b.outcome.rawValue, seconds: b.seconds, cached: b.stepsCached,
        total: b.stepsTotal, service: b.service)
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
      regressions: regressions.map {
        HTMLReportData.Regression(
          series: "\($0.kind.rawValue): \(compact($0.series))", build: $0.build.id,
          before: $0.change.medianBefore,
          after: $0.change.medianAfter, change: $0.change.relativeChange,
          confidence: $0.change.confidence, cause: $0.cause)
      }, slowestSteps: Array(slowest))
  }
}
