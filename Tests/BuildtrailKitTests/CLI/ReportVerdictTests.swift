import Foundation
import Testing

/// `report` on the uv scenario's history: each failed build carries `why`'s verdict.
@Suite struct ReportVerdictTests {
  @Test func failedBuildsCarryWhy() throws {
    let history = try ExplainFixtureTests.record()
    let page = history.root.appendingPathComponent("report.html")
    let r = try CLI.run(["report", "--html", page.path, "--db", history.db])
    #expect(r.status == 0, Comment(rawValue: r.stderr))
    let html = try String(contentsOf: page, encoding: .utf8)
    #expect(html.contains("why: failed at [stage-0 6/6] RUN echo &quot;running checks&quot;"))
    #expect(
      html.contains("why: failed at [stage-0 6/6] RUN python3 -c &quot;import app.main&quot;"))
  }
}
