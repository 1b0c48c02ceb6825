import BuildStore
import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// `regressions` output for a total explained by two step points, a total that no step explains, and a step
/// regression of its own, against golden files (Rendering/Snapshots/regressions.*).
@Suite struct RegressionRendererTests {
  static func regressions() throws -> [Regression] {
    let builds = try sampleHistory().builds().sorted { $0.id < $1.id }
    func point(_ before: Double, _ after: Double) -> ChangePoint {
      ChangePoint(
        index: 1, medianBefore: before, medianAfter: after,
        relativeChange: (after - before) / before, pValue: 1e-6)
    }
    func step(_ name: String, _ build: BuildSummary, _ change: ChangePoint) -> Regression {
      Regression(
        kind: .stepDuration, series: name, key: name, branch: "main", target: nil, build: build,
        previous: builds[0],
        change: change, cause: nil, explainedBy: nil)
    }
    let first = step("[app 4/6] RUN npm ci", builds[2], point(30, 48))
    let second = step("[app 6/6] RUN make -j4", builds[1], point(60, 96))
    let refs = [first, second].map {
      Regression.Reference(
        kind: $0.kind, key: $0.key, series: $0.series, build: $0.build.id, contribution: 18)
    }
    let explained = Regression(
      kind: .duration, series: "total duration", key: nil, branch: "main", target: nil,
      build: builds[1],
      previous: builds[0], change: point(120, 170), cause: nil, explainedBy: refs)
    let alone = Regression(
      kind: .duration, series: "total duration", key: nil, branch: "main", target: nil,
      build: builds[0],
      previous: nil, change: point(100, 150), cause: nil, explainedBy: [])
    let own = step("[deps 2/3] RUN pip install -r requirements.txt", builds[0], point(10, 20))
    return [first, explained, second, alone, own]
  }

  @Test(arguments: [OutputFormat.table, .json])
  func golden(_ format: OutputFormat) throws {
    let out = RegressionRenderer(format: format, terminal: Terminal(useColor: false, width: 100))
      .render(try Self.regressions())
    try Golden.check(out, "regressions.\(format.rawValue)")
  }

  @Test func eachRegressionIsShownOnceAndTheExplainedTotalHasNoBuildOfItsOwn() throws {
    let out = RegressionRenderer(format: .table, terminal: Terminal(useColor: false, width: 100))
      .render(try Self.regressions())
    #expect(out.components(separatedBy: "RUN npm ci").count == 2, "\(out)")
    #expect(out.components(separatedBy: "RUN make -j4").count == 2, "\(out)")
    let lines = out.split(separator: "\n").map(String.init)
    #expect(lines.first == "▲ duration  total duration, through the steps below")
    #expect(lines.dropFirst().first?.hasPrefix("    on main: 2m00s → 2m50s") == true, "\(out)")
    #expect(out.contains("no single step explains it"))
  }
}
