import ArgumentParser
import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write builds as JSON Lines, one build per line, for `buildtrail import`.",
    discussion: """
      buildtrail export > history.jsonl                 # every build
      buildtrail export --branch main --since 2026-01-01 --output main.jsonl
      buildtrail export 12 13

      Each line holds everything stored about one build: its facts, labels, warnings, base images, \
      steps, kept output, cache inputs with their content, and the build context's file list.
      """)

  @Argument(
    help: "The ids of the builds to export (default: all, or those --branch and --since select).")
  var builds: [Int64] = []
  @Option(name: .long, help: "Only builds of this git branch.")
  var branch: String?
  @Option(name: .long, help: "Only builds recorded since this date (YYYY-MM-DD, UTC).")
  var since: String?
  @Option(name: .long, help: "Write to this file instead of standard output.")
  var output: String?
  @OptionGroup var store: StoreOptions

  func validate() throws {
    if let since { _ = try OptionRange.date(since, flag: "--since") }
    if !builds.isEmpty, branch != nil || since != nil {
      throw ValidationError("give build ids, or --branch and --since, not both")
    }
  }

  func run() throws {
    do {
      let export = HistoryExport(store: try store.open())
      let ids = try export.buildIDs(
        builds, branch: branch,
        since: try since.map { try OptionRange.date($0, flag: "--since") })
      guard let output else {
        _ = try export.run(ids) { data in
          try StandardOutput.write(String(decoding: data, as: UTF8.self))
        }
        return
      }
      let count = try export.run(ids, toFile: output)
      note("exported \(count) build\(count == 1 ? "" : "s") to \(output)")
    } catch {
      throw fail(error)
    }
  }
}
