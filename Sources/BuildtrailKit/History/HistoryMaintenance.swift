import BuildStore
import Foundation

/// `prune`, `delete` and `vacuum`: keep the history to the builds that matter, and its file small.
public struct HistoryMaintenance {
  /// What `prune` chose, and what deleting it did (nil for a dry run).
  public struct PruneResult: Sendable, Equatable {
    /// The builds chosen, newest first.
    public var builds: [BuildSummary]
    /// What deleting them removed; nil for a dry run.
    public var cleanup: CleanupReport?
  }

  /// The history to maintain.
  public var store: BuildStore

  /// Maintenance of `store`.
  public init(store: BuildStore) {
    self.store = store
  }

  /// Deletes the builds recorded more than `keepDays` days before `now`, or all but the newest
  /// `keep` (of `branch` when given, of the whole history otherwise), then the garbage they leave.
  public func prune(
    keepDays: Int?, keep: Int?, branch: String?, dryRun: Bool, now: Date = Date()
  ) throws -> PruneResult {
    let cutoff = keepDays.map { now.addingTimeInterval(-Double($0) * 86_400) }
    let builds = try store.pruneCandidates(
      recordedBefore: cutoff, keepNewest: keep, branch: branch)
    guard !dryRun else { return PruneResult(builds: builds, cleanup: nil) }
    return PruneResult(builds: builds, cleanup: try store.delete(buildIDs: builds.map(\.id)))
  }

  /// Deletes builds `ids`, all or none, then the garbage they leave.
  public func delete(_ ids: [Int64]) throws -> CleanupReport {
    try store.delete(buildIDs: ids)
  }

  /// Collects the garbage, compresses old output blobs, and gives free pages back to the disk.
  public func vacuum() throws -> VacuumReport {
    try store.vacuum()
  }
}
