import BuildLog
import BuildStore
import Foundation

/// A change point in one of a branch's series that made builds slower or cache less.
public struct Regression: Sendable {
  public enum Kind: String, Sendable, Codable {
    /// The total build duration (successful builds).
    case duration
    /// One step's duration, over the builds where it executed.
    case stepDuration = "step-duration"
    /// The share of cacheable steps that hit the cache.
    case cacheRate = "cache-rate"
    /// One step started missing the cache.
    case stepCache = "step-cache"
  }

  public var kind: Kind
  /// What the series measures: `total duration`, `cache hit ratio`, or the step's name.
  public var series: String
  public var key: String?
  public var branch: String?
  public var target: String?
  /// The first build of the new regime, and the one before it in the series.
  public var build: BuildSummary
  public var previous: BuildSummary?
  public var change: ChangePoint
  /// The cause as `why` gives it for `build` against `previous`.
  public var cause: String?
}

/// Finds regressions by change-point detection over each branch's series: total duration, cache hit
/// ratio, and for every step its executed duration and its cache hits. Executed durations are compared
/// only with executed ones, so a step that starts missing the cache is a cache regression, not a
/// duration one.
public struct RegressionFinder {
  public var store: BuildStore
  public var environment: [String: String]
  /// How many recent builds of each branch and target are searched.
  public var window: Int
  public var configuration: DetectorConfiguration
  public var rateConfiguration: DetectorConfiguration
  /// Duration shifts smaller than this many seconds are not reported, however significant: a step
  /// going from 0.2 s to 0.3 s is no one's regression.
  public var minimumSeconds = 1.0

  public init(
    store: BuildStore, window: Int = 500, environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.store = store
    self.window = window
    self.environment = environment
    configuration = .default
    rateConfiguration = .rates
  }

  /// Regressions on `branch` (every branch when nil) and `target` (every target when nil), newest first.
  public func find(branch: String? = nil, target: String? = nil, explain: Bool = true) throws -> [Regression] {
    var groups = try store.branchesAndTargets()
    if let branch { groups = groups.filter { $0.branch == branch } }
    if let target { groups = groups.filter { $0.target == target } }
    var found: [Regression] = []
    for group in groups {
      let builds = try store.timeline(branch: group.branch, target: group.target, limit: window)
      found += try find(in: builds, branch: group.branch, target: group.target)
    }
    found.sort { ($0.build.recordedAt, $0.build.id) > ($1.build.recordedAt, $1.build.id) }
    if explain { found = found.map(self.explain) }
    return found
  }

  /// Regressions in one series of builds (oldest first); `steps` when the caller has them loaded already.
  func find(in builds: [BuildSummary], steps loaded: [Int64: [StoredStep]]? = nil, branch: String?, target: String?) throws
    -> [Regression]
  {
    guard builds.count >= 2 * configuration.minSegment else { return [] }
    var found: [Regression] = []
    func add(_ kind: Regression.Kind, _ series: String, _ key: String?, _ points: [(BuildSummary, Double)], rate: Bool) {
      let values = points.map(\.1)
      let changes = rate
        ? ChangePointDetector.detectRateShift(values, configuration: rateConfiguration)
        : ChangePointDetector.detect(values, configuration: configuration)
      for change in changes {
        let worse = rate ? change.medianAfter < change.medianBefore : change.medianAfter > change.medianBefore
        guard worse, change.index > 0, change.index < points.count else { continue }
        if !rate && change.medianAfter - change.medianBefore < minimumSeconds { continue }
        found.append(
          Regression(
            kind: kind, series: series, key: key, branch: branch, target: target, build: points[change.index].0,
            previous: points[change.index - 1].0, change: change, cause: nil))
      }
    }
    let successful = builds.filter { $0.outcome == .success }
    add(.duration, "total duration", nil, successful.map { ($0, $0.seconds) }, rate: false)
    let withSteps = builds.filter { $0.stepsTotal > 0 }
    add(.cacheRate, "cache hit ratio", nil, withSteps.map { ($0, $0.cacheHitRatio ?? 0) }, rate: true)

    let steps = try loaded ?? store.steps(ofBuilds: builds.map(\.id))
    var byKey: [String: (name: String, executed: [(BuildSummary, Double)], hits: [(BuildSummary, Double)])] = [:]
    var order: [String] = []
    for build in builds {
      for step in steps[build.id] ?? [] where step.kind.isCacheable {
        if byKey[step.key] == nil {
          byKey[step.key] = (step.name, [], [])
          order.append(step.key)
        }
        byKey[step.key]?.name = step.name
        if step.status == .done, let seconds = step.durationSeconds { byKey[step.key]?.executed.append((build, seconds)) }
        if step.status == .done || step.status == .cached {
          byKey[step.key]?.hits.append((build, step.status == .cached ? 1 : 0))
        }
      }
    }
    for key in order {
      guard let s = byKey[key] else { continue }
      add(.stepDuration, s.name, key, s.executed, rate: false)
      add(.stepCache, s.name, key, s.hits, rate: true)
    }
    return found
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
        r.cause = miss.cause.summary
      } else if !misses.isEmpty {
        r.cause = explanation.verdict
      }
    case .duration, .stepDuration:
      // `why` explains cache misses, not slowness: name an input change only when it found one.
      let concrete = misses.filter {
        switch $0.cause {
        case .cacheLost, .noBaseline: return false
        default: return true
        }
      }
      if let miss = concrete.first { r.cause = "at this build: " + miss.cause.summary }
    }
    return r
  }
}
