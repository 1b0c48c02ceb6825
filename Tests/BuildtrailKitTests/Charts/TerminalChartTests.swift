import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

@Suite struct TerminalChartTests {
  static let glyphSets: [ChartGlyphs] = [.braille, .blocks, .ascii]

  @Test(arguments: ChartFixtures.all.map(\.name), glyphSets)
  func golden(_ series: String, _ glyphs: ChartGlyphs) throws {
    let fixture = try #require(ChartFixtures.all.first { $0.name == series })
    for width in [40, 120] {
      let chart = TerminalChart(
        title: fixture.title, unit: fixture.unit, width: width, height: 8, glyphs: glyphs)
      try ChartSnapshot.check(
        chart.render(fixture.points), "chart-\(series)-\(glyphs.rawValue)-\(width).txt")
    }
  }

  @Test func goldenInColour() throws {
    let chart = TerminalChart(
      title: "Build duration (main)", unit: .seconds, width: 80, color: true)
    try ChartSnapshot.check(chart.render(ChartFixtures.marks), "chart-marks-braille-80-color.txt")
  }

  @Test func noLineIsWiderThanTheChart() {
    for width in 30...200 {
      for fixture in ChartFixtures.all {
        for glyphs in Self.glyphSets {
          for color in [false, true] {
            let chart = TerminalChart(
              title: fixture.title + " " + String(repeating: "x", count: 150), unit: fixture.unit,
              width: width,
              height: 6, glyphs: glyphs, color: color)
            for line in chart.render(fixture.points).split(
              separator: "\n", omittingEmptySubsequences: false)
            {
              let visible = Self.withoutEscapes(String(line))
              #expect(
                visible.count <= width, "\(fixture.name) \(glyphs) width \(width): \(visible)")
            }
          }
        }
      }
    }
  }

  @Test func tinyWidthsStayWithinTheWidth() {
    for width in 0...29 {
      let text = TerminalChart(title: "Build duration", unit: .seconds, width: width).render(
        ChartFixtures.marks)
      for line in text.split(separator: "\n") { #expect(line.count <= width) }
    }
  }

  @Test func emptyAndAllNilInputSayNoData() {
    let chart = TerminalChart(title: "Build duration", unit: .seconds, width: 60)
    #expect(chart.render([]) == "Build duration: no data\n")
    let blank = [ChartPoint(label: "#1", value: nil), ChartPoint(label: "#2", value: .nan)]
    #expect(chart.render(blank) == "Build duration: no data\n")
    #expect(TerminalChart(title: "", unit: .count, width: 4).render([]) == "no …\n")
  }

  @Test func controlCharactersInLabelsCannotReachTheTerminal() {
    let points = [
      ChartPoint(label: "#1 \u{1B}[2J<script>alert(1)</script>", value: 10),
      ChartPoint(label: "#2 line\nbreak & \"quotes\"", value: 20, mark: .failed),
    ]
    let text = TerminalChart(title: "Title\u{1B}]0;owned\u{7}", unit: .seconds, width: 80).render(
      points)
    #expect(!text.contains("\u{1B}"))
    #expect(!text.contains("\u{7}"))
    #expect(text.split(separator: "\n").count == text.filter { $0 == "\n" }.count)
    #expect(text.contains("#1 \\e[2J<script>alert(1)</script>"))
  }

  @Test func colourOnlyWhenAsked() {
    let plain = TerminalChart(title: "t", unit: .seconds, width: 60).render(ChartFixtures.marks)
    #expect(!plain.contains("\u{1B}"))
    let coloured = TerminalChart(title: "t", unit: .seconds, width: 60, color: true).render(
      ChartFixtures.marks)
    #expect(coloured.contains("\u{1B}[31m▲\u{1B}[0m"))
    #expect(coloured.contains("\u{1B}[33m✗\u{1B}[0m"))
    #expect(Self.withoutEscapes(coloured) == plain)
  }

  @Test func bucketsTakeTheMedianAndKeepMarks() {
    // 6 points in 3 columns: buckets of two.
    let points = [
      ChartPoint(label: "a", value: 1), ChartPoint(label: "b", value: 3),
      ChartPoint(label: "c", value: nil, mark: .failed), ChartPoint(label: "d", value: 5),
      ChartPoint(label: "e", value: 7, mark: .failed),
      ChartPoint(label: "f", value: 9, mark: .regression),
    ]
    let slots = TerminalChart.Slot.layout(points.map { ($0, $0.value) }, columns: 3)
    #expect(slots.map(\.value) == [2, 5, 8])
    #expect(slots.map(\.mark) == [nil, .failed, .regression])
    #expect(slots.map(\.points) == [0..<2, 2..<4, 4..<6])
  }

  @Test func fewerPointsThanColumnsAreSpreadOut() {
    let slots = TerminalChart.Slot.layout(
      [ChartPoint(label: "a", value: 1), ChartPoint(label: "b", value: 2)].map { ($0, $0.value) },
      columns: 10)
    #expect(slots.map(\.columns) == [0..<5, 5..<10])
    #expect(slots.map(\.center) == [2, 7])
  }

  @Test func roundTicks() {
    let minutes = TerminalChart.Scale(unit: .seconds, largest: 481, intervals: 4)
    #expect(minutes.top == 600)
    #expect(minutes.ticks.map { TerminalChart.Format.tick($0, .seconds) } == ["0s", "5m", "10m"])
    let short = TerminalChart.Scale(unit: .seconds, largest: 13.2, intervals: 4)
    #expect(
      short.ticks.map { TerminalChart.Format.tick($0, .seconds) } == ["0s", "5s", "10s", "15s"])
    let percent = TerminalChart.Scale(unit: .ratio, largest: 75, intervals: 4)
    #expect(
      percent.ticks.map { TerminalChart.Format.tick($0, .ratio) } == [
        "0%", "20%", "40%", "60%", "80%",
      ])
    let counts = TerminalChart.Scale(unit: .count, largest: 3_700, intervals: 2)
    #expect(counts.ticks.map { TerminalChart.Format.tick($0, .count) } == ["0", "2k", "4k"])
    let zero = TerminalChart.Scale(unit: .seconds, largest: 0, intervals: 4)
    #expect(zero.top > 0)
  }

  @Test func durationsReadLikeTheRestOfBuildtrail() {
    let format = { TerminalChart.Format.value($0, .seconds) }
    #expect(format(0.4) == "0.4s")
    #expect(format(12.34) == "12.3s")
    #expect(format(252) == "4m12s")
    #expect(format(3_720) == "1h02m")
    #expect(TerminalChart.Format.tick(90, .seconds) == "1m30s")
    #expect(TerminalChart.Format.tick(5_400, .seconds) == "1h30m")
    #expect(TerminalChart.Format.tick(0.5, .seconds) == "0.5s")
    #expect(TerminalChart.Format.tick(45, .ratio) == "45%")
  }

  @Test func oneAndTwoPoints() {
    let one = TerminalChart(title: "one", unit: .seconds, width: 40, height: 4)
      .render([ChartPoint(label: "#1", value: 3)])
    #expect(one.contains("#1"))
    let two = TerminalChart(title: "two", unit: .seconds, width: 40, height: 4, glyphs: .ascii)
      .render([ChartPoint(label: "#1", value: 3), ChartPoint(label: "#2", value: 6)])
    #expect(two.contains("#1") && two.contains("#2"))
    #expect(two.filter { $0 == "*" }.count == 2)
  }

  static func withoutEscapes(_ text: String) -> String {
    text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
  }
}

@Suite struct ExtremeValueTests {
  @Test(arguments: [ChartUnit.seconds, .ratio, .count])
  func hugeAndOddValuesDoNotTrap(_ unit: ChartUnit) {
    let points = [
      ChartPoint(label: "#1", value: .greatestFiniteMagnitude),
      ChartPoint(label: "#2", value: -.greatestFiniteMagnitude),
      ChartPoint(label: "#3", value: .infinity), ChartPoint(label: "#4", value: -0.0),
      ChartPoint(label: "#5", value: 1e-300),
    ]
    for glyphs in [ChartGlyphs.braille, .blocks, .ascii] {
      let text = TerminalChart(title: "huge", unit: unit, width: 50, height: 1, glyphs: glyphs)
        .render(points)
      #expect(text.split(separator: "\n").allSatisfy { $0.count <= 50 })
    }
  }

  @Test func hugeAndOddValuesInTheReport() {
    let odd = [Double.greatestFiniteMagnitude, -1, .nan, .infinity, 0]
    let builds = odd.enumerated().map { index, seconds in
      HTMLReportData.Build(
        id: Int64(index), when: "", outcome: "success", seconds: seconds, cached: index,
        total: index - 1)
    }
    let data = HTMLReportData(
      title: "odd", generatedAt: "", version: "", builds: builds, latest: builds.first,
      latestSteps: odd.map {
        HTMLReportData.Step(name: "s", status: "done", start: $0, seconds: $0)
      },
      regressions: [
        .init(series: "b", build: 0, before: .nan, after: .infinity, change: .nan, confidence: .nan)
      ],
      slowestSteps: [
        .init(
          name: "s", medianSeconds: .infinity, p90Seconds: .nan, executions: 0, cacheHitRatio: .nan)
      ])
    let html = HTMLReport.render(data)
    #expect(!html.contains("nan") && !html.contains("inf"))
  }
}
