import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Chromium from PATH, when installed.
private let chromiumPath: String? = {
  let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
  for name in ["chromium", "chromium-browser", "google-chrome"] {
    for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
      return "\(folder)/\(name)"
    }
  }
  return nil
}()

/// The report as Chromium lays it out: `Scripts/check-report-layout.sh` opens pages at 1400 and
/// 800 px and finds no two chart texts that overlap on screen. Skipped without Chromium;
/// `.ci/run` installs it.
@Suite(.enabled(if: chromiumPath != nil, "needs chromium on PATH"))
struct ReportLayoutChromiumTests {
  static func page(builds count: Int) -> HTMLReportData {
    let builds = (1...count).map { i -> HTMLReportData.Build in
      let day = String(format: "%02d", 1 + i % 28)
      let outcome = i % 7 == 3 ? "failed" : "success"
      let seconds = 100 + Double(i % 5) * 30
      return HTMLReportData.Build(
        id: Int64(1000 + i), when: "2025-11-\(day) 18:04 UTC", branch: "main", commit: "3f2a9c1e",
        outcome: outcome, seconds: seconds, cached: i % 4, total: 4)
    }
    return HTMLReportData(
      title: "layout", generatedAt: "2025-11-21 18:00 UTC", version: "0", builds: builds,
      latest: builds.last,
      latestSteps: (0..<12).map {
        HTMLReportData.Step(
          name:
            "[stage-0 \($0)/12] RUN --mount=type=cache,target=/root/.cache/uv uv sync step \($0)",
          status: $0 % 3 == 0 ? "cached" : "done", start: Double($0) * 4, seconds: 4)
      })
  }

  @Test func noChartTextOverlapsAt1400Or800Pixels() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "layout-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var pages = [ReportFixture.data]
    pages += [1, 2, 3, 5, 9, 16, 40, 200].map { Self.page(builds: $0) }
    var paths: [String] = []
    for (index, data) in pages.enumerated() {
      let path = folder.appendingPathComponent("report-\(index).html").path
      try Data(HTMLReport.render(data).utf8).write(to: URL(fileURLWithPath: path))
      paths.append(path)
    }
    let script = CLI.repositoryRoot.appendingPathComponent("Scripts/check-report-layout.sh").path
    let result = try CLI.runExecutable(URL(fileURLWithPath: "/bin/bash"), [script] + paths)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.components(separatedBy: "OVERLAPS 0").count - 1 == paths.count * 2)
  }

  /// A build page of the uv history (a successful one, and a failed one given a long label, step
  /// name and output line) is never wider than the window at 1400 or 800 px.
  @Test func aBuildPageFitsAt1400Or800Pixels() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "layout-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var (failed, _) = try HTMLBuildPageTests.page(10)
    let long = String(repeating: "averyveryverylongwordwithoutspaces", count: 12)
    failed.shown.detail.labels = ["long": long]
    failed.shown.detail.steps[0].name = long
    for key in failed.shown.failedOutputs.keys { failed.shown.failedOutputs[key]?.append(long) }
    var paths: [String] = []
    for (index, page) in [try HTMLBuildPageTests.page(3).0, failed].enumerated() {
      let path = folder.appendingPathComponent("build-\(index).html").path
      try Data(HTMLBuildPage.render(page, base: "/").utf8).write(to: URL(fileURLWithPath: path))
      paths.append(path)
    }
    let script = CLI.repositoryRoot.appendingPathComponent("Scripts/check-report-layout.sh").path
    let result = try CLI.runExecutable(
      URL(fileURLWithPath: "/bin/bash"), [script, "--fit"] + paths)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.components(separatedBy: "OVERLAPS 0").count - 1 == paths.count * 2)
  }
}
