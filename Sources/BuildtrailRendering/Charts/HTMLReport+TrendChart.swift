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
    /// Where build pages live, when points link to them.
    var pageBase: String?

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

    /// The chart's marks, placed, with `legend` under it.
    func chart(legend: [HTMLReportPage.LegendKey]) -> HTMLReportPage.Chart {
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
      let ticks = scale.ticks.map {
        HTMLReportPage.Chart.Tick(
          y: n(y($0)), labelX: n(Self.left - 8), label: TerminalChart.Format.tick($0, unit))
      }
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
      let labels = labelled.map { index in
        HTMLReportPage.Chart.XLabel(
          x: n(x(index)), tickBottom: n(y(0) + 5), textY: n(y(0) + 18), anchor: anchor(index),
          build: builds[index].id, when: String(builds[index].when.prefix(16)))
      }
      // Regressions: a dashed line through the build, a ▲ on top, details in the tooltip.
      let byBuild = Dictionary(grouping: regressions, by: \.build)
      var markers: [HTMLReportPage.Chart.Marker] = []
      for (index, build) in builds.enumerated() {
        guard let found = byBuild[build.id] else { continue }
        let details = found.map {
          let shown = HTMLReport.values($0)
          return "\($0.series): \(shown.before) → \(shown.after) (\(shown.change))"
            + ($0.cause.map { ", likely \($0)" } ?? "")
        }
        let px = x(index)
        markers.append(
          HTMLReportPage.Chart.Marker(
            tip: "Regression at #\(build.id)\n" + details.joined(separator: "\n"), x: n(px),
            path: "M\(n(px)) \(n(Self.top - 14))l6 10h-12z"))
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
      // Points with tooltips.
      let radius = count > 150 ? 2.0 : 3.5
      let points = builds.enumerated().compactMap { index, build -> HTMLReportPage.Chart.Point? in
        guard let value = shown[index] else { return nil }
        let outcome = Outcome(build.outcome)
        let size = outcome == .success ? radius : radius + 1
        return HTMLReportPage.Chart.Point(
          className: outcome.className, cx: n(x(index)), cy: n(y(value)), r: n(size),
          tip: tooltip(build, value: value),
          pointHref: pageBase.map { HTMLBuildPage.address(of: build.id, base: $0) })
      }
      return HTMLReportPage.Chart(
        name: name, width: n(Self.width), height: n(Self.height), left: n(Self.left),
        right: n(Self.width - Self.right), top: n(Self.top), bottom: n(y(0)), ticks: ticks,
        labels: labels, markers: markers,
        polylines: runs.filter { $0.count > 1 }.map { $0.joined(separator: " ") }, points: points,
        legend: legend)
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
      return lines.joined(separator: "\n")
    }
  }
}
