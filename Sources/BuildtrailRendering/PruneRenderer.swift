import BuildStore
import BuildtrailKit
import Foundation

/// Renders what `prune` deleted, or with `--dry-run` the builds it would delete.
public struct PruneRenderer: OutputRenderer {
  /// The format and terminal to write for.
  public var style: OutputStyle

  /// A renderer for `style`.
  public init(style: OutputStyle) { self.style = style }

  struct PruneJSON: Encodable {
    var dryRun: Bool
    var builds: [BuildSummaryJSON]
    var cleanup: CleanupReport?
  }

  /// The `prune` object: whether it was a dry run, the builds, and what the clean-up removed.
  public func json(_ result: HistoryMaintenance.PruneResult) -> String {
    JSONOutput.encode([
      "prune": PruneJSON(
        dryRun: result.cleanup == nil, builds: result.builds.map(BuildSummaryJSON.init),
        cleanup: result.cleanup)
    ])
  }

  /// The clean-up's line, or on a dry run the builds that would go, as `builds` prints them.
  public func csv(_ result: HistoryMaintenance.PruneResult) -> String {
    guard let cleanup = result.cleanup else {
      return BuildListRenderer(style: style).csv(result.builds)
    }
    return CleanupText.csv(cleanup)
  }

  /// What was deleted, or on a dry run the table of builds that would be.
  public func table(_ result: HistoryMaintenance.PruneResult) -> String {
    guard let cleanup = result.cleanup else {
      guard !result.builds.isEmpty else { return "no build would be deleted\n" }
      return "would delete \(CleanupText.count(result.builds.count, "build")):\n"
        + BuildListRenderer(style: style).table(result.builds)
    }
    return CleanupText.sentence(cleanup) + "\n"
  }
}
