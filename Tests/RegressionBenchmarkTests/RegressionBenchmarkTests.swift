import BuildtrailKit
import Foundation
import Testing

@testable import RegressionBenchmarkSupport

@Suite struct RegressionBenchmarkTests {
  @Test func splitMixMatchesTheReferenceStream() {
    var state: UInt64 = 0
    #expect(RegressionBenchmark.Generator.splitMix(&state) == 0xE220_A839_7B1D_CDAF)
    #expect(RegressionBenchmark.Generator.splitMix(&state) == 0x6E78_9E6A_A1B9_65F4)
  }

  @Test func generatorIsDeterministicAndInRange() {
    var a = RegressionBenchmark.Generator(seed: 42)
    var b = RegressionBenchmark.Generator(seed: 42)
    var c = RegressionBenchmark.Generator(seed: 43)
    let first = (0..<100).map { _ in a.next() }
    #expect(first == (0..<100).map { _ in b.next() })
    #expect(first != (0..<100).map { _ in c.next() })
    for _ in 0..<1000 {
      let u = a.uniform()
      #expect(u >= 0 && u < 1)
      #expect((3...9).contains(a.integer(3...9)))
    }
  }

  @Test func durationSeriesFollowTheModel() {
    let scenario = RegressionBenchmark.standardScenarios(series: 1)[0]
    for index in 0..<200 {
      let series = RegressionBenchmark.series(scenario, index: index, seed: 1)
      #expect(series == RegressionBenchmark.series(scenario, index: index, seed: 1))
      #expect((100...300).contains(series.values.count))
      #expect(series.shifts.count <= 3)
      let bounds = [0] + series.shifts + [series.values.count]
      #expect(zip(bounds, bounds.dropFirst()).allSatisfy { $1 - $0 >= 15 })
      #expect(series.values.allSatisfy { $0 > 0 && $0.isFinite })
    }
  }

  @Test func rateSeriesAreFlagsOrRatios() {
    let scenarios = RegressionBenchmark.standardScenarios(series: 1)
    let flags = RegressionBenchmark.series(scenarios[3], index: 0, seed: 1)
    #expect(flags.values.allSatisfy { $0 == 0 || $0 == 1 })
    let ratios = RegressionBenchmark.series(scenarios[4], index: 0, seed: 1)
    #expect(ratios.values.allSatisfy { $0 >= 0 && $0 <= 1 && ($0 * 20).rounded() == $0 * 20 })
  }

  @Test func scoringMatchesEachShiftOnce() {
    let score = RegressionBenchmark.score(
      detected: [49, 51, 80, 130], injected: [50, 84, 200], builds: 250)
    #expect(score.truePositives == 1)  // 49 or 51 for 50; 80 is 4 away from 84.
    #expect(score.detected == 4 && score.injected == 3)
    #expect(score.precision == 0.25)
    #expect(score.recall == 1.0 / 3)
    #expect(score.falseAlarmsPerThousandBuilds == 12)
    let exact = RegressionBenchmark.score(detected: [47, 103], injected: [50, 100])
    #expect(exact.truePositives == 2)
    #expect(RegressionBenchmark.score(detected: [], injected: []).precision == nil)
  }

  /// A small run of the benchmark's main scenario: 0–3 shifts of ±20–100 %, 10 % CV, 5 % outliers.
  @Test func smallBenchmarkRunMeetsTheTargets() {
    for seed in UInt64(1)...2 {
      var scenario = RegressionBenchmark.standardScenarios(series: 150)[0]
      scenario.series = 150
      let result = RegressionBenchmark.run(scenario, seed: seed)
      #expect(result.score.injected > 150)
      #expect((result.score.precision ?? 0) >= 0.95, "seed \(seed): \(result.score)")
      #expect((result.score.recall ?? 0) >= 0.95, "seed \(seed): \(result.score)")
    }
    let flat = RegressionBenchmark.run(
      RegressionBenchmark.standardScenarios(series: 20)[2], seed: 1)
    #expect(flat.score.builds == 20_000)
    #expect(flat.score.falseAlarmsPerThousandBuilds <= 1)
  }

  @Test func tableHasOneRowPerScenario() {
    let results = RegressionBenchmark.standardScenarios(series: 2).map {
      RegressionBenchmark.run($0, seed: 3)
    }
    let table = RegressionBenchmark.markdownTable(results)
    let lines = table.split(separator: "\n")
    #expect(lines.count == 2 + results.count)
    #expect(
      lines[0].hasPrefix("| scenario | series | injected | detected | TP | precision | recall |"))
  }
}
