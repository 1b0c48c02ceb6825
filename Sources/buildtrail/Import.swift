import ArgumentParser
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Import: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Add the builds of an export file or of another history database to this history.",
    discussion: """
      buildtrail import history.jsonl
      buildtrail import - < history.jsonl
      buildtrail import ci-artifact/history.db

      Builds already recorded (same log, same position in it) are skipped, so importing twice or \
      merging overlapping histories keeps each build once. A new build keeps its id when that id \
      is free here. All or nothing: a bad line imports nothing. Another database is read from a \
      temporary copy and never modified.
      """)

  @Argument(
    help: "A file written by `buildtrail export` (`-` for standard input), or a history database.")
  var source: String
  @OptionGroup var store: StoreOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    try store.render(creating: true) { history in
      let report = try HistoryImport(store: history).run(source: source)
      return ImportRenderer(format: output.format, terminal: .standardOutput()).render(report)
    }
  }
}
