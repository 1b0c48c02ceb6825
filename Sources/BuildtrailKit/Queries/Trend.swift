import Foundation

/// `buildtrail trend` as data: one value per build of a branch (the total duration and cache hit
/// ratio, or one step's), with failed builds and detected regressions marked.
public struct Trend: Sendable, Codable, Equatable {
  /// One build's values.
  public struct Point: Sendable, Codable, Equatable {
    /// The build's id.
    public var build: Int64
    /// The build's commit, when known.
    public var commit: String?
    /// When it happened (its start, else when it was recorded).
    public var when: Date
    /// The BuildOutcome raw value.
    public var outcome: String
    /// The build's duration, or the step's when it executed (nil when it was cached or absent).
    public var seconds: Double?
    /// The build's cache hit ratio, or 1/0 for whether the step hit the cache.
    public var cacheHitRatio: Double?
    /// Whether a regression starts at this build.
    public var regression: Bool
  }

  /// The branch of the builds; nil for builds with none.
  public var branch: String?
  /// The build target of the builds, when they have one.
  public var target: String?
  /// The compose service of the builds, when they have one.
  public var service: String?
  /// The step's full name, when the trend is one step's.
  public var step: String?
  /// Oldest first; empty when no build matched.
  public var points: [Point]
}
