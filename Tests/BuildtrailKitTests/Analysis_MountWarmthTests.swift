import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

enum CacheBreakFinderProbe {
  static func stretch(_ pattern: String) -> (start: Int, end: Int?)? {
    CacheBreakFinder.brokenStretch(pattern.map { $0 == "R" })
  }
}

@Suite struct MountWarmthTests {
  @Test func uvColdWarmPartial() {
    let cold = MountWarmth.read(
      output: [
        "Resolved 9 packages in 12ms", "Prepared 8 packages in 2.44s",
        "Installed 8 packages in 5ms",
      ], target: "/root/.cache/uv")
    #expect(cold?.state == .cold)
    #expect(cold?.fetched == 8)
    #expect(cold?.total == 8)
    let warm = MountWarmth.read(
      output: ["Resolved 9 packages in 12ms", "Installed 8 packages in 5ms"], target: "/c")
    #expect(warm?.state == .warm)
    let partial = MountWarmth.read(
      output: ["Prepared 2 packages in 0.6s", "Installed 8 packages in 5ms"], target: "/c")
    #expect(partial?.state == .partial)
    #expect(partial?.summary == "uv cache mount /c partly warm: fetched 2 of 8 packages")
  }

  /// Real uv prepares the project's own package in the step that installs it: that step's "cold" mount
  /// must not hide the warm one of the step that installed the dependencies.
  @Test func theDependencyStepTellsTheMountsWarmth() throws {
    let dependencies = try #require(
      MountWarmth.read(
        output: ["Resolved 9 packages in 12ms", "Installed 8 packages in 5ms"],
        target: "/root/.cache/uv"))
    let project = try #require(
      MountWarmth.read(
        output: [
          "Resolved 9 packages in 12ms", "Prepared 1 package in 300ms",
          "Installed 1 package in 5ms",
        ],
        target: "/root/.cache/uv"))
    #expect(project.state == .cold)
    #expect(dependencies.installsMoreThan(project))
    #expect(!project.installsMoreThan(dependencies))
  }

  @Test func pipDownloadsAndCacheHits() {
    let out = [
      "Collecting fastapi", "  Downloading fastapi-0.110.0-py3-none-any.whl (92 kB)",
      "Collecting httpx", "  Using cached httpx-0.27.0-py3-none-any.whl (75 kB)",
    ]
    let w = MountWarmth.read(output: out, target: "/root/.cache/pip")
    #expect(w?.tool == "pip")
    #expect(w?.state == .partial)
    #expect(MountWarmth.read(output: ["nothing here"], target: "/x") == nil)
  }
}
