import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// A step's cache hits bucketed into fewer columns than builds show the share that hit, not a
/// median that rounds every column to 0% or 100%.
@Suite struct PerColumnTests {
  static let points = (0..<300).map { i in
    ChartPoint(label: "#\(i)", value: i % 3 == 0 ? 0 : 1, mark: nil)
  }

  @Test func meanGivesTheShareThatHit() {
    let slots = TerminalChart.Slot.layout(
      Self.points.map { ($0, $0.value) }, columns: 20, mean: true)
    #expect(slots.allSatisfy { abs(($0.value ?? -1) - 2.0 / 3.0) < 1e-9 })
  }

  @Test func medianRoundsEveryColumnToAllOrNothing() {
    let slots = TerminalChart.Slot.layout(Self.points.map { ($0, $0.value) }, columns: 20)
    #expect(slots.allSatisfy { $0.value == 1 })
  }

  @Test func theLegendSaysWhichSummaryAColumnShows() {
    var chart = TerminalChart(title: "hits", unit: .ratio, width: 100, height: 5)
    chart.perColumn = .mean
    #expect(chart.render(Self.points).contains("mean per column"))
  }
}
