import BuildLog
import BuildStore
import Foundation

/// `buildtrail trend`: a branch's recent builds as series of total duration and cache hit ratio, or
/// one step's executed duration and cache hits, with detected regressions marked.
public struct TrendQuery {
  /// Which builds, and which series, the trend covers.
  public struct Options: Sendable {
    /// The branch; the latest build's when nil.
    public var branch: String?
    /// The build target; the latest build's when nil and no branch is given.
    public var target: String?
    /// The compose service; the latest build's when nil and no branch is given.
    public var service: String?
    /// Text of a step's name (or its folded name); the trend is that step's.
    public var step: String?
    /// At most this many builds, the newest.
    public var last: Int
    /// Only builds from this time on.
    public var since: Date?

    /// Options; by default the latest build's branch, total duration, last 50 builds.
    public init(
      branch: String? = nil, target: String? = nil, service: String? = nil, step: String? = nil,
      last: Int = 50, since: Date? = nil
    ) {
      self.branch = branch
      self.target = target
      self.service = service
      self.step = step
      self.last = last
      self.since = since
    }
  }

  /// The history to read.
  public var store: BuildStore

  /// A trend query over `store`.
  public init(store: BuildStore) {
    self.store = store
  }

  /// The trend; throws ``BuildtrailError/ambiguous(_:)`` when `step` matches several steps.
  public func trend(_ options: Options) throws -> Trend {
    let latestID = try store.chosenBuildID(nil, service: options.service)
    guard let latest = try store.build(id: latestID) else {
      throw StoreError.emptyHistory(path: store.path)
    }
    let branch = options.branch ?? latest.summary.branch
    let target = options.target ?? (options.branch == nil ? latest.summary.target : nil)
    let service = options.service ?? (options.branch == nil ? latest.summary.service : nil)
    var trend = Trend(branch: branch, target: target, service: service, step: nil, points: [])
    let builds = try store.timeline(
      branch: branch, target: target, service: service, limit: options.last, since: options.since)
    guard !builds.isEmpty else { return trend }
    let steps = try store.steps(ofBuilds: builds.map(\.id))
    let found = try RegressionFinder(store: store).find(
      in: builds, steps: steps, branch: branch, target: target)
    if let pattern = options.step {
      let chosen = try Self.step(
        matching: pattern, latest: steps[builds.last?.id ?? 0] ?? [], all: steps)
      trend.step = chosen.name
      let regressed = Set(found.filter { $0.key == chosen.key }.map(\.build.id))
      trend.points = builds.map { b in
        let s = steps[b.id]?.first { $0.key == chosen.key }
        return Trend.Point(
          build: b.id, commit: b.commit, when: b.when, outcome: b.outcome.rawValue,
          seconds: s?.status == .done || s?.status == .error ? s?.durationSeconds : nil,
          cacheHitRatio: s.map { $0.status == .cached ? 1 : 0 },
          regression: regressed.contains(b.id))
      }
    } else {
      // A total that steps explain is marked where those steps shifted, not at a build of its own.
      let regressed = Set(
        found.filter { $0.key == nil }.flatMap { total in
          total.isConsequence ? (total.explainedBy ?? []).map(\.build) : [total.build.id]
        })
      trend.points = builds.map {
        Trend.Point(
          build: $0.id, commit: $0.commit, when: $0.when, outcome: $0.outcome.rawValue,
          seconds: $0.seconds, cacheHitRatio: $0.cacheHitRatio,
          regression: regressed.contains($0.id))
      }
    }
    return trend
  }

  /// The one cacheable step of the latest build whose name contains `pattern` (or whose name, or
  /// folded name, is `pattern` when several contain it); else any step of the builds that contains it.
  static func step(
    matching pattern: String, latest: [StoredStep], all: [Int64: [StoredStep]]
  ) throws -> StoredStep {
    var candidates = latest.filter {
      $0.kind.isCacheable && $0.name.localizedCaseInsensitiveContains(pattern)
    }
    let keys = Set(candidates.map(\.key)).count
    if keys > 1 {
      let exact = candidates.filter {
        $0.name.caseInsensitiveCompare(pattern) == .orderedSame
          || StepLabel.folded($0.name).caseInsensitiveCompare(pattern) == .orderedSame
      }
      guard exact.count == 1 else {
        let listed = candidates.prefix(10).map { "  \(StepLabel.folded($0.name))" }
        throw BuildtrailError.ambiguous(
          "--step '\(pattern)' matches \(keys) steps; give more of one name:\n"
            + listed.joined(separator: "\n")
            + (candidates.count > 10 ? "\n  … and \(candidates.count - 10) more" : ""))
      }
      candidates = exact
    }
    guard
      let chosen = candidates.first
        ?? all.values.joined().first(where: { $0.name.localizedCaseInsensitiveContains(pattern) })
    else {
      throw BuildtrailError.noSuchStep(build: nil, selector: pattern)
    }
    return chosen
  }
}
