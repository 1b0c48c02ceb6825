import ArgumentParser
import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Failures: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "failures",
    abstract:
      "List failed builds by failure: since which build each failure repeats, and which build fixed it.",
    discussion: """
      buildtrail failures                  # the latest build's branch and target, last 50 builds
      buildtrail failures --branch main --last 200 --format json
      """)

  @Option(name: .long, help: "The branch (default: the latest build's).") var branch: String?
  @Option(name: .long, help: "The target (default: the latest build's).") var target: String?
  @Option(name: .long, help: "How many recent builds.") var last = 50
  @OptionGroup var source: QuerySourceOptions
  @OptionGroup var output: FormatOptions

  func validate() throws {
    try OptionRange.count(last, flag: "--last")
  }

  func run() throws {
    try source.render { history in
      let found = try history.read(
        path: "/api/v1/failures",
        query: [("branch", branch), ("target", target), ("last", String(last))]
      ) {
        FailureStreakList(
          try FailureHistory(store: $0).latestStreaks(branch: branch, target: target, last: last))
      }
      return FailureRenderer(format: output.format, terminal: .standardOutput()).render(
        found.found)
    }
  }
}
