import Foundation

/// `buildtrail trend` as data: one value per build of a branch (the total duration and cache hit
/// ratio, or one step's), with failed builds and detected regressions marked.
public struct Trend: Sendable, Codable, Equatable {
  /// One build's values.
  public struct Point: Sendable, Codable, Equatable {
    public var build: Int64
    public var commit: String?
    public var when: Date
    public var outcome: String
    /// The build's duration, or the step's when it executed (nil when it was cached or absent).
    public var seconds: Double?
    /// The build's cache hit ratio, or 1/0 for whether the step hit the cache.
    public var cacheHitRatio: Double?
    /// Whether a regression starts at this build.
    public var regression: Bool
  }

  public var branch: String?
  public var target: String?
  public var service: String?
  /// The step's full name, when the trend is one step's.
  public var step: String?
  /// Oldest first; empty when no build matched.
  public var points: [Point]
}
