import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// The trend charts' x labels (`#id` over a date) never overlap, on any number of builds; the
/// newest build is always labelled.
@Suite struct HTMLChartLabelTests {
  static func labels(builds count: Int) throws -> [(x: Double, anchor: String, id: Int)] {
    let builds = (1...count).map { i in
      HTMLReportData.Build(
        id: Int64(i), when: "2025-11-21 18:\(String(format: "%02d", i % 60)) UTC",
        outcome: "success",
        seconds: Double(i), cached: 1, total: 2)
    }
    let html = HTMLReport.render(
      HTMLReportData(
        title: "t", generatedAt: "2025-11-21 18:00 UTC", version: "0", builds: builds,
        latest: builds.last))
    let svg = String(html[html.range(of: "<svg class=\"chart\"")!.lowerBound...])
    let end = svg.range(of: "</svg>")!.lowerBound
    let pattern = try NSRegularExpression(
      pattern:
        #"<text class="tick" x="([0-9.]+)" y="[0-9.]+" text-anchor="(start|middle|end)">#([0-9]+)"#)
    let chart = String(svg[..<end])
    return pattern.matches(in: chart, range: NSRange(chart.startIndex..., in: chart)).map { m in
      let text = { (i: Int) in String(chart[Range(m.range(at: i), in: chart)!]) }
      return (Double(text(1))!, text(2), Int(text(3))!)
    }
  }

  @Test(arguments: Array(1...40))
  func labelsNeverOverlap(_ count: Int) throws {
    let found = try Self.labels(builds: count)
    #expect(found.last?.id == count, "the newest build is labelled")
    let width = 112.0
    let spans = found.map { label -> ClosedRange<Double> in
      switch label.anchor {
      case "start": return label.x...(label.x + width)
      case "end": return (label.x - width)...label.x
      default: return (label.x - width / 2)...(label.x + width / 2)
      }
    }
    for (a, b) in zip(spans, spans.dropFirst()) {
      #expect(a.upperBound < b.lowerBound, "\(count) builds: \(a) and \(b) overlap")
    }
  }
}
