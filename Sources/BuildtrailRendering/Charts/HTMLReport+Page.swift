import BuildtrailKit
import Foundation

extension HTMLReport {
  /// The values the report's templates show for `data`.
  static func page(_ data: HTMLReportData) -> HTMLReportPage {
    let builds = data.builds
    var facts = [
      HTMLReportPage.Fact(separator: "", lead: "Generated \(data.generatedAt)"),
      HTMLReportPage.Fact(separator: " · ", lead: "buildtrail \(data.version)"),
      HTMLReportPage.Fact(separator: " · ", lead: plural(builds.count, "build")),
    ]
    if let branches = branchFact(builds, latest: data.latest) { facts.append(branches) }
    let regressed = Set(data.regressions.map(\.build))
    return HTMLReportPage(
      version: data.version, title: data.title, generatedAt: data.generatedAt, facts: facts,
      cards: cards(data), durationChart: durationChart(data), cacheChart: cacheChart(data),
      latest: latest(data),
      regressions: data.regressions.map { regressionRow($0, pageBase: data.pageBase) },
      slowSteps: slowStepRows(data.slowestSteps),
      builds: builds.reversed().map {
        buildRow($0, regressed: regressed.contains($0.id), pageBase: data.pageBase)
      },
      hasRegressions: !data.regressions.isEmpty, hasSlowSteps: !data.slowestSteps.isEmpty,
      hasBuilds: !builds.isEmpty)
  }

  private static func cards(_ data: HTMLReportData) -> [HTMLReportPage.Card] {
    let builds = data.builds
    var cards: [HTMLReportPage.Card] = []
    if let latest = data.latest ?? builds.last {
      cards.append(
        HTMLReportPage.Card(
          label: "Latest build", value: "#\(latest.id)",
          badge: HTMLReportPage.Badge(
            className: Outcome(latest.outcome).className, text: latest.outcome),
          note: "\(seconds(latest.seconds)) · \(latest.when)"))
      cards.append(
        HTMLReportPage.Card(
          label: "Cache hits", value: ratioText(latest.cached, latest.total), badge: nil,
          note: "\(latest.cached) of \(latest.total) steps"))
    } else {
      cards.append(
        HTMLReportPage.Card(label: "Latest build", value: "—", badge: nil, note: "nothing recorded")
      )
      cards.append(
        HTMLReportPage.Card(label: "Cache hits", value: "—", badge: nil, note: "nothing recorded"))
    }
    if let median = median(builds.map(\.seconds)) {
      cards.append(
        HTMLReportPage.Card(
          label: "Median duration", value: seconds(median), badge: nil,
          note: "over \(plural(builds.count, "build"))"))
    } else {
      cards.append(
        HTMLReportPage.Card(
          label: "Median duration", value: "—", badge: nil, note: "nothing recorded"))
    }
    let failed = builds.filter { Outcome($0.outcome) == .failed }.count
    cards.append(
      HTMLReportPage.Card(
        label: "Failed builds", value: "\(failed)", badge: nil,
        note: "of \(plural(builds.count, "build"))"))
    let series = Set(data.regressions.map(\.series)).count
    cards.append(
      HTMLReportPage.Card(
        label: "Regressions", value: "\(data.regressions.count)", badge: nil,
        note: "in \(series) series"))
    return cards
  }

  private static func durationChart(_ data: HTMLReportData) -> HTMLReportPage.Chart? {
    guard !data.builds.isEmpty else { return nil }
    let chart = TrendChart(
      name: "Build duration per build", unit: .seconds, builds: data.builds,
      values: data.builds.map(\.seconds), regressions: data.regressions, pageBase: data.pageBase)
    return chart.chart(legend: legend(data.builds, regressions: chart.markedRegressions))
  }

  private static func cacheChart(_ data: HTMLReportData) -> HTMLReportPage.Chart? {
    guard !data.builds.isEmpty else { return nil }
    let values = data.builds.map { $0.total > 0 ? Double($0.cached) / Double($0.total) : nil }
    let chart = TrendChart(
      name: "Share of steps that were cache hits, per build", unit: .ratio, builds: data.builds,
      values: values, regressions: [], pageBase: data.pageBase)
    return chart.chart(legend: legend(data.builds, regressions: 0))
  }

  private static func latest(_ data: HTMLReportData) -> HTMLReportPage.Latest? {
    guard let latest = data.latest else { return nil }
    return HTMLReportPage.Latest(
      id: latest.id,
      latestHref: data.pageBase.map { HTMLBuildPage.address(of: latest.id, base: $0) },
      badge: Outcome(latest.outcome).badge(latest.outcome),
      seconds: seconds(latest.seconds), when: latest.when, branch: latest.branch,
      commit: latest.commit.map(commit), subject: latest.subject,
      waterfall: data.latestSteps.isEmpty
        ? nil : Waterfall(steps: data.latestSteps, buildSeconds: latest.seconds).model())
  }

  private static func regressionRow(_ regression: HTMLReportData.Regression, pageBase: String?)
    -> HTMLReportPage.RegressionRow
  {
    let shown = values(regression)
    let more = regression.sameEvent
    return HTMLReportPage.RegressionRow(
      series: regression.series,
      more: more > 0
        ? "and \(more) later step\(more == 1 ? "" : "s") of its stage at the same build" : nil,
      build: regression.build,
      regressionHref: pageBase.map { HTMLBuildPage.address(of: regression.build, base: $0) },
      before: shown.before, after: shown.after,
      direction: regression.change > 0 ? "worse" : "better", change: shown.change,
      confidence: percent(regression.confidence), cause: regression.cause)
  }

  private static func slowStepRows(_ steps: [HTMLReportData.SlowStep])
    -> [HTMLReportPage.SlowStepRow]
  {
    let longest = steps.map { max($0.p90Seconds, $0.medianSeconds) }.max() ?? 0
    return steps.map { step in
      let medianWidth = longest > 0 ? max(0, step.medianSeconds) / longest * 100 : 0
      let p90Width = longest > 0 ? max(0, step.p90Seconds) / longest * 100 : 0
      return HTMLReportPage.SlowStepRow(
        name: step.name, median: seconds(step.medianSeconds), p90: seconds(step.p90Seconds),
        p90Width: number(p90Width), medianWidth: number(medianWidth), runs: step.executions,
        hits: percent(step.cacheHitRatio))
    }
  }

  private static func buildRow(_ build: HTMLReportData.Build, regressed: Bool, pageBase: String?)
    -> HTMLReportPage.BuildRow
  {
    let page = pageBase.map { HTMLBuildPage.address(of: build.id, base: $0) }
    return HTMLReportPage.BuildRow(
      id: build.id, url: build.url.flatMap(link), buildHref: page,
      whyHref: page.map { $0 + "#why" },
      when: build.when, branch: build.branch ?? "",
      service: build.service, commit: build.commit.map(commit), subject: build.subject ?? "",
      verdict: build.verdict, badge: Outcome(build.outcome).badge(build.outcome),
      regression: regressed, seconds: seconds(build.seconds), cached: build.cached,
      total: build.total)
  }

  private static func legend(_ builds: [HTMLReportData.Build], regressions: Int)
    -> [HTMLReportPage.LegendKey]
  {
    var keys = [HTMLReportPage.LegendKey(separator: "", className: "success", text: "succeeded")]
    let outcomes = Set(builds.map { Outcome($0.outcome) })
    if outcomes.contains(.failed) {
      keys.append(HTMLReportPage.LegendKey(separator: " ", className: "failed", text: "failed"))
    }
    if outcomes.contains(.canceled) {
      keys.append(
        HTMLReportPage.LegendKey(
          separator: " ", className: "canceled", text: "canceled or unknown"))
    }
    if regressions > 0 {
      keys.append(
        HTMLReportPage.LegendKey(
          separator: " ", className: "regression", text: "regression (hover for details)"))
    }
    return keys
  }
}
