import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// The report's builds link to their CI run and carry `why`'s verdict; rate regressions read as
/// percentages and a stage's steps that broke together are one row.
@Suite struct HTMLReportDetailTests {
  static func data(url: String?, verdict: String?, regressions: [HTMLReportData.Regression])
    -> HTMLReportData
  {
    var build = HTMLReportData.Build(
      id: 7, when: "2025-11-21 18:00 UTC", branch: "main", outcome: "failed", seconds: 12,
      cached: 1, total: 4)
    build.url = url
    build.verdict = verdict
    return HTMLReportData(
      title: "t", generatedAt: "2025-11-21 18:00 UTC", version: "0", builds: [build],
      latest: build, regressions: regressions)
  }

  @Test func aBuildLinksToItsCIRunAndShowsWhy() {
    let html = HTMLReport.render(
      Self.data(
        url: "https://ci.example/run/1?a=1&b=2", verdict: "rebuilt 2 steps: uv.lock changed <x>",
        regressions: []))
    #expect(
      html.contains(#"<a href="https://ci.example/run/1?a=1&amp;b=2" title="the CI run">#7</a>"#))
    #expect(html.contains("why: rebuilt 2 steps: uv.lock changed &lt;x&gt;"))
  }

  @Test(arguments: ["javascript:alert(1)", "data:text/html,x", "https://a b", "ftp://x"])
  func onlyWebAddressesAreLinked(_ url: String) {
    let html = HTMLReport.render(Self.data(url: url, verdict: nil, regressions: []))
    #expect(!html.contains("<a href="))
    #expect(HTMLReport.link(url) == nil)
  }

  @Test func rateRegressionsReadAsPercentagesAndStagesGroup() {
    var rate = HTMLReportData.Regression(
      series: "cache-rate: cache hit ratio", build: 7, before: 0.9, after: 0.5, change: -0.444,
      confidence: 1)
    rate.isRate = true
    var step = HTMLReportData.Regression(
      series: "step-cache: [app 3/19] COPY src3/ /app/src3/", build: 7, before: 0.98, after: 0,
      change: -1, confidence: 1)
    step.isRate = true
    step.sameEvent = 16
    let html = HTMLReport.render(Self.data(url: nil, verdict: nil, regressions: [rate, step]))
    #expect(html.contains(">90%</td>"))
    #expect(html.contains(">50%</td>"))
    #expect(html.contains("−40 points"))
    #expect(!html.contains("0.9s"))
    #expect(html.contains("and 16 later steps of its stage at the same build"))
  }
}
