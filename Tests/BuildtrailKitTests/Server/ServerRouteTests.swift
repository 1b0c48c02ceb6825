import Foundation
import Testing

/// `buildtrail serve` as a child process on the uv history recorded from the fixtures: every read
/// route answers with the bytes `buildtrail COMMAND --format json` prints on the same database.
@Suite(.serialized) struct ServerRouteTests {
  /// The uv history, recorded once for the suite.
  static let history = Result { try ExplainFixtureTests.record() }

  /// Each route with its CLI command: (path and query, CLI arguments before `--db`).
  static let routes: [(path: String, cli: [String])] = [
    ("/api/v1/builds", ["builds"]),
    ("/api/v1/builds?limit=3&outcome=success", ["builds", "--limit", "3", "--outcome", "success"]),
    ("/api/v1/builds?outcome=failed", ["builds", "--outcome", "failed"]),
    ("/api/v1/builds?branch=nope", ["builds", "--branch", "nope"]),
    (
      "/api/v1/builds?label=a=b&label=c=d",
      ["builds", "--label", "a=b", "--label", "c=d"]
    ),
    ("/api/v1/builds/3", ["show", "3"]),
    ("/api/v1/builds/10", ["show", "10"]),
    ("/api/v1/builds/3/steps/1", ["show", "3", "--step", "1"]),
    ("/api/v1/builds/3/steps/uv%20sync", ["show", "3", "--step", "uv sync"]),
    ("/api/v1/builds/3/why", ["why", "3"]),
    ("/api/v1/builds/8/why", ["why", "8"]),
    ("/api/v1/builds/7/why?against=2", ["why", "7", "--against", "2"]),
    ("/api/v1/diff?before=2&after=3", ["diff", "2", "3"]),
    ("/api/v1/diff?before=2&after=3&all=true", ["diff", "2", "3", "--all"]),
    ("/api/v1/diff?before=5", ["diff", "5"]),
    ("/api/v1/broke", ["broke"]),
    ("/api/v1/broke?all", ["broke", "--all"]),
    ("/api/v1/broke?step=uv%20sync&limit=10", ["broke", "--step", "uv sync", "--limit", "10"]),
    ("/api/v1/trend", ["trend"]),
    ("/api/v1/trend?last=5", ["trend", "--last", "5"]),
    ("/api/v1/trend?since=2000-01-01", ["trend", "--since", "2000-01-01"]),
    ("/api/v1/regressions", ["regressions"]),
    ("/api/v1/regressions?window=8", ["regressions", "--window", "8"]),
    ("/api/v1/check", ["check"]),
    (
      "/api/v1/check?build=9&max-slowdown=50%25&min-cache-hit=0.5&window=3",
      ["check", "9", "--max-slowdown", "50%", "--min-cache-hit", "0.5", "--window", "3"]
    ),
    ("/api/v1/failures", ["failures"]),
    ("/api/v1/failures?last=5", ["failures", "--last", "5"]),
  ]

  @Test func everyRouteAnswersWithTheCLIsJSON() throws {
    let history = try Self.history.get()
    let server = try ServerProcess(db: history.db)
    defer { server.forceStop() }
    var compared = 0
    for (path, cli) in Self.routes {
      let reply = try server.get(path)
      let expected = try CLI.run(cli + ["--db", history.db, "--format", "json"])
      #expect(reply.status == 200, "\(path): \(reply.body)")
      #expect(reply.contentType == "application/json; charset=utf-8", "\(path)")
      #expect(!expected.stdout.isEmpty, "\(cli): \(expected.stderr)")
      #expect(reply.body == expected.stdout, "\(path) differs from \(cli.joined(separator: " "))")
      if reply.body == expected.stdout { compared += 1 }
    }
    #expect(compared == Self.routes.count)
  }

  @Test func theReportPageIsTheCLIsReport() throws {
    let history = try Self.history.get()
    let server = try ServerProcess(db: history.db)
    defer { server.forceStop() }
    for (query, flags) in [("", [String]()), ("?last=5", ["--last", "5"])] {
      let file = history.root.appendingPathComponent("report.html").path
      let r = try CLI.run(["report", "--html", file, "--db", history.db] + flags)
      try #require(r.status == 0, "\(r.stderr)")
      let page = try server.get("/" + query)
      #expect(page.status == 200)
      #expect(page.contentType == "text/html; charset=utf-8")
      #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)
      let written = try String(contentsOfFile: file, encoding: .utf8)
      #expect(page.body.contains("href=\"/builds/"), "GET /\(query) links build pages")
      #expect(!written.contains("href=\"/builds/"), "the file has no server to link to")
      #expect(
        Self.undated(BuildPageRouteTests.unlinked(page.body)) == Self.undated(written),
        "GET /\(query)")
      #expect(page.body.contains("<html"))
    }
  }

  /// The page without its `Generated` time, which differs between two renderings.
  static func undated(_ page: String) -> String {
    page.replacingOccurrences(
      of: #"Generated \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, with: "Generated TIME",
      options: .regularExpression)
  }

  @Test func errorsAreJSONWithTheirStatus() throws {
    let history = try Self.history.get()
    let server = try ServerProcess(db: history.db)
    defer { server.forceStop() }
    let cases: [(path: String, status: Int, message: String)] = [
      ("/api/v1/builds/999", 404, "no build 999 in the history"),
      ("/api/v1/builds/999/why", 404, "no build 999 in the history"),
      ("/api/v1/builds/3/why?against=999", 404, "no build 999 in the history"),
      ("/api/v1/builds/999/steps/1", 404, "no build 999 in the history"),
      ("/api/v1/diff?before=1&after=999", 404, "no build 999 in the history"),
      ("/api/v1/builds/abc", 400, "a build id is a whole number or latest, got 'abc'"),
      ("/api/v1/builds?limit=0", 400, "limit takes a whole number from 1 to 100000, got 0"),
      ("/api/v1/builds?limit=x", 400, "limit takes a whole number from 1 to 100000, got 'x'"),
      (
        "/api/v1/builds?outcome=meh", 400, "outcome takes one of success, failed, canceled, unknown"
      ),
      ("/api/v1/builds?label=nokey", 400, "label takes key=value, got 'nokey'"),
      ("/api/v1/builds?brnach=main", 400, "unknown parameter 'brnach'"),
      ("/api/v1/builds?limit=1&limit=2", 400, "parameter 'limit' is given 2 times"),
      ("/api/v1/diff", 400, "diff needs before=BUILD"),
      ("/api/v1/trend?since=2026-02-30", 400, "since takes a date as YYYY-MM-DD"),
      ("/api/v1/check?max-slowdown=20", 400, "max-slowdown takes a percentage"),
      ("/api/v1/broke?all=maybe", 400, "all takes true or false, got 'maybe'"),
      ("/api/v1/builds/3/steps/no-such-step", 404, "build 3 has no step 'no-such-step'"),
      ("/api/v1/trend?step=zzz-none", 404, "no step of these builds matches 'zzz-none'"),
      ("/api/v1/nothing", 404, "no route GET /api/v1/nothing"),
    ]
    for (path, status, message) in cases {
      let reply = try server.get(path)
      #expect(reply.status == status, "\(path): \(reply.body)")
      #expect(reply.contentType == "application/json; charset=utf-8", "\(path)")
      let json = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
      let error = json?["error"] as? String ?? ""
      #expect(error.contains(message), "\(path): \(error)")
      #expect(json?.count == 1, "\(path): \(reply.body)")
      #expect(!error.contains("--db") && !error.contains("`buildtrail"), "\(path): \(error)")
    }
  }
}
