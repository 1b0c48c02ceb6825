import ArgumentParser
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Delete: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete",
    abstract:
      "Delete builds by id, and the stored inputs and context lists no build refers to any more.",
    discussion: """
      buildtrail delete 12 13

      All or nothing: when an id is not in the history, nothing is deleted.
      """)

  @Argument(help: "The ids of the builds to delete.")
  var builds: [Int64]
  @OptionGroup var store: StoreOptions
  @OptionGroup var output: FormatOptions

  func validate() throws {
    guard !builds.isEmpty else { throw ValidationError("give the ids of the builds to delete") }
  }

  func run() throws {
    try store.render { history in
      let cleanup = try HistoryMaintenance(store: history).delete(builds)
      return DeleteRenderer(format: output.format, terminal: .standardOutput()).render(cleanup)
    }
  }
}
