import Foundation

/// A level shift in a per-build series: where the new regime starts and how large the shift is.
public struct ChangePoint: Sendable, Equatable, Codable {
  /// Index (into the series passed in) of the first value of the new regime.
  public var index: Int
  /// Median of the regime before the point (mean hit rate for `detectRateShift`).
  public var medianBefore: Double
  /// Median of the regime after the point (mean hit rate for `detectRateShift`).
  public var medianAfter: Double
  /// `(after - before) / before` for durations; `after - before` (absolute rate difference) for rates.
  public var relativeChange: Double
  /// p-value of the test that accepted the point, adjusted for the search over split positions.
  public var pValue: Double
  /// `1 - pValue`, clamped to `0...1`.
  public var confidence: Double

  /// Creates a change point; `confidence` is derived from `pValue`.
  public init(
    index: Int, medianBefore: Double, medianAfter: Double, relativeChange: Double, pValue: Double
  ) {
    self.index = index
    self.medianBefore = medianBefore
    self.medianAfter = medianAfter
    self.relativeChange = relativeChange
    self.pValue = pValue
    self.confidence = min(1, max(0, 1 - pValue))
  }
}

/// Thresholds of the change-point detector.
public struct DetectorConfiguration: Sendable, Equatable {
  /// Minimum number of builds on each side of a change point.
  public var minSegment: Int = 6
  /// Largest p at which a point is accepted: when found (adjusted for the search over positions) and when re-tested.
  public var maxPValue: Double = 0.001
  /// Smallest shift reported: relative median change for durations (symmetric in log space), absolute rate difference for rates.
  public var minRelativeChange: Double = 0.10

  /// Creates a configuration; the defaults suit build durations.
  public init(minSegment: Int = 6, maxPValue: Double = 0.001, minRelativeChange: Double = 0.10) {
    self.minSegment = minSegment
    self.maxPValue = maxPValue
    self.minRelativeChange = minRelativeChange
  }

  /// Defaults for durations: 6 builds a side, p ≤ 0.001, median shift ≥ 10 %.
  public static let `default` = DetectorConfiguration()

  /// Defaults for cache-hit series: 6 builds a side, p ≤ 0.001, hit-rate shift ≥ 20 percentage points.
  public static let rates = DetectorConfiguration(
    minSegment: 6, maxPValue: 0.001, minRelativeChange: 0.20)
}
