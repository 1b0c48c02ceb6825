import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

@Suite struct HTMLReportTests {
  @Test func golden() throws {
    try ChartSnapshot.check(HTMLReport.render(ReportFixture.data), "report.html")
  }

  @Test func goldenWithNothingRecorded() throws {
    let data = HTMLReportData(
      title: "buildtrail report", generatedAt: "2025-11-21 18:00 UTC", version: "0.4.0", builds: [])
    try ChartSnapshot.check(HTMLReport.render(data), "report-empty.html")
  }

  @Test func renderingIsDeterministic() {
    #expect(HTMLReport.render(ReportFixture.data) == HTMLReport.render(ReportFixture.data))
  }

  @Test func escapesTheFiveCharacters() {
    #expect(
      HTMLReport.escape(#"<script>alert(1)</script>"#) == "&lt;script&gt;alert(1)&lt;/script&gt;")
    #expect(HTMLReport.escape(#"a & b "c" 'd'"#) == "a &amp; b &quot;c&quot; &#39;d&#39;")
    #expect(HTMLReport.escape("bell\u{7}nul\u{0}") == "bell\u{FFFD}nul\u{FFFD}")
    #expect(HTMLReport.escape("&amp;") == "&amp;amp;")
  }

  /// Every string field holds markup; the page must show it as text, in element text, attributes and SVG tooltips.
  @Test func hostileStringsNeverBecomeMarkup() {
    let hostile = #"<script>alert(1)</script>"'&<img src=x onerror=alert(2)>"#
    let html = HTMLReport.render(Self.data(filledWith: hostile))
    #expect(!html.localizedCaseInsensitiveContains("<script"))
    #expect(!html.contains("<img"))
    #expect(!html.contains("alert(1)</script>"))
    #expect(
      html.contains(
        "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&lt;img src=x onerror=alert(2)&gt;"))
    // A page from benign strings of the same lengths has the same markup, so the same count of each markup character.
    let benign = HTMLReport.render(
      Self.data(filledWith: String(repeating: "x", count: hostile.count)))
    for character in ["<", ">", "\"", "'"] {
      #expect(
        html.components(separatedBy: character).count
          == benign.components(separatedBy: character).count,
        "unescaped \(character)")
    }
  }

  @Test func selfContained() {
    let html = HTMLReport.render(ReportFixture.data)
    for forbidden in ["http:", "https:", "<script", "<link", "@import", "url(", "<img", "<iframe"] {
      #expect(!html.contains(forbidden), "\(forbidden)")
    }
    #expect(html.hasPrefix("<!DOCTYPE html>\n"))
    for tag in [
      "section", "table", "svg", "g", "text", "tr", "td", "th", "p", "div", "header", "main",
      "html",
    ] {
      let opened =
        html.components(separatedBy: "<\(tag)>").count
        + html.components(separatedBy: "<\(tag) ").count - 2
      let closed = html.components(separatedBy: "</\(tag)>").count - 1
      #expect(opened == closed, "<\(tag)> opened \(opened) times, closed \(closed)")
    }
  }

  @Test func sectionsAndOrder() throws {
    let html = HTMLReport.render(ReportFixture.data)
    let order = [
      "<header>", "id=\"duration\"", "id=\"cache\"", "id=\"waterfall\"", "id=\"regressions\"",
      "id=\"slowest\"",
      "id=\"builds\"",
    ]
    let positions = try order.map { try #require(html.range(of: $0)).lowerBound }
    #expect(positions == positions.sorted())
    // Builds table is newest first.
    let newest = try #require(html.range(of: "<td class=\"num\">#420</td>")).lowerBound
    let oldest = try #require(html.range(of: "<td class=\"num\">#381</td>")).lowerBound
    #expect(newest < oldest)
    // Failed builds are red points, cached steps grey bars, regressions marked at their build.
    #expect(html.contains("<circle class=\"point failed\""))
    #expect(html.contains("<g class=\"step cached\">"))
    #expect(html.components(separatedBy: "<g class=\"regression\">").count - 1 == 2)
  }

  static func data(filledWith text: String) -> HTMLReportData {
    let build = HTMLReportData.Build(
      id: 7, when: text, branch: text, commit: text, subject: text, outcome: text, seconds: 61,
      cached: 1, total: 3)
    return HTMLReportData(
      title: text, generatedAt: text, version: text, builds: [build, build], latest: build,
      latestSteps: [HTMLReportData.Step(name: text, status: text, start: 0, seconds: 12)],
      regressions: [
        HTMLReportData.Regression(
          series: text, build: 7, before: 1, after: 2, change: 1, confidence: 0.9, cause: text)
      ],
      slowestSteps: [
        HTMLReportData.SlowStep(
          name: text, medianSeconds: 3, p90Seconds: 4, executions: 2, cacheHitRatio: 0.5)
      ])
  }
}
