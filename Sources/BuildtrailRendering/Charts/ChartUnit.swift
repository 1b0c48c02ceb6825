import BuildtrailKit
import Foundation

/// What a chart's values measure; it decides how the y axis and the legend read.
public enum ChartUnit: Sendable {
  /// Durations in seconds, shown as `0s`, `1m30s`, `1h`.
  case seconds
  /// A ratio in `0...1`, shown as a percentage.
  case ratio
  /// A plain count, shown as `250`, `1.5k`, `2M`.
  case count
}
