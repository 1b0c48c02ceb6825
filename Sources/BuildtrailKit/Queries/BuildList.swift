import BuildLog
import BuildStore

/// `buildtrail builds`: the builds a filter selects, newest first, and when none does, why not.
public struct BuildList: Sendable, Codable {
  /// The builds, newest first.
  public var builds: [BuildSummary]
  /// When no build matches but the history has some: what was asked and which branches there are.
  public var noMatch: String?

  /// The builds of `store` that `filter` selects.
  public init(store: BuildStore, filter: BuildFilter) throws {
    builds = try store.builds(filter)
    noMatch = builds.isEmpty ? try store.noMatch(Self.words(filter)) : nil
  }

  /// The filter as command-line flags: branch, target, service, outcome, then labels by key.
  static func words(_ filter: BuildFilter) -> [String] {
    [
      filter.branch.map { "--branch \($0)" }, filter.target.map { "--target \($0)" },
      filter.service.map { "--service \($0)" }, filter.outcome.map { "--outcome \($0.rawValue)" },
    ].compactMap { $0 } + filter.labels.sorted { $0.key < $1.key }.map { "--label \($0)=\($1)" }
  }
}
