import BuildStore
import Foundation

/// A change point in one of a branch's series that made builds slower or cache less.
public struct Regression: Sendable, Codable {
  /// Which series regressed.
  public enum Kind: String, Sendable, Codable {
    /// The total build duration (successful builds).
    case duration
    /// One step's duration, over the builds where it executed.
    case stepDuration = "step-duration"
    /// The share of cacheable steps that hit the cache.
    case cacheRate = "cache-rate"
    /// One step started missing the cache.
    case stepCache = "step-cache"
  }

  /// A step regression that accounts for (part of) a total one.
  public struct Reference: Sendable, Equatable, Codable {
    /// The step regression's kind.
    public var kind: Kind
    /// The step's stable key.
    public var key: String?
    /// The step's series, as ``Regression/series`` names it.
    public var series: String
    /// The first build of the step's new regime.
    public var build: Int64
    /// What the step adds to the total: seconds for `duration`, hit-ratio points (0…1) for `cache-rate`.
    public var contribution: Double
  }

  /// Which series regressed.
  public var kind: Kind
  /// What the series measures: `total duration`, `cache hit ratio`, or the step's name.
  public var series: String
  /// The step's stable key, for step kinds.
  public var key: String?
  /// The branch of the series; nil for builds with none.
  public var branch: String?
  /// The build target of the series; nil for builds with none.
  public var target: String?
  /// The compose service of the series, when its builds have one.
  public var service: String? = nil
  /// The first build of the new regime.
  public var build: BuildSummary
  /// The build before it in the series.
  public var previous: BuildSummary?
  /// The medians before and after, the relative change and its significance.
  public var change: ChangePoint
  /// The cause as `why` finds it for `build` against `previous`.
  public var cause: RegressionCause?
  /// For total kinds: the step regressions within a few builds that account for the shift, so the total is
  /// their consequence; empty when no step explains it. Nil for step kinds.
  public var explainedBy: [Reference]?

  /// A total point that step points account for: shown with them, not as a regression of its own.
  public var isConsequence: Bool { !(explainedBy?.isEmpty ?? true) }
}
