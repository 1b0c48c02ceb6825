import BuildLog
import BuildStore
import Foundation

/// Finds regressions by change-point detection over each branch's series: total duration, cache hit
/// ratio, and for every step its executed duration and its cache hits. Executed durations are compared
/// only with executed ones, so a step that starts missing the cache is a cache regression, not a
/// duration one.
public struct RegressionFinder {
  /// The history to search.
  public var store: BuildStore
  /// The environment git runs in, for the causes.
  public var environment: [String: String]
  /// How many recent builds of each branch and target are searched.
  public var window: Int
  /// The detector's settings for durations.
  public var configuration: DetectorConfiguration
  /// The detector's settings for cache hit ratios.
  public var rateConfiguration: DetectorConfiguration
  /// Duration shifts smaller than this many seconds are not reported, however significant: a step
  /// going from 0.2 s to 0.3 s is no one's regression.
  public var minimumSeconds = 1.0

  /// A finder over the last `window` builds of each series in `store`, with the default detector
  /// settings.
  public init(
    store: BuildStore, window: Int = 500,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.store = store
    self.window = window
    self.environment = environment
    configuration = .default
    rateConfiguration = .rates
  }

  /// Regressions on `branch`, `target` and `service` (every one when nil), per branch, target and
  /// service, newest first.
  public func find(
    branch: String? = nil, target: String? = nil, service: String? = nil, explain: Bool = true
  ) throws -> [Regression] {
    var groups = try store.branchesAndTargets()
    if let branch { groups = groups.filter { $0.branch == branch } }
    if let target { groups = groups.filter { $0.target == target } }
    if let service { groups = groups.filter { $0.service == service } }
    var found: [Regression] = []
    for group in groups {
      let builds = try store.timeline(
        branch: group.branch, target: group.target, service: group.service, exact: true,
        limit: window)
      found += try find(in: builds, branch: group.branch, target: group.target).map {
        var regression = $0
        regression.service = group.service
        return regression
      }
    }
    found.sort { ($0.build.recordedAt, $0.build.id) > ($1.build.recordedAt, $1.build.id) }
    if explain { found = found.map(self.explain) }
    return found
  }

  /// Regressions in one series of builds (oldest first); `steps` when the caller has them loaded already.
  func find(
    in builds: [BuildSummary], steps loaded: [Int64: [StoredStep]]? = nil, branch: String?,
    target: String?
  ) throws
    -> [Regression]
  {
    guard builds.count >= 2 * configuration.minSegment else { return [] }
    let steps = try loaded ?? store.steps(ofBuilds: builds.map(\.id))
    let input = builds.map { build in
      RegressionSearch.Build(
        successful: build.outcome == .success, seconds: build.seconds,
        cacheHitRatio: build.cacheHitRatio,
        cacheableSteps: build.stepsTotal,
        steps: (steps[build.id] ?? []).filter { $0.kind.isCacheable }.map { step in
          RegressionSearch.Step(
            key: step.key, name: step.name,
            executedSeconds: step.status == .done ? step.durationSeconds : nil,
            hit: step.status == .cached ? true : step.status == .done ? false : nil)
        })
    }
    var settings = RegressionSearch.Settings()
    settings.durations = configuration
    settings.rates = rateConfiguration
    settings.minimumSeconds = minimumSeconds
    let points = RegressionSearch.run(input, settings: settings)
    return points.map { point in
      Regression(
        kind: point.kind, series: point.series, key: point.key, branch: branch, target: target,
        build: builds[point.position], previous: builds[point.previousPosition],
        change: point.change, cause: nil,
        explainedBy: point.explainedBy.map { indices in
          indices.map { i in
            Regression.Reference(
              kind: points[i].kind, key: points[i].key, series: points[i].series,
              build: builds[points[i].position].id,
              contribution: point.kind == .duration ? points[i].secondsImpact : points[i].rateImpact
            )
          }
        })
    }
  }

  /// Adds the cause as `why` gives it: the root miss behind a step, or the build's verdict.
  func explain(_ regression: Regression) -> Regression {
    guard let previous = regression.previous,
      let explanation = try? CacheExplainer(store: store, environment: environment)
        .explain(buildID: regression.build.id, against: previous.id)
    else { return regression }
    var r = regression
    let misses = explanation.rootMisses.filter { miss in
      r.key.map { key in miss.step.key == key || miss.cascade.contains { $0.key == key } } ?? true
    }
    switch r.kind {
    case .stepCache, .cacheRate:
      if r.key != nil, let miss = misses.first {
        r.cause = .stepMiss(miss.cause)
      } else if !misses.isEmpty {
        r.cause = .build(explanation)
      }
    case .duration, .stepDuration:
      // `why` explains cache misses, not slowness: name an input change only when it found one.
      let concrete = misses.filter {
        switch $0.cause {
        case .cacheLost, .noBaseline: return false
        default: return true
        }
      }
      if let miss = concrete.first { r.cause = .inputChange(miss.cause) }
    }
    return r
  }
}
