import ArgumentParser
import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Trend: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trend",
    abstract:
      "Chart recent builds: total duration and cache hit ratio, or one step's duration and cache hits.",
    discussion: """
      buildtrail trend --last 100
      buildtrail trend --step 'uv sync' --branch main --ascii
      """)

  @Option(name: .long, help: "The branch (default: the latest build's).") var branch: String?
  @Option(name: .long, help: "The target (default: the latest build's).") var target: String?
  @Option(name: .long, help: "The compose service (default: the latest build's).")
  var service: String?
  @Option(name: .long, help: "Chart the step whose name contains this text.") var step: String?
  @Option(name: .long, help: "How many recent builds.") var last = 50
  @Option(name: .long, help: "Only builds recorded since this date (YYYY-MM-DD, UTC).") var since:
    String?
  @Flag(name: .long, help: "Plain ASCII charts, for terminals without Unicode.") var ascii = false
  @Flag(name: .long, help: "Block characters instead of braille.") var blocks = false
  @OptionGroup var source: QuerySourceOptions
  @OptionGroup var output: FormatOptions

  func validate() throws {
    try OptionRange.count(last, flag: "--last")
    if let since { _ = try OptionRange.date(since, flag: "--since") }
  }

  func run() throws {
    let since = try since.map { try OptionRange.date($0, flag: "--since") }
    let options = TrendQuery.Options(
      branch: branch, target: target, service: service, step: step, last: last, since: since)
    let text = self.since
    try source.render { history in
      let trend = try history.read(
        path: "/api/v1/trend",
        query: [
          ("branch", branch), ("target", target), ("service", service), ("step", step),
          ("last", String(last)), ("since", text),
        ]
      ) { try TrendQuery(store: $0).trend(options) }
      return TrendRenderer(
        format: output.format, terminal: .standardOutput(),
        glyphs: ascii ? .ascii : blocks ? .blocks : .braille, since: since
      ).render(trend)
    }
  }
}

struct Regressions: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "regressions",
    abstract:
      "Find regressions: change points in durations and cache hits, per branch and target, with their causes.",
    discussion: "buildtrail regressions --branch main --format json")

  @Option(name: .long, help: "Only this branch (default: every branch).") var branch: String?
  @Option(name: .long, help: "Only this target.") var target: String?
  @Option(name: .long, help: "Only this compose service.") var service: String?
  @Option(name: .long, help: "How many recent builds of each branch and target to search.")
  var window = 500
  @OptionGroup var source: QuerySourceOptions
  @OptionGroup var output: FormatOptions

  func validate() throws {
    try OptionRange.count(window, flag: "--window")
  }

  func run() throws {
    try source.render { history in
      let found = try history.read(
        path: "/api/v1/regressions",
        query: [
          ("branch", branch), ("target", target), ("service", service),
          ("window", String(window)),
        ]
      ) {
        try RegressionFinder(store: $0, window: window).find(
          branch: branch, target: target, service: service)
      }
      return RegressionRenderer(format: output.format, terminal: .standardOutput()).render(found)
    }
  }
}
