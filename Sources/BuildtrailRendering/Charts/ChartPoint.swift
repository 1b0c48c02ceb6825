import BuildtrailKit
import Foundation

/// One value of a series: usually one build.
public struct ChartPoint: Sendable, Equatable {
  /// The x label for this point, e.g. `#412 3fa9c1e 11-29`.
  public var label: String
  /// The value, or `nil` when there is none (step absent or not executed).
  public var value: Double?
  /// A flag drawn on the marker row under the plot.
  public var mark: ChartMark?

  /// A point with a label, an optional value and an optional mark.
  public init(label: String, value: Double?, mark: ChartMark? = nil) {
    self.label = label
    self.value = value
    self.mark = mark
  }
}
