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
  @OptionGroup var store: StoreOptions
  @OptionGroup var output: FormatOptions

  func validate() throws {
    try OptionRange.count(limit, flag: "--limit")
    for l in label where !l.contains("=") {
      throw ValidationError("--label takes key=value, got '\(TerminalText.sanitized(l))'")
    }
  }

  /// The filters given, as the command line wrote them.
  private func filters() -> [String] {
    [
      branch.map { "--branch \($0)" }, target.map { "--target \($0)" },
      service.map { "--service \($0)" }, outcome.map { "--outcome \($0.rawValue)" },
    ].compactMap { $0 } + label.map { "--label \($0)" }
  }

  func run() throws {
    let labels = parseLabels(label)
    try store.render { history in
      let builds = try history.builds(
        BuildFilter(
          branch: branch, target: target, labels: labels, outcome: outcome, limit: limit,
          service: service))
      if builds.isEmpty, output.format == .table, let none = try history.noMatch(filters()) {
        return TerminalText.sanitized("N" + none.dropFirst() + ".") + "\n"
      }
      return BuildListRenderer(format: output.format, terminal: .standardOutput()).render(builds)
    }
  }
}
