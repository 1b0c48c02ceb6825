/// What ``FailureHistory/latestStreaks(branch:target:last:)`` found, as one `Codable` value: the
/// runs of failures and the branch looked at.
public struct FailureStreakList: Sendable, Codable {
  public var streaks: [FailureHistory.Streak]
  public var branch: String?

  /// The history's answer.
  public init(_ found: (streaks: [FailureHistory.Streak], branch: String?)) {
    (streaks, branch) = found
  }

  /// The history's answer, as renderers take it.
  public var found: (streaks: [FailureHistory.Streak], branch: String?) { (streaks, branch) }
}
