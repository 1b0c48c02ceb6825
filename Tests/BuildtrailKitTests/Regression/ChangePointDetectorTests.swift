import Foundation
import RegressionBenchmarkSupport
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Hand-made duration series with a little deterministic log-normal noise.
private func noisy(_ levels: [Double], seed: UInt64, cv: Double = 0.05) -> [Double] {
  var rng = RegressionBenchmark.Generator(seed: seed)
  let sigma = log1p(cv * cv).squareRoot()
  return levels.map { $0 * exp(sigma * rng.normal() - sigma * sigma / 2) }
}

private func repeated(_ value: Double, _ count: Int) -> [Double] {
  Array(repeating: value, count: count)
}

@Suite struct ChangePointDetectorTests {
  @Test func cleanStepUpIsOnePointAtTheStep() throws {
    let points = ChangePointDetector.detect(repeated(10, 40) + repeated(13, 40))
    let point = try #require(points.count == 1 ? points.first : nil)
    #expect(point.index == 40)
    #expect(point.medianBefore == 10)
    #expect(point.medianAfter == 13)
    #expect(abs(point.relativeChange - 0.3) < 1e-9)
    #expect(point.pValue <= 0.001)
    #expect(point.confidence >= 0.999 && point.confidence <= 1)
  }

  @Test func noisyStepUpIsFoundWithinOneBuild() throws {
    let points = ChangePointDetector.detect(noisy(repeated(10, 40) + repeated(13, 40), seed: 7))
    let point = try #require(points.count == 1 ? points.first : nil)
    #expect(abs(point.index - 40) <= 1)
    #expect(abs(point.relativeChange - 0.3) < 0.08)
  }

  @Test func stepDownReportsANegativeChange() throws {
    let points = ChangePointDetector.detect(noisy(repeated(100, 60) + repeated(70, 50), seed: 3))
    let point = try #require(points.count == 1 ? points.first : nil)
    #expect(abs(point.index - 60) <= 1)
    #expect(point.relativeChange < -0.22 && point.relativeChange > -0.38)
    #expect(point.medianAfter < point.medianBefore)
  }

  @Test func speedupAndSlowdownOfTheSameLogSizeAreTreatedAlike() {
    // +10 % and its inverse (−9.1 %) both reach the 10 % minimum; −8 % does not.
    #expect(ChangePointDetector.detect(repeated(10, 30) + repeated(11, 30)).map(\.index) == [30])
    #expect(ChangePointDetector.detect(repeated(11, 30) + repeated(10, 30)).map(\.index) == [30])
    #expect(ChangePointDetector.detect(repeated(10, 30) + repeated(9.2, 30)).isEmpty)
  }

  @Test func shiftBelowTheMinimumIsIgnoredEvenWhenSignificant() {
    let series = noisy(repeated(100, 100) + repeated(106, 100), seed: 5, cv: 0.01)
    #expect(ChangePointDetector.detect(series).isEmpty)
    var loose = DetectorConfiguration.default
    loose.minRelativeChange = 0.03
    let points = ChangePointDetector.detect(series, configuration: loose)
    #expect(points.count == 1)
    #expect(points.allSatisfy { abs($0.index - 100) <= 2 })
  }

  @Test func excursionAndRecoveryGiveTwoPoints() {
    let series = noisy(repeated(50, 50) + repeated(75, 20) + repeated(50, 50), seed: 11)
    let points = ChangePointDetector.detect(series)
    #expect(points.count == 2)
    #expect(
      points.map(\.index).enumerated().allSatisfy { abs($0.element - [50, 70][$0.offset]) <= 1 })
    #expect(points.first.map { $0.relativeChange > 0 } == true)
    #expect(points.last.map { $0.relativeChange < 0 } == true)
  }

  /// A linear +50 % over 100 builds has no true step: it comes out as one or two upward steps.
  @Test func slowDriftGivesAtMostTwoUpwardPoints() {
    let drift = (0..<100).map { 10 * (1 + 0.5 * Double($0) / 99) }
    let clean = ChangePointDetector.detect(drift)
    #expect((1...2).contains(clean.count))
    #expect(clean.allSatisfy { $0.relativeChange > 0.1 })
    for seed in UInt64(1)...5 {
      let points = ChangePointDetector.detect(noisy(drift, seed: seed, cv: 0.1))
      #expect((1...2).contains(points.count), "seed \(seed): \(points.map(\.index))")
      #expect(points.allSatisfy { $0.relativeChange > 0.1 })
    }
  }

  @Test func singleSpikeIsNotAChangePoint() {
    var series = noisy(repeated(10, 60), seed: 2)
    series[30] = 100
    #expect(ChangePointDetector.detect(series).isEmpty)
    var flat = repeated(10, 60)
    flat[30] = 100
    #expect(ChangePointDetector.detect(flat).isEmpty)
  }

  @Test func fivePercentOutliersDoNotCreatePoints() {
    var rng = RegressionBenchmark.Generator(seed: 9)
    let series = noisy(repeated(30, 300), seed: 4, cv: 0.1).map {
      rng.bernoulli(0.05) ? $0 * rng.uniform(1.5...4) : $0
    }
    #expect(ChangePointDetector.detect(series).isEmpty)
  }

  /// Cached (0.1 s) and executed (~120 s) builds fed raw: a change in the cache-hit pattern looks like a
  /// huge duration change. The caller must pass executed builds only (and track cache hits with
  /// `detectRateShift`).
  @Test func bimodalSeriesMustBeFilteredByTheCaller() {
    var rng = RegressionBenchmark.Generator(seed: 21)
    var raw: [Double] = []
    var executed: [Int] = []
    for build in 0..<120 {
      let cached = rng.bernoulli(build < 60 ? 0.2 : 0.8)
      if !cached { executed.append(build) }
      raw.append(cached ? 0.1 : 120 * exp(0.05 * rng.normal()))
    }
    let rawPoints = ChangePointDetector.detect(raw)
    #expect(!rawPoints.isEmpty)
    #expect(rawPoints.contains { $0.relativeChange < -0.5 })
    #expect(ChangePointDetector.detect(executed.map { raw[$0] }).isEmpty)
  }

  @Test func executedOnlySubseriesFindsTheRealSlowdown() throws {
    var rng = RegressionBenchmark.Generator(seed: 22)
    var raw: [Double] = []
    var executed: [Int] = []
    for build in 0..<160 {
      let cached = rng.bernoulli(0.5)
      if !cached { executed.append(build) }
      raw.append(cached ? 0.1 : (build < 80 ? 100 : 130) * exp(0.05 * rng.normal()))
    }
    let points = ChangePointDetector.detect(executed.map { raw[$0] })
    let point = try #require(points.count == 1 ? points.first : nil)
    let build = executed[point.index]
    #expect(build >= 80 && build <= 83, "first executed build of the new regime: \(build)")
    #expect(abs(point.relativeChange - 0.3) < 0.08)
  }

  @Test func shortSeriesHaveNoPoints() {
    #expect(ChangePointDetector.detect([]).isEmpty)
    #expect(ChangePointDetector.detect([5]).isEmpty)
    #expect(ChangePointDetector.detect(repeated(1, 5) + repeated(100, 6)).isEmpty)
    #expect(ChangePointDetector.detectRateShift(repeated(1, 6) + repeated(0, 5)).isEmpty)
    var small = DetectorConfiguration.default
    small.minSegment = 20
    #expect(
      ChangePointDetector.detect(repeated(1, 20) + repeated(100, 19), configuration: small).isEmpty)
  }

  @Test func constantSeriesHaveNoPoints() {
    #expect(ChangePointDetector.detect(repeated(42, 500)).isEmpty)
    #expect(ChangePointDetector.detect(repeated(0, 100)).isEmpty)
    #expect(ChangePointDetector.detectRateShift(repeated(1, 200)).isEmpty)
    #expect(ChangePointDetector.detectRateShift(repeated(0, 200)).isEmpty)
  }

  @Test func zerosGiveFiniteEncodableResults() throws {
    let points = ChangePointDetector.detect(repeated(0, 30) + repeated(5, 30))
    let point = try #require(points.count == 1 ? points.first : nil)
    #expect(point.index == 30)
    #expect(point.medianBefore == 0 && point.medianAfter == 5)
    #expect(point.relativeChange.isFinite && point.relativeChange > 0)
    let data = try JSONEncoder().encode(points)
    #expect(try JSONDecoder().decode([ChangePoint].self, from: data) == points)

    // Sub-millisecond values are floored at 1 ms: 0 → 0.5 ms is not a shift.
    #expect(ChangePointDetector.detect(repeated(0, 30) + repeated(0.0005, 30)).isEmpty)
    // Occasional zeros (failed or skipped runs) are just low ranks.
    var series = noisy(repeated(20, 80), seed: 8)
    for i in stride(from: 3, to: 80, by: 11) { series[i] = 0 }
    #expect(ChangePointDetector.detect(series).isEmpty)
  }

  @Test func nonFiniteValuesAreSkippedAndIndicesStayOriginal() throws {
    var series = repeated(10, 40) + repeated(13, 40)
    series.insert(.nan, at: 10)
    series.insert(.infinity, at: 20)
    let points = ChangePointDetector.detect(series)
    let point = try #require(points.count == 1 ? points.first : nil)
    #expect(point.index == 42)
    #expect(series[point.index] == 13 && series[point.index - 1] == 10)
  }

  @Test func sameInputGivesSameOutput() {
    var rng = RegressionBenchmark.Generator(seed: 99)
    let model = RegressionBenchmark.DurationModel()
    for _ in 0..<20 {
      let series = RegressionBenchmark.durationSeries(model, using: &rng).values
      let first = ChangePointDetector.detect(series)
      #expect(ChangePointDetector.detect(series) == first)
      #expect(ChangePointDetector.detect(Array(series)) == first)
    }
  }

  @Test func pointsAreAtLeastMinSegmentApartAndPassTheThresholds() {
    var rng = RegressionBenchmark.Generator(seed: 5)
    var model = RegressionBenchmark.DurationModel()
    model.shiftCount = 3...3
    for _ in 0..<30 {
      let series = RegressionBenchmark.durationSeries(model, using: &rng).values
      let points = ChangePointDetector.detect(series)
      let bounds = [0] + points.map(\.index) + [series.count]
      #expect(zip(bounds, bounds.dropFirst()).allSatisfy { $1 - $0 >= 6 })
      #expect(
        points.allSatisfy { $0.pValue <= 0.001 && abs(log1p($0.relativeChange)) >= log(1.1) - 1e-9 }
      )
    }
  }

  @Test func longSeriesAreHandled() {
    var levels = repeated(60, 4000) + repeated(80, 3000) + repeated(60, 3000)
    levels = noisy(levels, seed: 12, cv: 0.1)
    let points = ChangePointDetector.detect(levels)
    #expect(points.count == 2)
    #expect(zip(points.map(\.index), [4000, 7000]).allSatisfy { abs($0 - $1) <= 3 })
  }
}

@Suite struct RateShiftDetectorTests {
  @Test func hitRateDropIsFound() throws {
    var rng = RegressionBenchmark.Generator(seed: 31)
    let flags = (0..<160).map { rng.bernoulli($0 < 80 ? 0.95 : 0.3) ? 1.0 : 0.0 }
    let points = ChangePointDetector.detectRateShift(flags)
    let point = try #require(points.count == 1 ? points.first : nil)
    // With p(hit) = 0.95, builds 76 and 77 happen to be misses: the likeliest split is at 76.
    #expect(Array(flags[72..<84]) == [1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0])
    #expect(point.index == 76)
    #expect(point.relativeChange < -0.45)
    #expect(point.medianBefore > 0.85 && point.medianAfter < 0.45)
    #expect(point.relativeChange == point.medianAfter - point.medianBefore)
    #expect(point.pValue <= 0.001)
  }

  @Test func aBreakAfterARunOfNaturalMissesIsPlacedAfterTheLastHit() throws {
    // A step that misses now and then (hit rate 0.8) stops hitting for good after one last hit at 32.
    // The z-test's best split is at the start of the misses before that hit (30); the likeliest split is
    // after it (33). The placement once started from −∞, never moved, and kept the z-test's split.
    let flags =
      Array(repeating: [0.0, 1, 1, 1, 1], count: 6).flatMap { $0 } + [0, 0, 1] + repeated(0, 60)
    var statistic = ChangePointDetector.RateStatistic(values: flags, minDifference: 0.2)
    #expect(statistic.bestSplit(0, flags.count, minSegment: 6)?.index == 30)
    let points = ChangePointDetector.detectRateShift(flags)
    let point = try #require(points.count == 1 ? points.first : nil)
    #expect(point.index == 33)
    #expect(abs(point.medianBefore - 25.0 / 33) < 1e-9 && point.medianAfter == 0)
  }

  @Test func cleanLossAndRecovery() {
    let flags = repeated(1, 40) + repeated(0, 20) + repeated(1, 40)
    let points = ChangePointDetector.detectRateShift(flags)
    #expect(points.map(\.index) == [40, 60])
    #expect(points.map(\.relativeChange) == [-1, 1])
  }

  @Test func hitRatiosPerBuild() {
    var rng = RegressionBenchmark.Generator(seed: 32)
    let ratios = (0..<120).map { build -> Double in
      let rate = build < 70 ? 0.9 : 0.6
      return Double((0..<10).filter { _ in rng.bernoulli(rate) }.count) / 10
    }
    let points = ChangePointDetector.detectRateShift(ratios)
    #expect(points.count == 1)
    #expect(points.allSatisfy { abs($0.index - 70) <= 3 && $0.relativeChange < -0.2 })
  }

  @Test func smallRateChangesAndNoiseAreIgnored() {
    var rng = RegressionBenchmark.Generator(seed: 33)
    let steady = (0..<1000).map { _ in rng.bernoulli(0.9) ? 1.0 : 0.0 }
    #expect(ChangePointDetector.detectRateShift(steady).isEmpty)
    // 0.9 → 0.8 is below the 20-point minimum.
    let slight = (0..<2000).map { rng.bernoulli($0 < 1000 ? 0.9 : 0.8) ? 1.0 : 0.0 }
    #expect(ChangePointDetector.detectRateShift(slight).isEmpty)
  }

  @Test func rareMissesAtTheEndUseTheExactTest() {
    // Three misses in the last six builds after 94 hits: Fisher's exact p ≈ 1.2e-4 one-sided,
    // which does not survive the search adjustment at 0.001 — and the normal approximation would.
    let flags = repeated(1, 94) + [0, 1, 0, 1, 0, 1]
    #expect(ChangePointDetector.detectRateShift(flags).isEmpty)
    let lost = repeated(1, 94) + repeated(0, 10)
    #expect(ChangePointDetector.detectRateShift(lost).map(\.index) == [94])
  }
}

@Suite struct ChangePointStatisticsTests {
  @Test func fisherExactMatchesReferenceValues() {
    // [[3, 1], [1, 3]]: two-sided p = 0.4857 (R: fisher.test).
    let p = ChangePointDetector.Stats.fisherExactTwoSided(leftOnes: 3, left: 4, ones: 4, total: 8)
    #expect(abs(p - 0.485714) < 1e-5)
    // [[10, 0], [0, 10]]: p = 2 / C(20, 10) = 1.0825e-5.
    let extreme = ChangePointDetector.Stats.fisherExactTwoSided(
      leftOnes: 10, left: 10, ones: 10, total: 20)
    #expect(abs(extreme - 1.0825e-5) < 1e-8)
  }

  @Test func searchAdjustmentIsAtLeastPointwiseAndAtMostOne() {
    for z in stride(from: 0.0, through: 8, by: 0.5) {
      let pointwise = ChangePointDetector.Stats.twoSidedNormalP(z)
      for n in [12, 30, 200, 10_000] {
        let adjusted = ChangePointDetector.Stats.searchAdjusted(
          pointwise, z: z, count: n, minSegment: 6)
        #expect(adjusted >= pointwise && adjusted <= 1)
      }
    }
    // One split position: no adjustment.
    let p = ChangePointDetector.Stats.twoSidedNormalP(3)
    #expect(ChangePointDetector.Stats.searchAdjusted(p, z: 3, count: 12, minSegment: 6) == p)
  }

  @Test func normalQuantileInvertsThePValue() {
    for z in [0.5, 1.96, 3.29, 5.0] {
      let p = ChangePointDetector.Stats.twoSidedNormalP(z)
      #expect(abs(ChangePointDetector.Stats.twoSidedNormalQuantile(p) - z) < 1e-9)
    }
    #expect(abs(ChangePointDetector.Stats.twoSidedNormalP(1.959964) - 0.05) < 1e-6)
  }

  @Test func seededIntervalsCoverTheSeriesAtEveryScale() {
    let intervals = ChangePointDetector.Engine.seededIntervals(count: 200, minLength: 12)
    #expect(intervals.allSatisfy { $0.lower >= 0 && $0.upper <= 200 && $0.upper - $0.lower >= 12 })
    #expect(intervals.count == 3 + 7 + 15 + 31)
    #expect(intervals.first.map { $0.lower == 0 && $0.upper == 100 } == true)
  }
}
