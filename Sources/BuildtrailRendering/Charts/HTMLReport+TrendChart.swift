import BuildtrailKit
import Foundation

extension HTMLReport {
  /// A trend line over the builds: y axis with round ticks, a few x labels, points coloured by outcome, and
  /// regressions as dashed lines with a triangle.
  struct TrendChart {
    var name: String
    var unit: ChartUnit
    var builds: [HTMLReportData.Build]
    /// Raw values (seconds, or ratios in `0...1`); `nil` breaks the line.
    var values: [Double?]
    var regressions: [HTMLReportData.Regression]

    static let width = 1136.0
    /// The widest x label (`#1234` over `2025-11-21 18:00` at 11 px), in the chart's units.
    static let labelWidth = 112.0
    static let height = 260.0
    static let left = 64.0
    static let right = 20.0
    static let top = 24.0
    static let bottom = 44.0

    /// How many builds carry a regression marker.
    var markedRegressions: Int {
      Set(regressions.map(\.build)).intersection(builds.map(\.id)).count
    }

    func svg() -> String {
      let plotWidth = Self.width - Self.left - Self.right
      let plotHeight = Self.height - Self.top - Self.bottom
      let shown = values.map { value -> Double? in
        guard let value, value.isFinite else { return nil }
        return unit == .ratio
          ? min(max(0, value * 100), 100) : min(max(0, value), TerminalChart.Format.largest)
      }
      let largest = unit == .ratio ? 100 : (shown.compactMap { $0 }.max() ?? 0)
      let scale = TerminalChart.Scale(unit: unit, largest: largest, intervals: 5)
      let count = builds.count
      func x(_ index: Int) -> Double {
        count == 1
          ? Self.left + plotWidth / 2 : Self.left + Double(index) * plotWidth / Double(count - 1)
      }
      func y(_ value: Double) -> Double { Self.top + plotHeight - value / scale.top * plotHeight }
      let n = HTMLReport.number

      var out = [
        "<svg class=\"chart\" viewBox=\"0 0 \(n(Self.width)) \(n(Self.height))\" width=\"\(n(Self.width))\" "
          + "height=\"\(n(Self.height))\" role=\"img\" aria-label=\"\(HTMLReport.escape(name))\">"
      ]
      // Grid and y axis.
      for tick in scale.ticks {
        let ty = n(y(tick))
        out.append(
          "<line class=\"grid\" x1=\"\(n(Self.left))\" y1=\"\(ty)\" x2=\"\(n(Self.width - Self.right))\" y2=\"\(ty)\"/>"
            + "<text class=\"tick\" x=\"\(n(Self.left - 8))\" y=\"\(ty)\" dy=\"4\" text-anchor=\"end\">"
            + "\(TerminalChart.Format.tick(tick, unit))</text>")
      }
      out.append(
        "<line class=\"axis\" x1=\"\(n(Self.left))\" y1=\"\(n(y(0)))\" x2=\"\(n(Self.width - Self.right))\" "
          + "y2=\"\(n(y(0)))\"/>")
      // X labels: up to eight builds, evenly spread, none overlapping another.
      func anchor(_ index: Int) -> String {
        count == 1 ? "middle" : (index == 0 ? "start" : (index == count - 1 ? "end" : "middle"))
      }
      func extent(_ index: Int) -> ClosedRange<Double> {
        let w = Self.labelWidth
        switch anchor(index) {
        case "start": return x(index)...(x(index) + w)
        case "end": return (x(index) - w)...x(index)
        default: return (x(index) - w / 2)...(x(index) + w / 2)
        }
      }
      let labelCount = min(count, 8)
      var labelled: [Int] = []
      for slot in 0..<labelCount {
        let index =
          labelCount == 1 ? 0 : Int((Double(slot * (count - 1)) / Double(labelCount - 1)).rounded())
        // The last label wins over the one before it when they would touch.
        while let last = labelled.last, extent(last).upperBound + 8 > extent(index).lowerBound {
          if index != count - 1 { break }
          labelled.removeLast()
        }
        if let last = labelled.last, extent(last).upperBound + 8 > extent(index).lowerBound {
          continue
        }
        labelled.append(index)
      }
      for index in labelled {
        let build = builds[index]
        let anchor = anchor(index)
        out.append(
          "<line class=\"axis\" x1=\"\(n(x(index)))\" y1=\"\(n(y(0)))\" x2=\"\(n(x(index)))\" y2=\"\(n(y(0) + 5))\"/>"
            + "<text class=\"tick\" x=\"\(n(x(index)))\" y=\"\(n(y(0) + 18))\" text-anchor=\"\(anchor)\">#\(build.id)"
            + "<tspan class=\"when\" x=\"\(n(x(index)))\" dy=\"14\">\(HTMLReport.escape(String(build.when.prefix(16))))"
            + "</tspan></text>")
      }
      // Regressions: a dashed line through the build, a ▲ on top, details in the tooltip.
      let byBuild = Dictionary(grouping: regressions, by: \.build)
      for (index, build) in builds.enumerated() {
        guard let found = byBuild[build.id] else { continue }
        let details = found.map {
          let shown = HTMLReport.values($0)
          return "\($0.series): \(shown.before) → \(shown.after) (\(shown.change))"
            + ($0.cause.map { ", likely \($0)" } ?? "")
        }
        let tip = HTMLReport.escape(
          "Regression at #\(build.id)\n" + details.joined(separator: "\n"))
        let px = x(index)
        out.append(
          "<g class=\"regression\"><title>\(tip)</title>"
            + "<line x1=\"\(n(px))\" y1=\"\(n(Self.top))\" x2=\"\(n(px))\" y2=\"\(n(y(0)))\"/>"
            + "<path d=\"M\(n(px)) \(n(Self.top - 14))l6 10h-12z\"/></g>")
      }
      // The line, broken where a value is missing.
      var runs: [[String]] = [[]]
      for (index, value) in shown.enumerated() {
        if let value {
          runs[runs.count - 1].append("\(n(x(index))),\(n(y(value)))")
        } else if !(runs.last?.isEmpty ?? true) {
          runs.append([])
        }
      }
      for run in runs where run.count > 1 {
        out.append("<polyline class=\"series\" points=\"\(run.joined(separator: " "))\"/>")
      }
      // Points with tooltips.
      let radius = count > 150 ? 2.0 : 3.5
      for (index, build) in builds.enumerated() {
        guard let value = shown[index] else { continue }
        let outcome = Outcome(build.outcome)
        let size = outcome == .success ? radius : radius + 1
        out.append(
          "<circle class=\"point \(outcome.className)\" cx=\"\(n(x(index)))\" cy=\"\(n(y(value)))\" r=\"\(n(size))\">"
            + "<title>\(tooltip(build, value: value))</title></circle>")
      }
      out.append("</svg>")
      return out.joined(separator: "\n")
    }

    private func tooltip(_ build: HTMLReportData.Build, value: Double) -> String {
      let shownValue =
        unit == .ratio
        ? "\(build.cached)/\(build.total) cached (\(TerminalChart.Format.value(value, .ratio)))"
        : HTMLReport.seconds(value)
      let head = [
        "#\(build.id)", build.when, build.branch, build.commit.map { String($0.prefix(7)) },
      ]
      .compactMap { $0 }.joined(separator: " · ")
      let lines = [head, build.subject, "\(shownValue) · \(build.outcome)"].compactMap { $0 }
      return HTMLReport.escape(lines.joined(separator: "\n"))
    }
  }
}
