import Foundation
import Testing

/// `GET /builds/{id}` on a real `serve` over the uv history: a page per build, the HTML 404, and
/// links from the report and between pages that all resolve.
@Suite(.serialized) struct BuildPageRouteTests {
  /// `page` without the links to build pages the served report adds (the text they wrap stays, and a
  /// CI link beside a build's number goes back onto the number), which is what `buildtrail report`
  /// writes.
  static func unlinked(_ page: String) -> String {
    var text = page.replacingOccurrences(
      of: #"<a href="/builds/\d+">(#\d+)</a> <a href="([^"]*)" title="the CI run">CI</a>"#,
      with: #"<a href="$2" title="the CI run">$1</a>"#, options: .regularExpression)
    text = text.replacingOccurrences(
      of: #"<a href="/builds/\d+">(#\d+)</a>"#, with: "$1", options: .regularExpression)
    text = text.replacingOccurrences(
      of: #"<a href="/builds/\d+#why">why</a>"#, with: "why", options: .regularExpression)
    text = text.replacingOccurrences(
      of: #"<a href="/builds/\d+">(<circle[^>]*><title>[^<]*</title></circle>)</a>"#, with: "$1",
      options: .regularExpression)
    return text
  }

  /// The addresses of the page's `href`s on this server (no scheme), without their fragment.
  static func localLinks(_ page: String) -> [String] {
    let pattern = try! NSRegularExpression(pattern: ##"href="(/[^"#]*)(#[^"]*)?""##)
    let range = NSRange(page.startIndex..., in: page)
    return pattern.matches(in: page, range: range).compactMap {
      Range($0.range(at: 1), in: page).map { String(page[$0]) }
    }
  }

  @Test func aBuildHasItsPage() throws {
    let history = try ServerRouteTests.history.get()
    let server = try ServerProcess(db: history.db)
    defer { server.forceStop() }
    let page = try server.get("/builds/3")
    #expect(page.status == 200)
    #expect(page.contentType == "text/html; charset=utf-8")
    #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)
    #expect(page.body.contains("<h1>Build #3 "))
    #expect(page.body.contains("<section id=\"why\">"))
    #expect(page.body.contains("rel=\"prev\">previous #2</a>"))
    #expect(page.body.contains("rel=\"next\">next #4</a>"))
    #expect(!page.body.lowercased().contains("<script"))
    let failed = try server.get("/builds/10")
    #expect(failed.status == 200)
    #expect(failed.body.contains("<section id=\"errors\">"))
  }

  @Test func anUnknownBuildIsAnHTML404() throws {
    let history = try ServerRouteTests.history.get()
    let server = try ServerProcess(db: history.db)
    defer { server.forceStop() }
    for path in ["/builds/9999", "/builds/abc", "/builds/0"] {
      let page = try server.get(path)
      #expect(page.status == 404, "\(path)")
      #expect(page.contentType == "text/html; charset=utf-8", "\(path)")
      #expect(page.body.contains("<a href=\"/\" rel=\"up\">"), "\(path)")
    }
    #expect(try server.get("/builds/9999").body.contains("9999"))
  }

  /// A label with markup and control characters, recorded by `record --label`, is escaped on the
  /// served build page and in the report, and no script reaches either.
  @Test func hostileTextIsEscapedOnTheServedPage() throws {
    let root = try scratchDirectory()
    let db = root.appendingPathComponent("hostile.db").path
    let log = ExplainFixtureTests.fixtures.appendingPathComponent("00-initial.log").path
    let hostile = "<script>alert('x')</script>\u{1B}[31m\u{7}"
    let r = try CLI.run(["record", log, "--db", db, "--no-metadata", "--label", "team=" + hostile])
    try #require(r.status == 0, "\(r.stderr)")
    let server = try ServerProcess(db: db)
    defer { server.forceStop() }
    let page = try server.get("/builds/1")
    #expect(page.status == 200)
    #expect(!page.body.contains("<script") && !page.body.contains("\u{1B}"))
    #expect(!page.body.contains("\u{7}"))
    #expect(
      page.body.contains(
        "<code>team=&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\u{FFFD}[31m\u{FFFD}</code>"))
    let report = try server.get("/")
    #expect(report.status == 200 && !report.body.contains("<script"))
    #expect(report.body.contains("<a href=\"/builds/1\">#1</a>"))
  }

  /// From the report, every link to this server and every link of each page reached answers 200.
  @Test func everyLinkResolves() throws {
    let history = try ServerRouteTests.history.get()
    let server = try ServerProcess(db: history.db)
    defer { server.forceStop() }
    var queue = ["/"]
    var seen: Set<String> = ["/"]
    var pages = 0
    while let path = queue.first, pages < 200 {
      queue.removeFirst()
      let reply = try server.get(path)
      pages += 1
      #expect(reply.status == 200, "\(path) answers \(reply.status)")
      for link in Self.localLinks(reply.body) where !seen.contains(link) {
        seen.insert(link)
        queue.append(link)
      }
    }
    #expect(queue.isEmpty, "more than 200 pages")
    let builds = seen.filter { $0.hasPrefix("/builds/") }
    let listed = try CLI.run(["builds", "--limit", "1000", "--db", history.db, "--format", "json"])
    let count = listed.stdout.components(separatedBy: "\"id\" :").count - 1
    #expect(count > 5)
    #expect(builds.count == count, "every build is reached: \(builds.sorted())")
  }
}
