import ArgumentParser
import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Why: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "why",
    abstract:
      "Explain why a build was slow: which steps lost their cache, and the change that caused it.",
    discussion: """
      buildtrail why               # the latest build, against the latest earlier successful one
      buildtrail why 42 --against 40
      """)

  @Argument(help: "The build (default: the latest).") var build: Int64?
  @Option(name: .long, help: "Compare with this build instead of the chosen baseline.") var against:
    Int64?
  @Option(name: .long, help: "Without BUILD: the latest build of this compose service.")
  var service: String?
  @OptionGroup var source: QuerySourceOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    try source.render { history in
      let explanation = try history.read(
        path: "/api/v1/builds/\(HistorySource.segment(build))/why",
        query: [("against", against.map(String.init)), ("service", service)]
      ) {
        try CacheExplainer(store: $0).explain(buildID: build, against: against, service: service)
      }
      return ExplanationRenderer(format: output.format, terminal: .standardOutput()).render(
        explanation)
    }
  }
}

struct Broke: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "broke",
    abstract:
      "Find when caching broke: the build at which each step went from cached to always executed.",
    discussion: """
      buildtrail broke --step 'uv sync'
      buildtrail broke --all       # also the steps that always run after a broad COPY
      """)

  @Option(name: .long, help: "Only steps whose name contains this text.") var step: String?
  @Option(name: .long, help: "The branch (default: the latest build's).") var branch: String?
  @Option(name: .long, help: "The compose service (default: the latest build's).")
  var service: String?
  @Option(name: .long, help: "How many recent builds to look at.") var limit = 200
  @Flag(
    name: .long,
    help:
      "Also show steps that did not break: those that always run after a broad COPY, and the rest.")
  var all = false
  @OptionGroup var source: QuerySourceOptions
  @OptionGroup var output: FormatOptions

  func validate() throws {
    try OptionRange.count(limit, flag: "--limit")
  }

  func run() throws {
    try source.render { history in
      let result = try history.read(
        path: "/api/v1/broke",
        query: [
          ("step", step), ("branch", branch), ("service", service), ("limit", String(limit)),
        ]
      ) {
        CacheBreakList(
          try CacheBreakFinder(store: $0).find(
            stepPattern: step, branch: branch, service: service, limit: limit))
      }
      return CacheBreakRenderer(format: output.format, terminal: .standardOutput(), all: all)
        .render(result.found)
    }
  }
}
