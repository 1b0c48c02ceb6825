import Foundation

/// Everything the HTML report shows, as plain values; the report computes nothing from the clock.
public struct HTMLReportData: Sendable {
  /// One recorded build.
  public struct Build: Sendable {
    /// The build's number in the store (`#412`).
    public var id: Int64
    /// When it ran, already formatted (`2025-11-29 10:46`).
    public var when: String
    /// The git branch, when known.
    public var branch: String?
    /// The git commit, when known; shown as its first 7 characters.
    public var commit: String?
    /// The commit's subject line, when known.
    public var subject: String?
    /// How it ended: `success`, `failed`, `canceled` or `unknown`.
    public var outcome: String
    /// Wall-clock duration in seconds.
    public var seconds: Double
    /// Steps that were cache hits.
    public var cached: Int
    /// All steps.
    public var total: Int
    /// The compose service, when the build was one service's.
    public var service: String?
    /// The CI run's page, when recorded (only `http` and `https` addresses are linked).
    public var url: String?
    /// `why`'s verdict, for a failed build or one where a regression starts.
    public var verdict: String?

    /// A build as the store describes it.
    public init(
      id: Int64, when: String, branch: String? = nil, commit: String? = nil, subject: String? = nil,
      outcome: String, seconds: Double, cached: Int, total: Int, service: String? = nil
    ) {
      self.service = service
      self.id = id
      self.when = when
      self.branch = branch
      self.commit = commit
      self.subject = subject
      self.outcome = outcome
      self.seconds = seconds
      self.cached = cached
      self.total = total
    }
  }

  /// One step of the latest build, for the waterfall.
  public struct Step: Sendable {
    /// The step's name as the log gives it.
    public var name: String
    /// How it ended: `done`, `cached`, `error`, `canceled` or `unfinished`.
    public var status: String
    /// Seconds from the build's start to the step's start, when known.
    public var start: Double?
    /// The step's duration in seconds, when known.
    public var seconds: Double?

    /// A step of the latest build.
    public init(name: String, status: String, start: Double?, seconds: Double?) {
      self.name = name
      self.status = status
      self.start = start
      self.seconds = seconds
    }
  }

  /// A detected change in a series of durations.
  public struct Regression: Sendable {
    /// What regressed: `build` or a step's name.
    public var series: String
    /// The first build after the change.
    public var build: Int64
    /// The typical duration before, in seconds.
    public var before: Double
    /// The typical duration after, in seconds.
    public var after: Double
    /// The relative change: `0.25` is 25% slower.
    public var change: Double
    /// How sure the detector is, in `0...1`.
    public var confidence: Double
    /// The likely cause, when one was found.
    public var cause: String?
    /// Whether the series is a share (a cache hit ratio or a step's hits, 0…1) rather than seconds.
    public var isRate: Bool = false
    /// Later steps of the same stage that started missing at the same build for the same cause,
    /// shown with this one as one event.
    public var sameEvent: Int = 0

    /// A regression as the detector reports it.
    public init(
      series: String, build: Int64, before: Double, after: Double, change: Double,
      confidence: Double,
      cause: String? = nil
    ) {
      self.series = series
      self.build = build
      self.before = before
      self.after = after
      self.change = change
      self.confidence = confidence
      self.cause = cause
    }
  }

  /// A step that is slow across the history.
  public struct SlowStep: Sendable {
    /// The step's name.
    public var name: String
    /// Median duration in seconds.
    public var medianSeconds: Double
    /// 90th-percentile duration in seconds.
    public var p90Seconds: Double
    /// How many times the step ran (cache hits included).
    public var executions: Int
    /// The share of executions that were cache hits, in `0...1`.
    public var cacheHitRatio: Double

    /// A slow step's statistics.
    public init(
      name: String, medianSeconds: Double, p90Seconds: Double, executions: Int,
      cacheHitRatio: Double
    ) {
      self.name = name
      self.medianSeconds = medianSeconds
      self.p90Seconds = p90Seconds
      self.executions = executions
      self.cacheHitRatio = cacheHitRatio
    }
  }

  /// The report's heading and the page title.
  public var title: String
  /// When the report was made, already formatted; printed as given.
  public var generatedAt: String
  /// The buildtrail version that made the report.
  public var version: String
  /// The builds, oldest first.
  public var builds: [Build]
  /// The build the waterfall shows.
  public var latest: Build?
  /// The latest build's steps, in log order.
  public var latestSteps: [Step]
  /// Detected regressions.
  public var regressions: [Regression]
  /// The slowest steps, slowest first.
  public var slowestSteps: [SlowStep]

  /// The data for one report.
  public init(
    title: String, generatedAt: String, version: String, builds: [Build], latest: Build? = nil,
    latestSteps: [Step] = [], regressions: [Regression] = [], slowestSteps: [SlowStep] = []
  ) {
    self.title = title
    self.generatedAt = generatedAt
    self.version = version
    self.builds = builds
    self.latest = latest
    self.latestSteps = latestSteps
    self.regressions = regressions
    self.slowestSteps = slowestSteps
  }
}

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

  /// A trend line over the builds: y axis with round ticks, a few x labels, points coloured by outcome, and
  /// regressions as dashed lines with a triangle.
  struct TrendChart {
    var name: String
    var unit: ChartUnit
    var builds: [HTMLReportData.Build]
    /// Raw values (seconds, or ratios in `0...1`); `nil` breaks the line.
    var values: [Double?]
    var regressions: [HTMLReportData.Regression]

    static let width = 1136.0
    /// The widest x label (`#1234` over `2025-11-21 18:00` at 11 px), in the chart's units.
    static let labelWidth = 112.0
    static let height = 260.0
    static let left = 64.0
    static let right = 20.0
    static let top = 24.0
    static let bottom = 44.0

    /// How many builds carry a regression marker.
    var markedRegressions: Int {
      Set(regressions.map(\.build)).intersection(builds.map(\.id)).count
    }

    func svg() -> String {
      let plotWidth = Self.width - Self.left - Self.right
      let plotHeight = Self.height - Self.top - Self.bottom
      let shown = values.map { value -> Double? in
        guard let value, value.isFinite else { return nil }
        return unit == .ratio
          ? min(max(0, value * 100), 100) : min(max(0, value), TerminalChart.Format.largest)
      }
      let largest = unit == .ratio ? 100 : (shown.compactMap { $0 }.max() ?? 0)
      let scale = TerminalChart.Scale(unit: unit, largest: largest, intervals: 5)
      let count = builds.count
      func x(_ index: Int) -> Double {
        count == 1
          ? Self.left + plotWidth / 2 : Self.left + Double(index) * plotWidth / Double(count - 1)
      }
      func y(_ value: Double) -> Double { Self.top + plotHeight - value / scale.top * plotHeight }
      let n = HTMLReport.number

      var out = [
        "<svg class=\"chart\" viewBox=\"0 0 \(n(Self.width)) \(n(Self.height))\" width=\"\(n(Self.width))\" "
          + "height=\"\(n(Self.height))\" role=\"img\" aria-label=\"\(HTMLReport.escape(name))\">"
      ]
      // Grid and y axis.
      for tick in scale.ticks {
        let ty = n(y(tick))
        out.append(
          "<line class=\"grid\" x1=\"\(n(Self.left))\" y1=\"\(ty)\" x2=\"\(n(Self.width - Self.right))\" y2=\"\(ty)\"/>"
            + "<text class=\"tick\" x=\"\(n(Self.left - 8))\" y=\"\(ty)\" dy=\"4\" text-anchor=\"end\">"
            + "\(TerminalChart.Format.tick(tick, unit))</text>")
      }
      out.append(
        "<line class=\"axis\" x1=\"\(n(Self.left))\" y1=\"\(n(y(0)))\" x2=\"\(n(Self.width - Self.right))\" "
          + "y2=\"\(n(y(0)))\"/>")
      // X labels: up to eight builds, evenly spread, none overlapping another.
      func anchor(_ index: Int) -> String {
        count == 1 ? "middle" : (index == 0 ? "start" : (index == count - 1 ? "end" : "middle"))
      }
      func extent(_ index: Int) -> ClosedRange<Double> {
        let w = Self.labelWidth
        switch anchor(index) {
        case "start": return x(index)...(x(index) + w)
        case "end": return (x(index) - w)...x(index)
        default: return (x(index) - w / 2)...(x(index) + w / 2)
        }
      }
      let labelCount = min(count, 8)
      var labelled: [Int] = []
      for slot in 0..<labelCount {
        let index =
          labelCount == 1 ? 0 : Int((Double(slot * (count - 1)) / Double(labelCount - 1)).rounded())
        // The last label wins over the one before it when they would touch.
        while let last = labelled.last, extent(last).upperBound + 8 > extent(index).lowerBound {
          if index != count - 1 { break }
          labelled.removeLast()
        }
        if let last = labelled.last, extent(last).upperBound + 8 > extent(index).lowerBound {
          continue
        }
        labelled.append(index)
      }
      for index in labelled {
        let build = builds[index]
        let anchor = anchor(index)
        out.append(
          "<line class=\"axis\" x1=\"\(n(x(index)))\" y1=\"\(n(y(0)))\" x2=\"\(n(x(index)))\" y2=\"\(n(y(0) + 5))\"/>"
            + "<text class=\"tick\" x=\"\(n(x(index)))\" y=\"\(n(y(0) + 18))\" text-anchor=\"\(anchor)\">#\(build.id)"
            + "<tspan class=\"when\" x=\"\(n(x(index)))\" dy=\"14\">\(HTMLReport.escape(String(build.when.prefix(16))))"
            + "</tspan></text>")
      }
      // Regressions: a dashed line through the build, a ▲ on top, details in the tooltip.
      let byBuild = Dictionary(grouping: regressions, by: \.build)
      for (index, build) in builds.enumerated() {
        guard let found = byBuild[build.id] else { continue }
        let details = found.map {
          let shown = HTMLReport.values($0)
          return "\($0.series): \(shown.before) → \(shown.after) (\(shown.change))"
            + ($0.cause.map { ", likely \($0)" } ?? "")
        }
        let tip = HTMLReport.escape(
          "Regression at #\(build.id)\n" + details.joined(separator: "\n"))
        let px = x(index)
        out.append(
          "<g class=\"regression\"><title>\(tip)</title>"
            + "<line x1=\"\(n(px))\" y1=\"\(n(Self.top))\" x2=\"\(n(px))\" y2=\"\(n(y(0)))\"/>"
            + "<path d=\"M\(n(px)) \(n(Self.top - 14))l6 10h-12z\"/></g>")
      }
      // The line, broken where a value is missing.
      var runs: [[String]] = [[]]
      for (index, value) in shown.enumerated() {
        if let value {
          runs[runs.count - 1].append("\(n(x(index))),\(n(y(value)))")
        } else if !(runs.last?.isEmpty ?? true) {
          runs.append([])
        }
      }
      for run in runs where run.count > 1 {
        out.append("<polyline class=\"series\" points=\"\(run.joined(separator: " "))\"/>")
      }
      // Points with tooltips.
      let radius = count > 150 ? 2.0 : 3.5
      for (index, build) in builds.enumerated() {
        guard let value = shown[index] else { continue }
        let outcome = Outcome(build.outcome)
        let size = outcome == .success ? radius : radius + 1
        out.append(
          "<circle class=\"point \(outcome.className)\" cx=\"\(n(x(index)))\" cy=\"\(n(y(value)))\" r=\"\(n(size))\">"
            + "<title>\(tooltip(build, value: value))</title></circle>")
      }
      out.append("</svg>")
      return out.joined(separator: "\n")
    }

    private func tooltip(_ build: HTMLReportData.Build, value: Double) -> String {
      let shownValue =
        unit == .ratio
        ? "\(build.cached)/\(build.total) cached (\(TerminalChart.Format.value(value, .ratio)))"
        : HTMLReport.seconds(value)
      let head = [
        "#\(build.id)", build.when, build.branch, build.commit.map { String($0.prefix(7)) },
      ]
      .compactMap { $0 }.joined(separator: " · ")
      let lines = [head, build.subject, "\(shownValue) · \(build.outcome)"].compactMap { $0 }
      return HTMLReport.escape(lines.joined(separator: "\n"))
    }
  }

  /// The latest build's steps as horizontal bars on a shared time axis.
  struct Waterfall {
    var steps: [HTMLReportData.Step]
    var buildSeconds: Double

    static let width = 1136.0
    static let labelWidth = 360.0
    static let right = 64.0
    static let row = 22.0
    static let top = 28.0
    /// Step names longer than this are cut in the label; the tooltip has the whole name.
    static let nameLimit = 52

    func svg() -> String {
      let n = HTMLReport.number
      let ends = steps.compactMap { step -> Double? in
        guard let start = step.start, let seconds = step.seconds, start.isFinite, seconds.isFinite
        else { return nil }
        return max(0, start) + max(0, seconds)
      }
      let total = max(buildSeconds.isFinite ? buildSeconds : 0, ends.max() ?? 0)
      let scale = TerminalChart.Scale(unit: .seconds, largest: total, intervals: 8)
      let plotLeft = Self.labelWidth
      let plotWidth = Self.width - plotLeft - Self.right
      let height = Self.top + Double(steps.count) * Self.row + 8
      func x(_ seconds: Double) -> Double {
        plotLeft + min(max(0, seconds), scale.top) / scale.top * plotWidth
      }

      var out = [
        "<svg class=\"waterfall\" viewBox=\"0 0 \(n(Self.width)) \(n(height))\" width=\"\(n(Self.width))\" "
          + "height=\"\(n(height))\" role=\"img\" aria-label=\"Steps of the latest build on a time axis\">"
      ]
      for tick in scale.ticks {
        let tx = n(x(tick))
        out.append(
          "<line class=\"grid\" x1=\"\(tx)\" y1=\"\(n(Self.top - 6))\" x2=\"\(tx)\" y2=\"\(n(height - 8))\"/>"
            + "<text class=\"tick\" x=\"\(tx)\" y=\"\(n(Self.top - 12))\" text-anchor=\"middle\">"
            + "\(TerminalChart.Format.tick(tick, .seconds))</text>")
      }
      for (index, step) in steps.enumerated() {
        let rowTop = Self.top + Double(index) * Self.row
        let kind = Kind(step.status)
        let name =
          step.name.count > Self.nameLimit
          ? String(step.name.prefix(Self.nameLimit - 1)) + "…" : step.name
        var tip = "\(step.name)\n\(step.status)"
        if let seconds = step.seconds { tip += " · \(HTMLReport.seconds(seconds))" }
        if let start = step.start { tip += " · starts at \(HTMLReport.seconds(start))" }
        var row =
          "<g class=\"step \(kind.rawValue)\"><title>\(HTMLReport.escape(tip))</title>"
          + "<text class=\"name\" x=\"\(n(plotLeft - 10))\" y=\"\(n(rowTop + 15))\" text-anchor=\"end\">"
          + "\(HTMLReport.escape(name))</text>"
        if let start = step.start, start.isFinite {
          let seconds = step.seconds.flatMap { $0.isFinite ? max(0, $0) : nil } ?? 0
          let barX = x(start)
          let barWidth = max(2, x(start + seconds) - barX)
          row +=
            "<rect x=\"\(n(barX))\" y=\"\(n(rowTop + 4))\" width=\"\(n(barWidth))\" "
            + "height=\"\(n(Self.row - 8))\" rx=\"2\"/>"
          let label = kind == .cached ? "cached" : step.seconds.map { HTMLReport.seconds($0) } ?? ""
          if !label.isEmpty {
            row +=
              "<text class=\"duration\" x=\"\(n(barX + barWidth + 6))\" y=\"\(n(rowTop + 15))\">\(label)</text>"
          }
        } else {
          row +=
            "<text class=\"duration\" x=\"\(n(plotLeft + 4))\" y=\"\(n(rowTop + 15))\">not started</text>"
        }
        out.append(row + "</g>")
      }
      out.append("</svg>")
      return out.joined(separator: "\n")
    }

    /// A step status folded into the classes the page styles.
    enum Kind: String {
      case done, cached, error, canceled

      init(_ status: String) {
        switch status.lowercased() {
        case "cached": self = .cached
        case "error", "failed": self = .error
        case "done", "success": self = .done
        default: self = .canceled
        }
      }
    }
  }

  static let stylesheet = """
    :root {
      color-scheme: light;
      --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --grid: #eaeef2; --panel: #f6f8fa;
      --accent: #0969da; --failed: #cf222e; --regression: #bc4c00; --cached: #8c959f; --canceled: #d4a72c;
      --ok: #1a7f37;
    }
    * { box-sizing: border-box; }
    html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    body { margin: 0; background: #fff; color: var(--fg);
      font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 40px; }
    h1 { font-size: 24px; margin: 0 0 4px; }
    h2 { font-size: 17px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
    code { font: 12px ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; }
    .meta { color: var(--muted); margin: 0 0 14px; }
    .cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; }
    .card { border: 1px solid var(--line); border-radius: 6px; background: var(--panel); padding: 10px 14px; }
    .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
    .card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
    .card .value span { font-size: 15px; font-weight: 600; }
    .card .note { color: var(--muted); font-size: 12px; }
    section { margin-top: 30px; break-inside: avoid; }
    svg { display: block; width: 100%; height: auto; overflow: visible; }
    svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--muted); }
    svg .grid { stroke: var(--grid); }
    svg .axis { stroke: #8c959f; }
    svg .series { fill: none; stroke: var(--accent); stroke-width: 2; stroke-linejoin: round; }
    svg .point { fill: var(--accent); stroke: #fff; stroke-width: 1; }
    svg .point.failed { fill: var(--failed); }
    svg .point.canceled { fill: var(--canceled); }
    svg .regression line { stroke: var(--regression); stroke-dasharray: 4 3; }
    svg .regression path { fill: var(--regression); }
    svg .when { font-size: 10px; }
    svg .step text.name { font: 12px ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
      fill: var(--fg); }
    svg .step rect { fill: var(--accent); }
    svg .step.cached rect { fill: var(--cached); }
    svg .step.error rect { fill: var(--failed); }
    svg .step.canceled rect { fill: var(--canceled); }
    svg .step.cached text.name { fill: var(--muted); }
    .legend { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
    .key { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 12px;
      vertical-align: -1px; background: var(--accent); }
    .key:first-child { margin-left: 0; }
    .key.failed, .key.error { background: var(--failed); }
    .key.canceled { background: var(--canceled); }
    .key.cached { background: var(--cached); }
    .key.regression { background: var(--regression); }
    table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
    th { color: var(--muted); font-size: 12px; font-weight: 600; border-bottom-width: 2px; }
    tbody tr:nth-child(even) { background: var(--panel); }
    .num { text-align: right; white-space: nowrap; }
    td.name { font: 12px/1.6 ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
      word-break: break-all; }
    td.when { white-space: nowrap; }
    td.subject { max-width: 380px; }
    td.worse { color: var(--failed); font-weight: 600; }
    td.better { color: var(--ok); font-weight: 600; }
    .muted, .empty { color: var(--muted); }
    .verdict { color: var(--muted); font-size: 0.85em; }
    .empty { font-style: italic; }
    .badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
      border: 1px solid currentColor; }
    .success { color: var(--ok); }
    .failed { color: var(--failed); }
    .canceled { color: #7d4e00; }
    th.spark, td.spark { width: 180px; }
    td.spark div { position: relative; height: 8px; margin-top: 6px; }
    td.spark span { position: absolute; left: 0; top: 0; height: 8px; border-radius: 2px; }
    td.spark .p90 { background: #b6d4f7; }
    td.spark .median { background: var(--accent); }
    td.outcome { white-space: nowrap; }
    .tag { color: var(--regression); font-size: 12px; font-weight: 600; margin-left: 6px; }
    footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
    @media print {
      body { font-size: 11px; }
      main { max-width: none; padding: 0; }
      tbody tr:nth-child(even) { background: none; }
    }
    """
}
