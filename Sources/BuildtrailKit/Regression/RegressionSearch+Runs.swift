import Foundation

/// Cache breaks too short for the change-point detector: a break that was fixed a few builds later is two
/// change points closer than its minimum segment, so neither side is long enough to test.
///
/// A run of consecutive misses of a step that otherwise hits is improbable under the step's own miss rate around
/// it: with miss rate q, a run of L misses starts at a given build with probability q^L, and at any of the n builds
/// with at most n·q^L (q is estimated from the step's other builds). When that bound is at most the detector's `maxPValue`, the run is a break (its first
/// build), and each later step that missed throughout the run while it used to hit broke with it (a cache miss
/// cascades to the steps after it).
extension RegressionSearch {
  /// Step-cache points for runs of misses that no point of the step's series already covers.
  static func shortBreaks(
    _ points: [Point], builds: [Build], order: [String], settings: Settings
  ) -> [Point] {
    var hits: [String: [Bool?]] = [:]
    for key in order { hits[key] = [Bool?](repeating: nil, count: builds.count) }
    for (t, build) in builds.enumerated() {
      for step in build.steps { hits[step.key]?[t] = step.hit }
    }
    var added: [Point] = []
    func covered(_ key: String, _ t: Int) -> Bool {
      (points + added).contains {
        $0.kind == .stepCache && $0.key == key && abs($0.position - t) <= cascadeWindow
      }
    }
    for (rank, key) in order.enumerated() {
      guard let series = hits[key] else { continue }
      let counts = RunCounts(series)
      for run in missRuns(series) {
        guard counts.ran[run.lowerBound] >= settings.rates.minSegment,
          let change = runChange(counts, run, alpha: settings.rates.maxPValue),
          !covered(key, run.lowerBound),
          let recent = recentHitRate(series, run), recent > 0,
          let point = point(key, run, change, builds: builds)
        else { continue }
        added.append(point)
        for other in order[(rank + 1)...] {
          guard let later = hits[other], !covered(other, run.lowerBound),
            run.allSatisfy({ later[$0] != true }),
            let before = recentHitRate(later, run), before > 0,
            let joined = self.point(
              other, run,
              ChangePoint(
                index: run.lowerBound, medianBefore: before, medianAfter: 0,
                relativeChange: -before, pValue: change.pValue), builds: builds)
          else { continue }
          added.append(joined)
        }
      }
    }
    return added
  }

  /// Maximal runs of builds in which the step missed (builds where it did not run are skipped, not counted).
  static func missRuns(_ series: [Bool?]) -> [Range<Int>] {
    var runs: [Range<Int>] = []
    var start: Int?
    var last = 0
    for (t, hit) in series.enumerated() {
      switch hit {
      case false?:
        if start == nil { start = t }
        last = t
      case true?:
        if let s = start { runs.append(s..<(last + 1)) }
        start = nil
      case nil: continue
      }
    }
    if let s = start { runs.append(s..<(last + 1)) }
    return runs
  }

  /// The hit rate of the step in the last `cascadeWindow` builds it ran before `run`, or nil when it ran in none.
  static func recentHitRate(_ series: [Bool?], _ run: Range<Int>) -> Double? {
    var seen = 0
    var hit = 0
    var t = run.lowerBound - 1
    while t >= 0 && seen < cascadeWindow {
      if let flag = series[t] {
        seen += 1
        if flag { hit += 1 }
      }
      t -= 1
    }
    guard seen > 0 else { return nil }
    return Double(hit) / Double(seen)
  }

  /// How many builds before each build a step ran in, and missed in (prefix counts, one more than builds).
  struct RunCounts {
    var ran: [Int]
    var missed: [Int]

    init(_ series: [Bool?]) {
      ran = [0]
      missed = [0]
      ran.reserveCapacity(series.count + 1)
      missed.reserveCapacity(series.count + 1)
      for flag in series {
        ran.append((ran.last ?? 0) + (flag == nil ? 0 : 1))
        missed.append((missed.last ?? 0) + (flag == false ? 1 : 0))
      }
    }
  }

  /// The run as a change point when n·E[q^L] is at most `alpha`, q being the step's miss rate in the builds
  /// outside the run with a uniform prior (so that a step seen to miss rarely is not taken to be certain to hit):
  /// with m misses in N builds, E[q^L] = Π_{i<L} (m + 1 + i) / (N + 2 + i).
  static func runChange(_ counts: RunCounts, _ run: Range<Int>, alpha: Double) -> ChangePoint? {
    let all = counts.ran.count - 1
    let length = counts.missed[run.upperBound] - counts.missed[run.lowerBound]
    let missed = Double((counts.missed[all] - length))
    let count = Double(counts.ran[all] - (counts.ran[run.upperBound] - counts.ran[run.lowerBound]))
    var chance = Double(counts.ran[all])
    for i in 0..<length where chance > alpha * 1e-6 {
      chance *= (missed + 1 + Double(i)) / (count + 2 + Double(i))
    }
    guard chance <= alpha else { return nil }
    let q = (missed + 1) / (count + 2)
    return ChangePoint(
      index: run.lowerBound, medianBefore: 1 - q, medianAfter: 0, relativeChange: q - 1,
      pValue: min(1, chance))
  }

  /// A step-cache point at the first build of `run`.
  static func point(_ key: String, _ run: Range<Int>, _ change: ChangePoint, builds: [Build])
    -> Point?
  {
    guard run.lowerBound > 0,
      let step = builds[run.lowerBound].steps.first(where: { $0.key == key })
    else { return nil }
    let executed = builds.compactMap { build in
      build.steps.first { $0.key == key }?.executedSeconds
    }
    let meanCacheable =
      Double(builds.reduce(0) { $0 + $1.cacheableSteps }) / Double(max(1, builds.count))
    let drop = change.medianBefore - change.medianAfter
    return Point(
      kind: .stepCache, series: step.name, key: key, position: run.lowerBound,
      previousPosition: run.lowerBound - 1, change: change,
      secondsImpact: drop * BuildCheck.median(executed),
      rateImpact: meanCacheable > 0 ? drop / meanCacheable : 0, explainedBy: nil)
  }
}
