import BuildtrailKit
import Foundation

extension HTMLReport {
  /// The latest build's steps as horizontal bars on a shared time axis.
  struct Waterfall {
    var steps: [HTMLReportData.Step]
    var buildSeconds: Double

    static let width = 1136.0
    static let labelWidth = 360.0
    static let right = 64.0
    static let row = 22.0
    static let top = 28.0
    /// Step names longer than this are cut in the label; the tooltip has the whole name.
    static let nameLimit = 52

    /// The bars and their labels, placed.
    func model() -> HTMLReportPage.Waterfall {
      let n = HTMLReport.number
      let ends = steps.compactMap { step -> Double? in
        guard let start = step.start, let seconds = step.seconds, start.isFinite, seconds.isFinite
        else { return nil }
        return max(0, start) + max(0, seconds)
      }
      let total = max(buildSeconds.isFinite ? buildSeconds : 0, ends.max() ?? 0)
      let scale = TerminalChart.Scale(unit: .seconds, largest: total, intervals: 8)
      let plotLeft = Self.labelWidth
      let plotWidth = Self.width - plotLeft - Self.right
      let height = Self.top + Double(steps.count) * Self.row + 8
      func x(_ seconds: Double) -> Double {
        plotLeft + min(max(0, seconds), scale.top) / scale.top * plotWidth
      }
      let rows = steps.enumerated().map { index, step -> HTMLReportPage.Waterfall.Row in
        let rowTop = Self.top + Double(index) * Self.row
        let kind = Kind(step.status)
        let name =
          step.name.count > Self.nameLimit
          ? String(step.name.prefix(Self.nameLimit - 1)) + "…" : step.name
        var tip = "\(step.name)\n\(step.status)"
        if let seconds = step.seconds { tip += " · \(HTMLReport.seconds(seconds))" }
        if let start = step.start { tip += " · starts at \(HTMLReport.seconds(start))" }
        var row = HTMLReportPage.Waterfall.Row(
          kind: kind.rawValue, tip: tip, nameX: n(plotLeft - 10), textY: n(rowTop + 15), name: name,
          bar: nil, label: nil, labelX: n(plotLeft + 4), notStarted: true)
        if let start = step.start, start.isFinite {
          let seconds = step.seconds.flatMap { $0.isFinite ? max(0, $0) : nil } ?? 0
          let barX = x(start)
          let barWidth = max(2, x(start + seconds) - barX)
          row.notStarted = false
          row.bar = HTMLReportPage.Waterfall.Bar(
            x: n(barX), y: n(rowTop + 4), width: n(barWidth), height: n(Self.row - 8))
          let label = kind == .cached ? "cached" : step.seconds.map { HTMLReport.seconds($0) } ?? ""
          if !label.isEmpty {
            row.label = label
            row.labelX = n(barX + barWidth + 6)
          }
        }
        return row
      }
      return HTMLReportPage.Waterfall(
        width: n(Self.width), height: n(height), gridTop: n(Self.top - 6),
        gridBottom: n(height - 8),
        tickY: n(Self.top - 12),
        ticks: scale.ticks.map {
          HTMLReportPage.Waterfall.Tick(x: n(x($0)), label: TerminalChart.Format.tick($0, .seconds))
        }, rows: rows)
    }

    /// A step status folded into the classes the page styles.
    enum Kind: String {
      case done, cached, error, canceled

      init(_ status: String) {
        switch status.lowercased() {
        case "cached": self = .cached
        case "error", "failed": self = .error
        case "done", "success": self = .done
        default: self = .canceled
        }
      }
    }
  }
}
