import Foundation
import RegressionBenchmarkSupport
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Total points tied to the step points that account for them, on small histories with fixed seeds.
@Suite struct RegressionSearchTests {
  /// Four steps that run in every build, plus `exporting` seconds outside any cacheable step;
  /// `slow(step, t)` is the factor on a step at build `t`; `broken(t)` makes steps 2… of the first four miss.
  static func history(
    seed: UInt64, length: Int = 120, exporting: (Int) -> Double = { _ in 5 },
    slow: (Int, Int) -> Double = { _, _ in 1 },
    brokenFrom: Int? = nil
  ) -> [RegressionSearch.Build] {
    var rng = RegressionBenchmark.Generator(seed: seed)
    let base = [3.0, 40, 25, 60, 20, 30]
    return (0..<length).map { t in
      var seconds = exporting(t) * exp(0.1 * rng.normal())
      var cached = 0
      let steps = base.indices.map { i -> RegressionSearch.Step in
        let hits = i < 4 && !(brokenFrom.map { t >= $0 && i >= 1 } ?? false) && !rng.bernoulli(0.1)
        if hits {
          cached += 1
          return .init(key: "s\(i)", name: "RUN step \(i)", executedSeconds: nil, hit: true)
        }
        let d = base[i] * slow(i, t) * exp(0.1 * rng.normal())
        seconds += d
        return .init(key: "s\(i)", name: "RUN step \(i)", executedSeconds: d, hit: false)
      }
      return .init(
        successful: true, seconds: seconds, cacheHitRatio: Double(cached) / 6, cacheableSteps: 6,
        steps: steps)
    }
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func twoCloseStepSlowdownsExplainTheTotal(seed: UInt64) {
    // Steps 4 and 5 always run (the cache filter above only keeps the first four): +60 % at 60, +80 % at 64.
    let builds = Self.history(
      seed: seed, slow: { i, t in i == 5 && t >= 60 ? 1.6 : i == 4 && t >= 64 ? 1.8 : 1 })
    let points = RegressionSearch.run(builds)
    let steps = points.filter { $0.key != nil }
    #expect(
      Set(steps.compactMap { $0.key }) == ["s5", "s4"],
      "seed \(seed): \(points.map { ($0.kind, $0.key, $0.position) })")
    let totals = points.filter { $0.kind == .duration }
    #expect(totals.count == 1, "seed \(seed)")
    let explained = totals.first?.explainedBy ?? []
    #expect(
      Set(explained.compactMap { points[$0].key }) == ["s5", "s4"], "seed \(seed): \(totals)")
    let standalone = points.filter { $0.key == nil && ($0.explainedBy ?? []).isEmpty }
    #expect(standalone.isEmpty, "seed \(seed)")
  }

  @Test(arguments: [UInt64(4), 5])
  func aTotalThatNoStepExplainsStays(seed: UInt64) {
    let builds = Self.history(seed: seed, exporting: { $0 >= 70 ? 60 : 5 })
    let points = RegressionSearch.run(builds)
    #expect(
      points.filter { $0.key != nil }.isEmpty, "seed \(seed): \(points.map { ($0.kind, $0.key) })")
    let total = points.first { $0.kind == .duration }
    #expect(total.map { abs($0.position - 70) <= 1 } == true, "seed \(seed)")
    #expect(total?.explainedBy == [], "seed \(seed)")
  }

  @Test func aSmallStepNearALargeUnexplainedShiftDoesNotExplainIt() {
    let builds = Self.history(
      seed: 6, exporting: { $0 >= 70 ? 80 : 5 }, slow: { i, t in i == 4 && t >= 72 ? 2 : 1 })
    let points = RegressionSearch.run(builds)
    #expect(
      points.contains { $0.key == "s4" && $0.kind == .stepDuration },
      "seed 6: \(points.map { ($0.kind, $0.key) })")
    #expect(points.first { $0.kind == .duration }?.explainedBy == [], "seed 6")
  }

  @Test func aCascadingCacheBreakExplainsTheCacheRatioAndTheDuration() {
    let builds = Self.history(seed: 7, brokenFrom: 50)
    let points = RegressionSearch.run(builds)
    let breaks = points.indices.filter { points[$0].kind == .stepCache }
    #expect(
      Set(breaks.compactMap { points[$0].key }) == ["s1", "s2", "s3"],
      "seed 7: \(points.map { ($0.kind, $0.key) })")
    for kind in [Regression.Kind.cacheRate, .duration] {
      let total = points.first { $0.kind == kind }
      #expect(total.map { Set($0.explainedBy ?? []) == Set(breaks) } == true, "seed 7, \(kind)")
    }
    var off = RegressionSearch.Settings()
    off.attributes = false
    #expect(RegressionSearch.run(builds, settings: off).allSatisfy { $0.explainedBy == nil })
  }

  /// Three long steps that each miss the cache half the time, and `exporting(t)` seconds outside them.
  static func bimodal(seed: UInt64, exporting: (Int) -> Double) -> [RegressionSearch.Build] {
    var rng = RegressionBenchmark.Generator(seed: seed)
    return (0..<140).map { t in
      var seconds = exporting(t) * exp(0.1 * rng.normal())
      let steps = [90.0, 150, 240].enumerated().map { i, base -> RegressionSearch.Step in
        guard rng.bernoulli(0.5) else {
          return .init(key: "s\(i)", name: "RUN step \(i)", executedSeconds: nil, hit: true)
        }
        let d = base * exp(0.1 * rng.normal())
        seconds += d
        return .init(key: "s\(i)", name: "RUN step \(i)", executedSeconds: d, hit: false)
      }
      let cached = steps.filter { $0.hit == true }.count
      return .init(
        successful: true, seconds: seconds, cacheHitRatio: Double(cached) / 3, cacheableSteps: 3,
        steps: steps)
    }
  }

  @Test(arguments: [UInt64(11), 12, 13])
  func aShiftOutsideTheStepsThatTheTotalHidesIsReported(seed: UInt64) {
    // Export goes from 8 s to 20 s at build 70: lost in the total, whose steps miss the cache half the time.
    let builds = Self.bimodal(seed: seed, exporting: { $0 >= 70 ? 20 : 8 })
    let totals = ChangePointDetector.detect(builds.map(\.seconds))
    #expect(!totals.contains { abs($0.index - 70) <= 3 }, "seed \(seed): the total alone misses it")
    let points = RegressionSearch.run(builds)
    let duration = points.filter { $0.kind == .duration }
    #expect(duration.count == 1, "seed \(seed): \(points.map { ($0.kind, $0.position) })")
    #expect(duration.first.map { abs($0.position - 70) <= 1 } == true, "seed \(seed)")
    #expect(duration.first?.explainedBy == [], "seed \(seed)")
    #expect(duration.first.map { $0.change.medianAfter > $0.change.medianBefore } == true)
    #expect(points.first?.kind == .duration, "seed \(seed): total points come first")
  }

  /// A hand-made point: `impact` seconds for step points.
  static func point(
    _ kind: Regression.Kind, at position: Int, key: String? = nil, from before: Double = 0,
    to after: Double = 0, impact: Double = 0
  ) -> RegressionSearch.Point {
    RegressionSearch.Point(
      kind: kind, series: key ?? "total", key: key, position: position,
      previousPosition: position - 1,
      change: ChangePoint(
        index: position, medianBefore: before, medianAfter: after, relativeChange: 0, pValue: 0),
      secondsImpact: impact, rateImpact: impact / 100, explainedBy: nil)
  }

  @Test func aDurationTotalWithoutAnOutsideShiftIsTheConsequenceOfStepsWithinTwiceTheWindow() {
    // No outside shift near: the total's shift is in the steps' time, whatever share they seem to account for.
    let points = [
      Self.point(.duration, at: 50, from: 100, to: 200),
      Self.point(.cacheRate, at: 50, from: 0.9, to: 0.5),
      Self.point(.stepCache, at: 75, key: "far", from: 0.9, to: 0, impact: 10),
      Self.point(.stepDuration, at: 90, key: "too far", from: 10, to: 20, impact: 10),
    ]
    let result = RegressionSearch.attribute(points, settings: .init())
    #expect(result[0].explainedBy == [2])
    // A cache-ratio point still needs step points within the window that account for half of it.
    #expect(result[1].explainedBy == [])
  }

  /// Builds of two steps, `a` then `b`, with the hits given per build ("11" both hit, "01" `a` missed, ...).
  static func builds(_ flags: [String]) -> [RegressionSearch.Build] {
    flags.map { pair in
      let steps = zip(["a", "b"], pair).map { key, flag in
        RegressionSearch.Step(
          key: key, name: key, executedSeconds: flag == "1" ? nil : 10, hit: flag == "1")
      }
      return .init(
        successful: true, seconds: 20, cacheHitRatio: 0.5, cacheableSteps: 2, steps: steps)
    }
  }

  @Test func aBreakIsCenteredOnTheMissesThatAnEarlierStepExplains() {
    // `b` stops hitting; from 10 to 13 `a` missed too (either cause fits), at 14 only a break of `b` explains it.
    let flags =
      Array(repeating: "11", count: 10) + ["00", "00", "00", "00", "10"]
      + Array(repeating: "10", count: 10)
    let breakOfB = Self.point(.stepCache, at: 10, key: "b", from: 0.9, to: 0)
    let moved = RegressionSearch.centerOnRootMisses(
      [breakOfB], builds: Self.builds(flags), order: ["a", "b"])
    #expect(moved[0].position == 12 && moved[0].previousPosition == 11)
    // A point already at its first unexplained miss, or one of a step that still hits, stays.
    let flat = Array(repeating: "11", count: 10) + Array(repeating: "10", count: 10)
    #expect(
      RegressionSearch.centerOnRootMisses(
        [breakOfB], builds: Self.builds(flat), order: ["a", "b"])[0].position == 10)
    let partly = Self.point(.stepCache, at: 10, key: "b", from: 0.9, to: 0.4)
    #expect(
      RegressionSearch.centerOnRootMisses(
        [partly], builds: Self.builds(flags), order: ["a", "b"])[0].position == 10)
  }

  @Test func aLaterStepJoinsTheBreakOfAnEarlierOneWhoseMissesItFollowed() {
    // `a` breaks at 14 (by hand here), `b` after it shows misses from 10, each one while `a` missed too.
    let cascade = Array(repeating: "11", count: 10) + Array(repeating: "00", count: 14)
    let points = [
      Self.point(.stepCache, at: 14, key: "a", from: 0.9, to: 0),
      Self.point(.stepCache, at: 10, key: "b", from: 0.9, to: 0),
    ]
    let joined = RegressionSearch.joinCascades(
      points, builds: Self.builds(cascade), order: ["a", "b"])
    #expect(joined.map(\.position) == [14, 14])
    // When `b` missed while `a` hit (build 11), `b` broke on its own: it keeps its build.
    let own =
      Array(repeating: "11", count: 10) + ["00", "10", "00", "00"]
      + Array(repeating: "00", count: 10)
    let kept = RegressionSearch.joinCascades(points, builds: Self.builds(own), order: ["a", "b"])
    #expect(kept.map(\.position) == [14, 10])
  }

  @Test func historiesAreDeterministicAndTheirTruthNamesRealSeries() {
    let model = HistoryBenchmark.Model()
    for index in 0..<20 {
      let a = HistoryBenchmark.history(model, name: "test", index: index, seed: 9)
      let b = HistoryBenchmark.history(model, name: "test", index: index, seed: 9)
      #expect(a.builds == b.builds && a.truth == b.truth, "index \(index)")
      let keys = Set(a.builds.flatMap { $0.steps.map(\.key) })
      #expect(a.truth.allSatisfy { $0.key.map(keys.contains) ?? true }, "index \(index)")
      #expect(
        a.truth.allSatisfy { $0.position > 20 && $0.position < a.builds.count - 20 },
        "index \(index)")
    }
  }

  /// A small run of the history benchmark (the full figures are the benchmark's, see the README).
  @Test func smallHistoryRunMeetsTheTargets() {
    let scenarios = HistoryBenchmark.standardScenarios(histories: 40)
    for seed in UInt64(21)...22 {
      let result = HistoryBenchmark.run(scenarios[0], seed: seed)
      #expect(result.score.injected > 40)
      #expect((result.score.precision ?? 0) >= 0.9, "seed \(seed): \(result.score)")
      #expect((result.score.recall ?? 0) >= 0.9, "seed \(seed): \(result.score)")
      let before = HistoryBenchmark.run(scenarios[1], seed: seed)
      #expect(
        before.score.detected > result.score.detected,
        "seed \(seed): attribution removes total points")
    }
  }
}
