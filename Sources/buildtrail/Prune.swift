import ArgumentParser
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Prune: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prune",
    abstract:
      "Delete old builds, and the stored inputs and context lists no build refers to any more.",
    discussion: """
      buildtrail prune --keep-days 90   # builds recorded over 90 days ago
      buildtrail prune --keep 500 --branch main --dry-run   # list, delete nothing

      --keep N keeps the newest N builds of --branch, or of the whole history without --branch. \
      Other branches' builds are left alone when --branch is given.
      """)

  @Option(name: .long, help: "Delete the builds recorded more than N days ago.")
  var keepDays: Int?
  @Option(name: .long, help: "Keep the newest N builds, delete the others.")
  var keep: Int?
  @Option(name: .long, help: "Only builds of this git branch.")
  var branch: String?
  @Flag(name: .long, help: "List the builds that would be deleted; delete nothing.")
  var dryRun = false
  @OptionGroup var store: StoreOptions
  @OptionGroup var output: FormatOptions

  func validate() throws {
    guard (keepDays == nil) != (keep == nil) else {
      throw ValidationError("give exactly one of --keep-days N and --keep N")
    }
    if let n = keepDays ?? keep, n < 0 {
      throw ValidationError("--keep-days and --keep take a number of 0 or more, got \(n)")
    }
  }

  func run() throws {
    try store.render { history in
      let result = try HistoryMaintenance(store: history).prune(
        keepDays: keepDays, keep: keep, branch: branch, dryRun: dryRun)
      return PruneRenderer(format: output.format, terminal: .standardOutput()).render(result)
    }
  }
}
