import ArgumentParser
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Vacuum: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vacuum",
    abstract: "Remove what no build refers to, compress old output and shrink the database file.",
    discussion: """
      Rewrites the whole file (SQLite VACUUM): it needs as much free disk space as the file takes, \
      and other buildtrail processes wait for it.
      """)

  @OptionGroup var store: StoreOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    try store.render { history in
      let report = try HistoryMaintenance(store: history).vacuum()
      return VacuumRenderer(format: output.format, terminal: .standardOutput()).render(
        (report, history.path))
    }
  }
}
