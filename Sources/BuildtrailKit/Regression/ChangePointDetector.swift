import Foundation

/// Deterministic change-point detection for per-build series (oldest first).
///
/// Method, in three steps.
/// 1. **Test statistic.** Each candidate split of a segment is scored by a two-sample statistic:
///    for durations, the Mann–Whitney U (normal approximation, tie and continuity corrections), which
///    uses ranks only, so outliers (a slow runner) and skewed noise do not inflate it, and which is the
///    same on log values; for cache hits, the two-proportion z-test (pooled variance), with Fisher's exact
///    test when an expected cell count is below 5. The best split of a segment is a *maximally selected*
///    statistic, so its p-value is adjusted for the search over positions: the smaller of Bonferroni and the
///    Miller–Siegmund (1982) approximation used for maximally selected rank statistics (Lausen & Schumacher
///    1992). That replaces E-divisive's permutation test, which is neither deterministic nor fast, and
///    unlike Hunter's t-test it is not fooled by skew or outliers.
/// 2. **Search.** Seeded binary segmentation (Kovács et al. 2020, a deterministic Wild Binary Segmentation):
///    besides the whole segment, a fixed grid of intervals at halving scales is scanned, so a short
///    excursion (slowdown, then recovery) is found even where one split of the whole series dilutes it.
///    The most significant candidate with search-adjusted p ≤ `maxPValue` and a large-enough shift splits
///    the segment, and both halves are searched again (as in E-divisive and Chromium's bisection).
/// 3. **Clean-up** (as in Hunter/Otava). Each point is placed at the maximum-likelihood split between its
///    neighbours (Laplace model on log durations: robust and sharp; Bernoulli model for hits), then
///    re-tested against the two adjacent regimes at that fixed point; the weakest point failing
///    p ≤ `maxPValue` or the minimum shift is dropped, and the rest re-placed, until all pass. Points are thus
///    at least `minSegment` apart, and the reported medians and p-value describe the adjacent regimes.
///
/// Durations are compared in log space: a shift counts when `|ln(after / before)| ≥ ln(1 + minRelativeChange)`,
/// so a 10 % slowdown and the speedup that undoes it (−9.1 %) are treated alike. Medians below 1 ms
/// (durations in seconds) are floored at 1 ms for that ratio and for `relativeChange`.
///
/// A slow drift has no true change point: it is approximated by a staircase of steps, each significant and
/// at least `minRelativeChange` (a linear +50 % over 100 builds gives one or two points with +15…30 %
/// each, at varying places); a drift that stays under `minRelativeChange` between regimes is not reported.
///
/// Cost: O(n log² n) per series; no randomness, no shared state.
package enum ChangePointDetector {
  /// Change points in a numeric series (durations): deterministic, robust to outliers.
  ///
  /// Feed one state only (for a step, the builds where it executed): a mix of cached and executed builds
  /// is bimodal and its "shifts" follow the cache pattern. Non-finite values are skipped (indices still
  /// refer to `series`); negative values count as 0.
  package static func detect(_ series: [Double], configuration: DetectorConfiguration = .default)
    -> [ChangePoint]
  {
    var kept: [Int] = []
    var values: [Double] = []
    kept.reserveCapacity(series.count)
    values.reserveCapacity(series.count)
    for (index, value) in series.enumerated() where value.isFinite {
      kept.append(index)
      values.append(max(0, value))
    }
    var statistic = RankStatistic(
      values: values, minRelativeChange: configuration.minRelativeChange)
    return Engine.run(&statistic, configuration: configuration).map {
      $0.changePoint(originalIndices: kept)
    }
  }

  /// Change points in a 0/1 series (cache hit per build) or ratios in 0...1: shifts in the hit rate; relativeChange is the absolute difference of rates here.
  ///
  /// `medianBefore`/`medianAfter` hold the mean hit rates of the two regimes (the median of 0/1 flags says
  /// little). Non-finite values are skipped; values are clamped to 0...1.
  package static func detectRateShift(
    _ series: [Double], configuration: DetectorConfiguration = .rates
  ) -> [ChangePoint] {
    var kept: [Int] = []
    var values: [Double] = []
    kept.reserveCapacity(series.count)
    values.reserveCapacity(series.count)
    for (index, value) in series.enumerated() where value.isFinite {
      kept.append(index)
      values.append(min(1, max(0, value)))
    }
    var statistic = RateStatistic(values: values, minDifference: configuration.minRelativeChange)
    return Engine.run(&statistic, configuration: configuration).map {
      $0.changePoint(originalIndices: kept)
    }
  }
}

// MARK: - Engine

extension ChangePointDetector {
  /// The best split of a segment and its standardized statistic.
  struct Split: Equatable {
    var index: Int
    var z: Double
  }

  /// Size of the shift at a split, in the statistic's own terms.
  struct Effect: Equatable {
    var before: Double
    var after: Double
    var relativeChange: Double
    var isLargeEnough: Bool
  }

  /// A two-sample statistic over contiguous ranges of one series.
  protocol SplitStatistic {
    /// Number of values.
    var count: Int { get }
    /// Split of `lower..<upper` maximizing |z| with at least `minSegment` values a side (earliest on ties).
    mutating func bestSplit(_ lower: Int, _ upper: Int, minSegment: Int) -> Split?
    /// |z| of the split `lower..<split` against `split..<upper`.
    mutating func zScore(_ lower: Int, _ split: Int, _ upper: Int) -> Double
    /// Pointwise two-sided p of a split, and the normal quantile equivalent to it.
    mutating func significance(_ lower: Int, _ split: Int, _ upper: Int, z: Double) -> (
      p: Double, z: Double
    )
    /// Levels either side of a split and whether the shift reaches the configured minimum.
    mutating func effect(_ lower: Int, _ split: Int, _ upper: Int) -> Effect
    /// The most likely position of a single shift in `lower..<upper`, starting from the test's best split `guess`.
    mutating func localize(_ lower: Int, _ upper: Int, guess: Int, minSegment: Int) -> Int
  }

  /// A detected point in cleaned-series coordinates.
  struct Found {
    var index: Int
    var effect: Effect
    var pValue: Double

    func changePoint(originalIndices: [Int]) -> ChangePoint {
      ChangePoint(
        index: originalIndices[index], medianBefore: effect.before, medianAfter: effect.after,
        relativeChange: effect.relativeChange, pValue: pValue)
    }
  }

  /// Seeded binary segmentation plus neighbour re-testing; see `ChangePointDetector`.
  enum Engine {
    struct Candidate {
      var lower: Int
      var upper: Int
      var split: Int
      var z: Double
      var pValue: Double
      var interval: Int?
    }

    static func run<S: SplitStatistic>(_ statistic: inout S, configuration: DetectorConfiguration)
      -> [Found]
    {
      let n = statistic.count
      let m = max(1, configuration.minSegment)
      let alpha = configuration.maxPValue
      guard n >= 2 * m else { return [] }

      let intervals = seededIntervals(count: n, minLength: 2 * m)
      var candidates: [Candidate?] = []
      candidates.reserveCapacity(intervals.count)
      for (offset, interval) in intervals.enumerated() {
        var candidate = assess(&statistic, interval.lower, interval.upper, minSegment: m)
        candidate?.interval = offset
        candidates.append(candidate)
      }
      var effectPasses = [Bool?](repeating: nil, count: intervals.count)

      var points: [Int] = []
      var stack: [(Int, Int)] = [(0, n)]
      var pool: [Candidate] = []
      while let (lower, upper) = stack.popLast() {
        guard upper - lower >= 2 * m else { continue }
        pool.removeAll(keepingCapacity: true)
        if let whole = assess(&statistic, lower, upper, minSegment: m), whole.pValue <= alpha {
          pool.append(whole)
        }
        for (offset, interval) in intervals.enumerated()
        where interval.lower >= lower && interval.upper <= upper
          && (interval.lower, interval.upper) != (lower, upper)
        {
          if let candidate = candidates[offset], candidate.pValue <= alpha {
            pool.append(candidate)
          }
        }
        pool.sort(by: isMoreSignificant)
        var chosen: Int?
        for candidate in pool {
          let passes: Bool
          if let offset = candidate.interval, let known = effectPasses[offset] {
            passes = known
          } else {
            passes =
              statistic.effect(candidate.lower, candidate.split, candidate.upper).isLargeEnough
            if let offset = candidate.interval { effectPasses[offset] = passes }
          }
          if passes {
            chosen = candidate.split
            break
          }
        }
        if let split = chosen {
          points.append(split)
          stack.append((split, upper))
          stack.append((lower, split))
        }
      }
      points.sort()
      return settle(points, &statistic, count: n, minSegment: m, alpha: alpha)
    }

    /// Moves each point to the best split between its neighbours, drops the weakest failing point, repeats.
    struct Bounds: Hashable {
      var lower: Int
      var upper: Int
    }

    struct Placed: Hashable {
      var lower: Int
      var index: Int
      var upper: Int
    }

    static func settle<S: SplitStatistic>(
      _ initial: [Int], _ statistic: inout S, count n: Int, minSegment m: Int, alpha: Double
    ) -> [Found] {
      // Both steps depend only on the bounds (and position), so results are memoized across passes.
      var positions: [Bounds: Int] = [:]
      var verdicts: [Placed: Found] = [:]
      var points = initial
      while true {
        for _ in 0..<10 {
          var moved = false
          for i in points.indices {
            let bounds = Bounds(
              lower: i == 0 ? 0 : points[i - 1], upper: i == points.count - 1 ? n : points[i + 1])
            let position: Int
            if let known = positions[bounds] {
              position = known
            } else {
              guard let best = statistic.bestSplit(bounds.lower, bounds.upper, minSegment: m) else {
                continue
              }
              position = statistic.localize(
                bounds.lower, bounds.upper, guess: best.index, minSegment: m)
              positions[bounds] = position
            }
            if position != points[i] {
              points[i] = position
              moved = true
            }
          }
          if !moved { break }
        }
        var found: [Found] = []
        var worst: (position: Int, badness: Double)?
        for i in points.indices {
          let placed = Placed(
            lower: i == 0 ? 0 : points[i - 1], index: points[i],
            upper: i == points.count - 1 ? n : points[i + 1])
          let verdict: Found
          if let known = verdicts[placed] {
            verdict = known
          } else {
            let z = statistic.zScore(placed.lower, placed.index, placed.upper)
            let pointwise = statistic.significance(placed.lower, placed.index, placed.upper, z: z)
            // The search was paid for when the point was found; the re-test at a fixed point is pointwise.
            let p = pointwise.p
            let effect = statistic.effect(placed.lower, placed.index, placed.upper)
            verdict = Found(index: placed.index, effect: effect, pValue: p)
            verdicts[placed] = verdict
          }
          found.append(verdict)
          if verdict.pValue > alpha || !verdict.effect.isLargeEnough {
            // A shift below the minimum goes first, then the least significant.
            let badness = verdict.effect.isLargeEnough ? verdict.pValue : 2 + verdict.pValue
            if worst.map({ badness > $0.badness }) ?? true { worst = (i, badness) }
          }
        }
        guard let drop = worst else { return found }
        points.remove(at: drop.position)
      }
    }

    static func assess<S: SplitStatistic>(
      _ statistic: inout S, _ lower: Int, _ upper: Int, minSegment m: Int
    ) -> Candidate? {
      guard let split = statistic.bestSplit(lower, upper, minSegment: m) else { return nil }
      let pointwise = statistic.significance(lower, split.index, upper, z: split.z)
      let p = Stats.searchAdjusted(pointwise.p, z: pointwise.z, count: upper - lower, minSegment: m)
      return Candidate(
        lower: lower, upper: upper, split: split.index, z: split.z, pValue: p, interval: nil)
    }

    /// Smaller p first; then larger |z|, shorter interval, earlier split: a total, deterministic order.
    static func isMoreSignificant(_ a: Candidate, _ b: Candidate) -> Bool {
      if a.pValue != b.pValue { return a.pValue < b.pValue }
      if a.z != b.z { return a.z > b.z }
      if a.upper - a.lower != b.upper - b.lower { return a.upper - a.lower < b.upper - b.lower }
      if a.split != b.split { return a.split < b.split }
      return a.lower < b.lower
    }

    /// Scale factor between successive layers of seeded intervals.
    static let decay = 0.5

    /// Seeded intervals (Kovács et al.): at layer k, 2⌈(1/a)^k⌉ − 1 evenly spaced intervals of length n·a^k.
    static func seededIntervals(count n: Int, minLength: Int) -> [(lower: Int, upper: Int)] {
      var result: [(lower: Int, upper: Int)] = []
      var layer = 1
      while true {
        let length = Double(n) * pow(decay, Double(layer))
        guard length >= Double(max(minLength, 2)), layer < 60 else { break }
        let number = 2 * Int(pow(1 / decay, Double(layer)).rounded(.up)) - 1
        let shift = (Double(n) - length) / Double(number - 1)
        for i in 0..<number {
          let start = Double(i) * shift
          let lower = max(0, Int(start.rounded(.down)))
          let upper = min(n, Int((start + length).rounded(.up)))
          if upper - lower >= minLength, result.last.map({ $0 != (lower, upper) }) ?? true {
            result.append((lower, upper))
          }
        }
        layer += 1
      }
      return result
    }
  }
}
