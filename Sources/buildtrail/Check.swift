import ArgumentParser
import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract:
      "Fail (exit 1) when a build regressed: slower than its recent history, or too few cache hits.",
    discussion: """
      buildtrail check --max-slowdown 20% --min-cache-hit 80%
      In GitHub Actions it also prints ::error annotations and writes a summary to $GITHUB_STEP_SUMMARY.
      """)

  @Argument(help: "The build (default: the latest).") var build: Int64?
  @Option(name: .long, help: "Largest allowed slowdown against the median of the window, e.g. 20%.")
  var maxSlowdown: String = "20%"
  @Option(
    name: .long, help: "Smallest allowed share of cacheable steps that hit the cache, e.g. 80%.")
  var minCacheHit: String?
  @Option(name: .long, help: "How many earlier successful builds of the branch make the baseline.")
  var window = 10
  @Option(name: .long, help: "Without BUILD: the latest build of this compose service.")
  var service: String?
  @OptionGroup var source: QuerySourceOptions
  @OptionGroup var output: FormatOptions

  func validate() throws {
    _ = try slowdown()
    _ = try cacheHit()
    try OptionRange.count(window, flag: "--window")
  }

  private func slowdown() throws -> Double {
    try OptionRange.percentage(maxSlowdown, flag: "--max-slowdown", range: 0...100_000)
  }

  private func cacheHit() throws -> Double? {
    try minCacheHit.map { try OptionRange.percentage($0, flag: "--min-cache-hit", range: 0...100) }
  }

  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    let check: BuildCheck
    do {
      let thresholds = BuildCheck.Thresholds(
        maxSlowdown: try slowdown(), minCacheHit: try cacheHit(), window: window)
      check = try source.source().read(
        path: "/api/v1/check",
        query: [
          ("build", build.map(String.init)), ("max-slowdown", maxSlowdown),
          ("min-cache-hit", minCacheHit), ("window", String(window)), ("service", service),
        ]
      ) {
        try BuildCheck.run(store: $0, buildID: build, thresholds: thresholds, service: service)
      }
    } catch {
      throw fail(error)
    }
    let renderer = BuildCheckRenderer(format: output.format, terminal: .standardOutput())
    try emit(renderer.render(check))
    if environment["GITHUB_ACTIONS"] == "true" {
      // On stderr, so that stdout stays the chosen format; the runner reads commands on both.
      FileHandle.standardError.write(Data(renderer.githubAnnotations(check).utf8))
    }
    if let summary = environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty,
      let handle = FileHandle(forWritingAtPath: summary)
        ?? {
          _ = FileManager.default.createFile(atPath: summary, contents: nil)
          return FileHandle(forWritingAtPath: summary)
        }()
    {
      handle.seekToEndOfFile()
      handle.write(Data(renderer.markdownSummary(check).utf8))
      try? handle.close()
    }
    if check.failed { throw ExitCode(1) }
  }
}
