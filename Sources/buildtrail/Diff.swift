import ArgumentParser
import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Diff: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract:
      "Compare two builds step by step: cache state, durations, context, base images, inputs.",
    discussion: "buildtrail diff 41 42")

  @Argument(help: "The older build.") var before: Int64
  @Argument(help: "The newer build (default: the latest).") var after: Int64?
  @Flag(name: .long, help: "List unchanged steps too.") var all = false
  @Option(name: .long, help: "Without AFTER: the latest build of this compose service.")
  var service: String?
  @OptionGroup var source: QuerySourceOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    try source.render { history in
      let diff = try history.read(
        path: "/api/v1/diff",
        query: [
          ("before", String(before)), ("after", after.map(String.init)), ("service", service),
        ]
      ) { try BuildComparison(store: $0).diff(before, after, service: service) }
      return BuildDiffRenderer(format: output.format, terminal: .standardOutput(), showAll: all)
        .render(diff)
    }
  }
}
