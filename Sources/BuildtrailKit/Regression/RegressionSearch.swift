import Foundation

/// The regression search over one branch's builds, free of storage: change points in the total duration,
/// the cache hit ratio, and each step's executed duration and cache hits; then each total point is tied to
/// the step points within a few builds that account for it.
///
/// A step-cache point of a step that stopped hitting is placed in the middle of the run of misses that an earlier
/// step's misses explain as well as a break would, and a later step of the same cascade joins the earlier step's
/// build (`RegressionSearch+Cascades`).
///
/// A total-duration point is first split in two: a build's total is its executed cacheable steps plus the
/// time outside them. When the outside time shifted within `explanationWindow` builds, the point is that shift:
/// no step explains it, and it moves to the build where the outside time shifted (an outside shift that the
/// total's own detector missed becomes a total point of its own). Otherwise its shift is in the steps' time,
/// and it is the consequence of the step points within twice `explanationWindow` builds; with none, it stays.
///
/// A cache-ratio point is a consequence when the step points within `explanationWindow` builds account for at
/// least `explainedShare` of it: a step-cache point adds its drop in hits divided by the build's cacheable
/// steps. A total point that is not a consequence keeps an empty `explainedBy`.
package enum RegressionSearch {
  /// One cacheable step of a build.
  package struct Step: Sendable, Equatable {
    /// Identity across builds.
    package var key: String
    /// Display name.
    package var name: String
    /// Seconds when it executed successfully; nil when cached or failed.
    package var executedSeconds: Double?
    /// `true` cached, `false` executed, nil when it failed (neither).
    package var hit: Bool?

    /// Creates a step.
    package init(key: String, name: String, executedSeconds: Double?, hit: Bool?) {
      self.key = key
      self.name = name
      self.executedSeconds = executedSeconds
      self.hit = hit
    }
  }

  /// One build, oldest first in the series.
  package struct Build: Sendable, Equatable {
    /// Only successful builds enter the total-duration series.
    package var successful: Bool
    /// Its total duration in seconds.
    package var seconds: Double
    /// Share of cacheable steps that hit; nil when it had none.
    package var cacheHitRatio: Double?
    /// Number of cacheable steps (the denominator of `cacheHitRatio`).
    package var cacheableSteps: Int
    /// Its cacheable steps.
    package var steps: [Step]

    /// Creates a build.
    package init(
      successful: Bool, seconds: Double, cacheHitRatio: Double?, cacheableSteps: Int, steps: [Step]
    ) {
      self.successful = successful
      self.seconds = seconds
      self.cacheHitRatio = cacheHitRatio
      self.cacheableSteps = cacheableSteps
      self.steps = steps
    }
  }

  /// A change point that made builds slower or hit the cache less.
  package struct Point: Sendable, Equatable {
    /// Which series.
    package var kind: Regression.Kind
    /// `total duration`, `cache hit ratio`, or the step's name.
    package var series: String
    /// The step's key (step series only).
    package var key: String?
    /// Position (in the builds searched) of the first build of the new regime, and of the one before it.
    package var position: Int
    package var previousPosition: Int
    /// The detector's figures.
    package var change: ChangePoint
    /// Estimated seconds added to an average build (step points only).
    package var secondsImpact: Double
    /// Estimated drop of the build's cache hit ratio (step-cache points only).
    package var rateImpact: Double
    /// For total points: indices (into the result) of the step points that account for it; empty when none does.
    package var explainedBy: [Int]?
  }

  /// Thresholds of the search.
  package struct Settings: Sendable, Equatable {
    /// Detector settings for duration series.
    package var durations = DetectorConfiguration.default
    /// Detector settings for cache-hit series.
    package var rates = DetectorConfiguration.rates
    /// Duration shifts under this many seconds are not reported.
    package var minimumSeconds = 1.0
    /// How many builds apart a step point may be from the cache-ratio point it explains (twice that for the
    /// total duration), and an outside shift from the total point it is: the total of builds that miss the cache
    /// now and then is bimodal, and its split lands up to this far from the steps' own.
    package var explanationWindow = 16
    /// Share of a cache-ratio shift that step points must account for to explain it.
    package var explainedShare = 0.5
    /// `false` leaves every total point unexplained (the behaviour before attribution, for the benchmark).
    package var attributes = true

    /// The defaults.
    package init() {}
  }

  /// Every regression in `builds` (oldest first), total points first, then steps in order of first appearance.
  package static func run(_ builds: [Build], settings: Settings = Settings()) -> [Point] {
    guard builds.count >= 2 * settings.durations.minSegment else { return [] }
    var found: [Point] = []
    func add(_ kind: Regression.Kind, _ series: String, _ key: String?, _ points: [(Int, Double)])
      -> [Point]
    {
      let rate = kind == .cacheRate || kind == .stepCache
      let values = points.map(\.1)
      let changes =
        rate
        ? ChangePointDetector.detectRateShift(values, configuration: settings.rates)
        : ChangePointDetector.detect(values, configuration: settings.durations)
      var result: [Point] = []
      for change in changes {
        let worse =
          rate ? change.medianAfter < change.medianBefore : change.medianAfter > change.medianBefore
        guard worse, change.index > 0, change.index < points.count else { continue }
        if !rate && change.medianAfter - change.medianBefore < settings.minimumSeconds { continue }
        result.append(
          Point(
            kind: kind, series: series, key: key, position: points[change.index].0,
            previousPosition: points[change.index - 1].0, change: change, secondsImpact: 0,
            rateImpact: 0,
            explainedBy: nil))
      }
      return result
    }
    let indexed = Array(builds.enumerated())
    found += add(
      .duration, "total duration", nil,
      indexed.filter { $0.element.successful }.map { ($0.offset, $0.element.seconds) })
    found += add(
      .cacheRate, "cache hit ratio", nil,
      indexed.filter { $0.element.cacheableSteps > 0 }.map {
        ($0.offset, $0.element.cacheHitRatio ?? 0)
      })

    var byKey: [String: (name: String, executed: [(Int, Double)], hits: [(Int, Double)])] = [:]
    var order: [String] = []
    for (position, build) in indexed {
      for step in build.steps {
        if byKey[step.key] == nil {
          byKey[step.key] = (step.name, [], [])
          order.append(step.key)
        }
        byKey[step.key]?.name = step.name
        if let seconds = step.executedSeconds {
          byKey[step.key]?.executed.append((position, seconds))
        }
        if let hit = step.hit { byKey[step.key]?.hits.append((position, hit ? 1 : 0)) }
      }
    }
    let meanCacheable =
      Double(builds.reduce(0) { $0 + $1.cacheableSteps }) / Double(max(1, builds.count))
    for key in order {
      guard let s = byKey[key] else { continue }
      for var point in add(.stepDuration, s.name, key, s.executed) {
        let ran = s.hits.filter { $0.0 >= point.position }.prefix(30)
        let share = ran.isEmpty ? 1 : Double(ran.filter { $0.1 == 0 }.count) / Double(ran.count)
        point.secondsImpact = (point.change.medianAfter - point.change.medianBefore) * share
        found.append(point)
      }
      for var point in add(.stepCache, s.name, key, s.hits) {
        let drop = point.change.medianBefore - point.change.medianAfter
        point.secondsImpact = drop * BuildCheck.median(s.executed.map(\.1))
        point.rateImpact = meanCacheable > 0 ? drop / meanCacheable : 0
        found.append(point)
      }
    }
    let short = shortBreaks(found, builds: builds, order: order, settings: settings)
    if !short.isEmpty {
      let totals = found.filter { $0.key == nil }
      found =
        totals
        + order.flatMap { key in
          found.filter { $0.key == key } + short.filter { $0.key == key }
        }
    }
    found = joinCascades(
      centerOnRootMisses(afterLastHit(found, builds: builds), builds: builds, order: order),
      builds: builds, order: order)
    guard settings.attributes else { return found }
    let (placed, unexplained) = placeOutsideShifts(found, builds: builds, settings: settings)
    var result = attribute(placed, settings: settings)
    for i in unexplained { result[i].explainedBy = [] }
    return result
  }

  /// Fills `explainedBy` on total points: the step points within the window, when they account for enough.
  static func attribute(_ points: [Point], settings: Settings) -> [Point] {
    var result = points
    for (i, total) in points.enumerated() where total.key == nil {
      let window = settings.explanationWindow * (total.kind == .duration ? 2 : 1)
      let near = points.indices.filter {
        points[$0].key != nil && abs(points[$0].position - total.position) <= window
      }
      let shift: Double
      let covered: Double
      if total.kind == .duration {
        shift = total.change.medianAfter - total.change.medianBefore
        covered = near.reduce(0) { $0 + max(0, points[$1].secondsImpact) }
      } else {
        shift = total.change.medianBefore - total.change.medianAfter
        covered = near.reduce(0) { $0 + max(0, points[$1].rateImpact) }
      }
      let explaining = near.filter {
        total.kind == .duration ? points[$0].secondsImpact > 0 : points[$0].rateImpact > 0
      }
      let enough = total.kind == .duration || covered >= settings.explainedShare * shift
      result[i].explainedBy = shift > 0 && enough ? explaining : []
    }
    return result
  }
}
