import BuildtrailKit
import Foundation

/// Something worth flagging on one point.
public enum ChartMark: String, Sendable, Codable {
  /// The build failed: `✗` (ASCII `x`), yellow.
  case failed
  /// The value regressed here: `▲` (ASCII `^`), red.
  case regression
}
