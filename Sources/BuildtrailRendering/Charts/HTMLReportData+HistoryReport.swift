import BuildStore
import BuildtrailKit
import Foundation

extension HTMLReportData {
  /// The page's values for `report`: times and names formatted, regressions of one stage grouped,
  /// `why` as its verdict.
  /// Build pages are linked under `pageBase` when given (see ``pageBase``).
  public init(
    _ report: HistoryReport, version: String = BuildtrailVersion.current, pageBase: String? = nil
  ) {
    let verdicts = Dictionary(
      report.explanations.map { ($0.build, $0.explanation.verdict) },
      uniquingKeysWith: { a, _ in a })
    func row(_ b: BuildSummary) -> Build {
      var build = Build(
        id: b.id, when: formatWhen(b.when) + " UTC", branch: b.branch,
        commit: b.commit.map { String($0.prefix(8)) }, subject: b.subject,
        outcome: b.outcome.rawValue, seconds: b.seconds, cached: b.stepsCached, total: b.stepsTotal,
        service: b.service)
      build.url = b.ciURL
      build.verdict = verdicts[b.id]
      return build
    }
    let regressions = RegressionRenderer.events(report.regressions).map { r, more in
      var row = Regression(
        series: "\(r.kind.rawValue): \(compact(r.series))", build: r.build.id,
        before: r.change.medianBefore, after: r.change.medianAfter, change: r.change.relativeChange,
        confidence: r.change.confidence, cause: r.cause?.text)
      row.isRate = r.kind == .cacheRate || r.kind == .stepCache
      row.sameEvent = more
      return row
    }
    self.init(
      title: "buildtrail — \(report.branch ?? "all branches")"
        + (report.service.map { ", service \($0)" } ?? ""),
      generatedAt: UTCTimestamp.string(from: report.generatedAt), version: version,
      builds: report.builds.map(row), latest: row(report.latest),
      latestSteps: report.latestSteps.map {
        Step(name: compact($0.name), status: $0.status, start: $0.start, seconds: $0.seconds)
      },
      regressions: regressions,
      slowestSteps: report.slowestSteps.map {
        SlowStep(
          name: compact($0.name), medianSeconds: $0.medianSeconds, p90Seconds: $0.p90Seconds,
          executions: $0.executions, cacheHitRatio: $0.cacheHitRatio)
      })
    self.pageBase = pageBase
  }
}
