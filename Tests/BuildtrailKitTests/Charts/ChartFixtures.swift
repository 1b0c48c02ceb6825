import Foundation

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Fixed series for the chart tests: no randomness, the same points on every run.
enum ChartFixtures {
  /// `#412 3fa9c1e 11-29`-style labels for build `index`.
  static func label(_ index: Int) -> String {
    let hash = String((index &* 2_654_435_761 &+ 0x3fa9c1e) & 0xfff_ffff, radix: 16)
    let padded = String(repeating: "0", count: max(0, 7 - hash.count)) + hash
    let date = String(format: "%02d-%02d", 1 + (index / 28) % 12, 1 + index % 28)
    return "#\(400 + index) \(padded) \(date)"
  }

  /// A deterministic wobble in `-1...1`.
  static func wobble(_ index: Int) -> Double {
    sin(Double(index) * 1.7) * 0.6 + sin(Double(index) * 0.37) * 0.4
  }

  /// Durations climbing from 40s to about 6 minutes.
  static let rising = (0..<24).map {
    ChartPoint(label: label($0), value: 40 + Double($0 * $0) * 0.55 + wobble($0) * 4)
  }

  /// A cache hit ratio that never moves.
  static let flat = (0..<20).map { ChartPoint(label: label($0), value: 0.75) }

  /// A step that is absent from some builds.
  static let gaps = (0..<30).map { index -> ChartPoint in
    let absent = [3, 4, 5, 12, 21, 22].contains(index)
    return ChartPoint(label: label(index), value: absent ? nil : 12.3 + wobble(index) * 3)
  }

  /// A step change with failures and a regression mark where it starts.
  static let marks = (0..<36).map { index -> ChartPoint in
    let failed = [6, 17, 30].contains(index)
    let value = (index < 20 ? 150 : 215) + wobble(index) * 9
    let mark: ChartMark? = index == 20 ? .regression : (failed ? .failed : nil)
    return ChartPoint(label: label(index), value: failed ? value * 0.4 : value, mark: mark)
  }

  /// 600 builds: more than any chart has columns; a few marked, a few without a value.
  static let many = (0..<600).map { index -> ChartPoint in
    let base = index < 380 ? 95.0 : 130.0
    let mark: ChartMark? = index == 380 ? .regression : (index % 97 == 13 ? .failed : nil)
    let value: Double? = index % 151 == 40 ? nil : base + wobble(index) * 12 + Double(index % 7)
    return ChartPoint(label: label(index), value: value, mark: mark)
  }

  /// Every named series with the unit it is drawn in.
  static let all: [(name: String, unit: ChartUnit, title: String, points: [ChartPoint])] = [
    ("rising", .seconds, "Build duration", rising),
    ("flat", .ratio, "Cache hit ratio", flat),
    ("gaps", .seconds, "RUN uv sync --frozen", gaps),
    ("marks", .seconds, "Build duration (main)", marks),
    ("many", .seconds, "Build duration, 600 builds", many),
  ]
}
