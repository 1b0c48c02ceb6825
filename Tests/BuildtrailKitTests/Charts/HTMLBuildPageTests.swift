import BuildStore
import BuildtrailKit
import Foundation
import Testing

@testable import BuildtrailRendering

/// One build's HTML page: golden files from the uv history, escaping of hostile text, and the report's
/// links to build pages only when there is a server to answer them.
@Suite(.serialized) struct HTMLBuildPageTests {
  /// The uv history's page of build `id`, with what differs between recordings (the scratch folder,
  /// the recording time of logs without timestamps) replaced.
  static func page(_ id: Int64) throws -> (BuildPage, String) {
    let history = try ServerRouteTests.history.get()
    let page = try BuildPageQuery(store: try BuildStore(path: history.db)).page(id)
    let html = HTMLBuildPage.render(page, base: "/", version: "test")
    let stable = html.replacingOccurrences(of: history.root.path, with: "ROOT")
      .replacingOccurrences(
        of: #"\d{4}-\d\d-\d\d \d\d:\d\d UTC"#, with: "DATE UTC", options: .regularExpression)
    return (page, stable)
  }

  @Test func aBuildOfTheUVHistoryMatchesItsGoldenFile() throws {
    let (page, html) = try Self.page(3)
    #expect(page.why?.rootMisses.isEmpty == false)
    try ChartSnapshot.check(html, "build-3.html")
  }

  @Test func aFailedBuildMatchesItsGoldenFile() throws {
    let (page, html) = try Self.page(10)
    #expect(page.shown.detail.summary.outcome == .failed)
    #expect(html.contains("<section id=\"errors\">"))
    try ChartSnapshot.check(html, "build-10.html")
  }

  @Test func hostileTextIsEscaped() throws {
    var (page, _) = try Self.page(10)
    let hostile = "<script>alert('x')</script>\u{1B}[31m\u{7}\"\u{301} onload=x"
    page.shown.detail.labels = ["team": hostile]
    page.shown.detail.errorMessage = hostile
    page.shown.detail.warnings = [hostile]
    page.shown.detail.summary.ciURL = "javascript:alert(1)"
    page.shown.detail.ci = CIFacts(provider: hostile, url: "javascript:alert(1)")
    for index in page.shown.detail.steps.indices {
      page.shown.detail.steps[index].name = hostile
    }
    let html = HTMLBuildPage.render(page, base: "/", version: hostile)
    #expect(!html.contains("<script"))
    #expect(!html.contains("\u{1B}") && !html.contains("\u{7}"))
    let rawQuote = "\"" + "\u{301}"
    #expect(!html.contains(rawQuote))
    #expect(!html.contains("javascript:"))
    #expect(
      html.contains("team=&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\u{FFFD}[31m\u{FFFD}"))
    #expect(!HTMLBuildPage.notFound(hostile, base: "/").contains("<script"))
  }

  @Test func aMissingNeighbourOrBaselineShowsNone() throws {
    var (page, _) = try Self.page(3)
    page.previous = nil
    page.next = nil
    page.why = nil
    page.whyUnavailable = "no baseline"
    page.shown.detail.summary.ciURL = nil
    let html = HTMLBuildPage.render(page, base: "/", version: "test")
    #expect(!html.contains("rel=\"prev\"") && !html.contains("rel=\"next\""))
    #expect(!html.contains("rel=\"related\""))
    #expect(html.contains("unknown: no baseline"))
  }

  /// `buildtrail report` writes a file with no server behind it: no build page is linked. Served,
  /// every build of the table, every regression and the latest build link to their page.
  @Test func theReportLinksBuildPagesOnlyUnderABase() {
    var data = ReportFixture.data
    data.builds[3].url = "https://ci.example/run/3"
    data.builds[3].verdict = "rebuilt 4 steps"
    let file = HTMLReport.render(data)
    #expect(!file.contains("/builds/"))
    data.pageBase = "/"
    let served = HTMLReport.render(data)
    for build in data.builds {
      #expect(served.contains("<a href=\"/builds/\(build.id)\">#\(build.id)</a>"), "#\(build.id)")
    }
    for regression in data.regressions {
      #expect(
        served.contains("<a href=\"/builds/\(regression.build)\">#\(regression.build)</a></td>"))
    }
    #expect(served.contains("<a href=\"/builds/\(data.builds.count + 380)\"><circle"))
    #expect(served.contains("<a href=\"/builds/384#why\">why</a>: rebuilt 4 steps"))
    #expect(served.contains(" <a href=\"https://ci.example/run/3\" title=\"the CI run\">CI</a>"))
    #expect(BuildPageRouteTests.unlinked(served) == file)
  }
}
