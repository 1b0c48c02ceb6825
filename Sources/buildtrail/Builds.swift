import ArgumentParser
import BuildLog
import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation

extension BuildOutcome: ExpressibleByArgument {}

struct Builds: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "builds",
    abstract: "List recent builds.",
    discussion: "buildtrail builds --branch main --outcome failed --limit 10")

  @Option(name: .long, help: "Only builds of this branch.") var branch: String?
  @Option(name: .long, help: "Only builds of this target.") var target: String?
  @Option(name: .long, help: "Only builds of this compose service.") var service: String?
  @Option(name: .long, help: "Only builds with this label key=value (repeatable).") var label:
    [String] = []
  @Option(name: .long, help: "Only builds with this outcome: success, failed, canceled or unknown.")
  var outcome: BuildOutcome?
  @Option(name: .long, help: "How many builds at most.") var limit = 20
  @OptionGroup var source: QuerySourceOptions
  @OptionGroup var output: FormatOptions

  func validate() throws {
    try OptionRange.count(limit, flag: "--limit")
    for l in label where !l.contains("=") {
      throw ValidationError("--label takes key=value, got '\(TerminalText.sanitized(l))'")
    }
  }

  func run() throws {
    let filter = BuildFilter(
      branch: branch, target: target, labels: parseLabels(label), outcome: outcome, limit: limit,
      service: service)
    let query: [(String, String?)] =
      [
        ("branch", branch), ("target", target), ("service", service),
        ("outcome", outcome?.rawValue), ("limit", String(limit)),
      ] + label.map { ("label", $0) }
    try source.render { history in
      let list = try history.read(path: "/api/v1/builds", query: query) {
        try BuildList(store: $0, filter: filter)
      }
      if list.builds.isEmpty, output.format == .table, let none = list.noMatch {
        return TerminalText.sanitized("N" + none.dropFirst() + ".") + "\n"
      }
      return BuildListRenderer(format: output.format, terminal: .standardOutput()).render(
        list.builds)
    }
  }
}
