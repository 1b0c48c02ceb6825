import BuildtrailKit
import Foundation

/// A self-contained HTML page (inline CSS and SVG, no scripts, no network) for a build history.
public enum HTMLReport {
  /// The report as one HTML document: header, duration and cache-hit trends, the latest build's waterfall, and tables
  /// of regressions, slowest steps and builds (newest first).
  ///
  /// Every string from `data` is HTML-escaped (`&`, `<`, `>`, `"`, `'`), in text, attributes and SVG tooltips alike.
  /// The output depends on `data` only, so it can be compared with a golden file.
  public static func render(_ data: HTMLReportData) -> String {
    var page = Page()
    page.add(
      """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta name="generator" content="buildtrail \(escape(data.version))">
      <title>\(escape(data.title))</title>
      <style>
      \(stylesheet)
      </style>
      </head>
      <body>
      <main>
      """)
    header(data, into: &page)
    durationSection(data, into: &page)
    cacheSection(data, into: &page)
    waterfallSection(data, into: &page)
    regressionSection(data, into: &page)
    slowStepSection(data, into: &page)
    buildSection(data, into: &page)
    page.add(
      """
      <footer>Generated \(escape(data.generatedAt)) by buildtrail \(escape(data.version)).</footer>
      </main>
      </body>
      </html>
      """)
    return page.text
  }

  /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities, and control characters other than tab and
  /// newline replaced by U+FFFD, safe in element text and in quoted attributes.
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      case "\r": out += "\n"
      default:
        if scalar.properties.generalCategory == .control {
          out += "\u{FFFD}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  // MARK: - Sections

  private static func header(_ data: HTMLReportData, into page: inout Page) {
    let builds = data.builds
    var facts = [
      "Generated \(escape(data.generatedAt))", "buildtrail \(escape(data.version))",
      plural(builds.count, "build"),
    ]
    let branches = branchSummary(builds, latest: data.latest)
    if !branches.isEmpty { facts.append(branches) }
    page.add("<header>")
    page.add("<h1>\(escape(data.title))</h1>")
    page.add("<p class=\"meta\">\(facts.joined(separator: " · "))</p>")
    page.add("<div class=\"cards\">")
    if let latest = data.latest ?? builds.last {
      let outcome = Outcome(latest.outcome)
      card(
        "Latest build",
        "#\(latest.id) <span class=\"\(outcome.className)\">\(escape(latest.outcome))</span>",
        "\(seconds(latest.seconds)) · \(escape(latest.when))", into: &page)
      let steps = "\(latest.cached) of \(latest.total) steps"
      card("Cache hits", ratioText(latest.cached, latest.total), steps, into: &page)
    } else {
      card("Latest build", "—", "nothing recorded", into: &page)
      card("Cache hits", "—", "nothing recorded", into: &page)
    }
    if let median = median(builds.map(\.seconds)) {
      card("Median duration", seconds(median), "over \(plural(builds.count, "build"))", into: &page)
    } else {
      card("Median duration", "—", "nothing recorded", into: &page)
    }
    let failed = builds.filter { Outcome($0.outcome) == .failed }.count
    card("Failed builds", "\(failed)", "of \(plural(builds.count, "build"))", into: &page)
    let series = Set(data.regressions.map(\.series)).count
    card("Regressions", "\(data.regressions.count)", "in \(series) series", into: &page)
    page.add("</div>")
    page.add("</header>")
  }

  private static func card(_ label: String, _ value: String, _ note: String, into page: inout Page)
  {
    page.add(
      "<div class=\"card\"><div class=\"label\">\(label)</div><div class=\"value\">\(value)</div>"
        + "<div class=\"note\">\(note)</div></div>")
  }

  private static func durationSection(_ data: HTMLReportData, into page: inout Page) {
    page.add("<section id=\"duration\">")
    page.add("<h2>Build duration</h2>")
    if data.builds.isEmpty {
      page.add("<p class=\"empty\">No builds recorded yet.</p>")
    } else {
      let chart = TrendChart(
        name: "Build duration per build", unit: .seconds, builds: data.builds,
        values: data.builds.map(\.seconds),
        regressions: data.regressions)
      page.add(chart.svg())
      page.add(legend(data.builds, regressions: chart.markedRegressions))
    }
    page.add("</section>")
  }

  private static func cacheSection(_ data: HTMLReportData, into page: inout Page) {
    page.add("<section id=\"cache\">")
    page.add("<h2>Cache hit ratio</h2>")
    if data.builds.isEmpty {
      page.add("<p class=\"empty\">No builds recorded yet.</p>")
    } else {
      let values = data.builds.map { $0.total > 0 ? Double($0.cached) / Double($0.total) : nil }
      let chart = TrendChart(
        name: "Share of steps that were cache hits, per build", unit: .ratio, builds: data.builds,
        values: values,
        regressions: [])
      page.add(chart.svg())
      page.add(legend(data.builds, regressions: 0))
    }
    page.add("</section>")
  }

  private static func waterfallSection(_ data: HTMLReportData, into page: inout Page) {
    page.add("<section id=\"waterfall\">")
    guard let latest = data.latest else {
      page.add("<h2>Latest build</h2>")
      page.add("<p class=\"empty\">No latest build.</p>")
      page.add("</section>")
      return
    }
    page.add("<h2>Latest build #\(latest.id): steps</h2>")
    let about = [
      Outcome(latest.outcome).label(latest.outcome), seconds(latest.seconds), escape(latest.when),
      latest.branch.map { "branch <code>\(escape($0))</code>" },
      latest.commit.map(commitCode),
      latest.subject.map(escape),
    ].compactMap { $0 }
    page.add("<p class=\"meta\">\(about.joined(separator: " · "))</p>")
    if data.latestSteps.isEmpty {
      page.add("<p class=\"empty\">No steps recorded for this build.</p>")
    } else {
      page.add(Waterfall(steps: data.latestSteps, buildSeconds: latest.seconds).svg())
      page.add(
        "<p class=\"legend\"><span class=\"key done\"></span>ran <span class=\"key cached\"></span>cached "
          + "<span class=\"key error\"></span>failed <span class=\"key canceled\"></span>canceled or unfinished</p>"
      )
    }
    page.add("</section>")
  }

  private static func regressionSection(_ data: HTMLReportData, into page: inout Page) {
    page.add("<section id=\"regressions\">")
    page.add("<h2>Regressions</h2>")
    guard !data.regressions.isEmpty else {
      page.add("<p class=\"empty\">No regressions detected.</p>")
      page.add("</section>")
      return
    }
    page.add("<table>")
    page.add(
      "<thead><tr><th>Series</th><th class=\"num\">Build</th><th class=\"num\">Before</th><th class=\"num\">After</th>"
        + "<th class=\"num\">Change</th><th class=\"num\">Confidence</th><th>Likely cause</th></tr></thead>"
    )
    page.add("<tbody>")
    for regression in data.regressions {
      let direction = regression.change > 0 ? "worse" : "better"
      let cause = regression.cause.map(escape) ?? "<span class=\"muted\">unknown</span>"
      let more =
        regression.sameEvent > 0
        ? "<br><span class=\"muted\">and \(regression.sameEvent) later step\(regression.sameEvent == 1 ? "" : "s") of its stage at the same build</span>"
        : ""
      let shown = values(regression)
      page.add(
        "<tr><td class=\"name\">\(escape(regression.series))\(more)</td><td class=\"num\">#\(regression.build)</td>"
          + "<td class=\"num\">\(shown.before)</td><td class=\"num\">\(shown.after)</td>"
          + "<td class=\"num \(direction)\">\(shown.change)</td>"
          + "<td class=\"num\">\(percent(regression.confidence))</td><td>\(cause)</td></tr>")
    }
    page.add("</tbody>")
    page.add("</table>")
    page.add("</section>")
  }

  private static func slowStepSection(_ data: HTMLReportData, into page: inout Page) {
    page.add("<section id=\"slowest\">")
    page.add("<h2>Slowest steps</h2>")
    guard !data.slowestSteps.isEmpty else {
      page.add("<p class=\"empty\">No steps recorded yet.</p>")
      page.add("</section>")
      return
    }
    let longest = data.slowestSteps.map { max($0.p90Seconds, $0.medianSeconds) }.max() ?? 0
    page.add("<table>")
    page.add(
      "<thead><tr><th>Step</th><th class=\"num\">Median</th><th class=\"num\">p90</th><th class=\"spark\"></th>"
        + "<th class=\"num\">Runs</th><th class=\"num\">Cache hits</th></tr></thead>")
    page.add("<tbody>")
    for step in data.slowestSteps {
      let medianWidth = longest > 0 ? max(0, step.medianSeconds) / longest * 100 : 0
      let p90Width = longest > 0 ? max(0, step.p90Seconds) / longest * 100 : 0
      page.add(
        "<tr><td class=\"name\">\(escape(step.name))</td><td class=\"num\">\(seconds(step.medianSeconds))</td>"
          + "<td class=\"num\">\(seconds(step.p90Seconds))</td>"
          + "<td class=\"spark\"><div><span class=\"p90\" style=\"width:\(number(p90Width))%\"></span>"
          + "<span class=\"median\" style=\"width:\(number(medianWidth))%\"></span></div></td>"
          + "<td class=\"num\">\(step.executions)</td><td class=\"num\">\(percent(step.cacheHitRatio))</td></tr>"
      )
    }
    page.add("</tbody>")
    page.add("</table>")
    page.add("</section>")
  }

  private static func buildSection(_ data: HTMLReportData, into page: inout Page) {
    page.add("<section id=\"builds\">")
    page.add("<h2>Builds</h2>")
    guard !data.builds.isEmpty else {
      page.add("<p class=\"empty\">No builds recorded yet.</p>")
      page.add("</section>")
      return
    }
    page.add("<table>")
    page.add(
      "<thead><tr><th class=\"num\">Build</th><th>When</th><th>Branch</th><th>Commit</th><th>Subject</th>"
        + "<th>Outcome</th><th class=\"num\">Duration</th><th class=\"num\">Cached</th></tr></thead>"
    )
    page.add("<tbody>")
    let regressed = Set(data.regressions.map(\.build))
    for build in data.builds.reversed() {
      let tag = " <span class=\"tag\" title=\"a regression starts here\">▲ regression</span>"
      let mark = regressed.contains(build.id) ? tag : ""
      let commit = build.commit.map(commitCode)
      let id =
        build.url.flatMap(Self.link).map {
          "<a href=\"\($0)\" title=\"the CI run\">#\(build.id)</a>"
        }
        ?? "#\(build.id)"
      let verdict =
        build.verdict.map { "<br><span class=\"verdict\">why: \(escape($0))</span>" } ?? ""
      page.add(
        "<tr><td class=\"num\">\(id)</td><td class=\"when\">\(escape(build.when))</td>"
          + "<td>\(build.branch.map(escape) ?? "")\(build.service.map { " <span class=\"tag\">\(escape($0))</span>" } ?? "")</td>"
          + "<td>\(commit ?? "")</td>"
          + "<td class=\"subject\">\(build.subject.map(escape) ?? "")\(verdict)</td>"
          + "<td class=\"outcome\">\(Outcome(build.outcome).label(build.outcome))\(mark)</td>"
          + "<td class=\"num\">\(seconds(build.seconds))</td>"
          + "<td class=\"num\">\(build.cached)/\(build.total)</td></tr>")
    }
    page.add("</tbody>")
    page.add("</table>")
    page.add("</section>")
  }

  /// A regression's before, after and change as shown: seconds and a relative change, or for a
  /// share (hit ratio) percentages and a change in points.
  static func values(_ r: HTMLReportData.Regression) -> (
    before: String, after: String, change: String
  ) {
    guard r.isRate else { return (seconds(r.before), seconds(r.after), signedPercent(r.change)) }
    let points = String(format: "%+.0f points", (r.after - r.before) * 100)
      .replacingOccurrences(of: "-", with: "−")
    return (percent(r.before), percent(r.after), points)
  }

  /// An `http(s)` address, escaped for an attribute; nil for anything else (`javascript:` …).
  static func link(_ address: String) -> String? {
    let lower = address.lowercased()
    guard lower.hasPrefix("https://") || lower.hasPrefix("http://"),
      !address.contains(where: {
        $0.isWhitespace || $0.asciiValue.map { $0 < 32 || $0 == 127 } == true
      })
    else { return nil }
    return escape(address)
  }

  private static func legend(_ builds: [HTMLReportData.Build], regressions: Int) -> String {
    var keys = ["<span class=\"key success\"></span>succeeded"]
    let outcomes = Set(builds.map { Outcome($0.outcome) })
    if outcomes.contains(.failed) { keys.append("<span class=\"key failed\"></span>failed") }
    if outcomes.contains(.canceled) {
      keys.append("<span class=\"key canceled\"></span>canceled or unknown")
    }
    if regressions > 0 {
      keys.append("<span class=\"key regression\"></span>regression (hover for details)")
    }
    return "<p class=\"legend\">\(keys.joined(separator: " "))</p>"
  }

  // MARK: - Formatting

  /// `"main"` or `"branches main, feature/x (+2 more)"`, newest first.
  private static func branchSummary(_ builds: [HTMLReportData.Build], latest: HTMLReportData.Build?)
    -> String
  {
    var seen: [String] = []
    for branch in ([latest?.branch] + builds.reversed().map(\.branch)).compactMap({ $0 })
    where !seen.contains(branch) {
      seen.append(branch)
    }
    guard let first = seen.first else { return "" }
    if seen.count == 1 { return "branch <code>\(escape(first))</code>" }
    let shown = seen.prefix(3).map { "<code>\(escape($0))</code>" }.joined(separator: ", ")
    return "branches \(shown)" + (seen.count > 3 ? " (+\(seen.count - 3) more)" : "")
  }

  /// The commit's first 7 characters, the whole hash in the tooltip.
  static func commitCode(_ commit: String) -> String {
    let short = String(commit.prefix(7))
    return short == commit
      ? "<code>\(escape(commit))</code>"
      : "<code title=\"\(escape(commit))\">\(escape(short))</code>"
  }

  static func seconds(_ value: Double) -> String {
    value.isFinite ? TerminalChart.Format.value(max(0, value), .seconds) : "—"
  }

  static func percent(_ ratio: Double) -> String {
    ratio.isFinite ? String(format: "%.0f%%", ratio * 100) : "—"
  }

  static func signedPercent(_ ratio: Double) -> String {
    guard ratio.isFinite else { return "—" }
    let text = String(format: "%.1f%%", abs(ratio) * 100)
    return text == "0.0%" ? text : (ratio > 0 ? "+" : "−") + text
  }

  static func ratioText(_ part: Int, _ whole: Int) -> String {
    whole > 0 ? percent(Double(part) / Double(whole)) : "—"
  }

  static func plural(_ count: Int, _ noun: String) -> String {
    count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
  }

  static func median(_ values: [Double]) -> Double? {
    let sorted = values.filter(\.isFinite).sorted()
    guard !sorted.isEmpty else { return nil }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }

  /// An SVG coordinate: at most one decimal, no trailing zeros.
  static func number(_ value: Double) -> String {
    TerminalChart.Format.trimmed(value.isFinite ? value : 0, 1)
  }
}

extension HTMLReport {
  /// Lines of the document being built.
  struct Page {
    var lines: [String] = []
    mutating func add(_ text: String) { lines.append(text) }
    var text: String { lines.joined(separator: "\n") + "\n" }
  }

  /// A build outcome folded into the few kinds the page styles; the CSS class never comes from the data.
  enum Outcome: Hashable {
    case success, failed, canceled

    init(_ outcome: String) {
      switch outcome.lowercased() {
      case "failed", "failure", "error", "errored": self = .failed
      case "success", "succeeded", "ok", "passed", "done": self = .success
      default: self = .canceled
      }
    }

    var className: String {
      switch self {
      case .success: "success"
      case .failed: "failed"
      case .canceled: "canceled"
      }
    }

    /// The outcome as a coloured badge showing the original word.
    func label(_ outcome: String) -> String {
      "<span class=\"badge \(className)\">\(HTMLReport.escape(outcome))</span>"
    }
  }
}
