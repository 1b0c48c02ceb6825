import BuildLog
import BuildStore
import Foundation

/// The CI gate: compares a build with a window of earlier successful builds of its branch and
/// target, and fails when it is slower or caches less than the thresholds allow.
public struct BuildCheck: Sendable, Codable {
  /// The limits a build is held to.
  public struct Thresholds: Sendable, Equatable, Codable {
    /// Largest allowed slowdown against the window's median duration, as a fraction (0.2 = 20%).
    public var maxSlowdown: Double?
    /// Smallest allowed cache hit ratio, 0…1.
    public var minCacheHit: Double?
    /// How many earlier successful builds make the baseline.
    public var window: Int

    /// Limits; nil turns a check off (by default: at most 20% slower, hits not checked, 10 builds).
    public init(maxSlowdown: Double? = 0.2, minCacheHit: Double? = nil, window: Int = 10) {
      self.maxSlowdown = maxSlowdown
      self.minCacheHit = minCacheHit
      self.window = window
    }
  }

  /// One check's result, as numbers; renderers word it.
  public struct Finding: Sendable, Equatable, Codable {
    /// Whether the check passed, warns, or fails the build.
    public enum Level: String, Sendable, Codable { case pass, warning, failure }
    /// `outcome`, `duration` or `cache-hit`.
    public var check: String
    /// Whether it passed, warns, or fails the build.
    public var level: Level
    /// The measured value: the relative slowdown (`duration`), the hit ratio (`cache-hit`).
    public var actual: Double?
    /// The threshold it was held to.
    public var limit: Double?
    /// `duration`: the build's seconds, and the median of the baseline's (nil with no baseline).
    public var seconds: Double? = nil
    /// The baseline's median seconds (see `seconds`).
    public var baselineMedian: Double? = nil
    /// `cache-hit`: steps cached and cacheable steps.
    public var stepsCached: Int? = nil
    /// Cacheable steps (see `stepsCached`).
    public var stepsTotal: Int? = nil
  }

  /// The build checked.
  public var build: BuildSummary
  /// The earlier successful builds it was compared with.
  public var baseline: [BuildSummary]
  /// Each check's result.
  public var findings: [Finding]
  /// Why the build lost cache hits or time, when it failed a check (what `why` finds).
  public var explanation: CacheExplanation?

  /// Whether CI should fail.
  public var failed: Bool { findings.contains { $0.level == .failure } }

  /// Runs the checks for `buildID` (the latest when nil).
  public static func run(
    store: BuildStore, buildID: Int64?, thresholds: Thresholds, service: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> BuildCheck {
    let id = try store.chosenBuildID(buildID, service: service)
    guard let detail = try store.build(id: id) else { throw StoreError.noSuchBuild(String(id)) }
    let build = detail.summary
    let window = try store.baselineCandidates(
      before: id, branch: build.branch, target: build.target, service: build.service,
      limit: thresholds.window)
    var findings: [Finding] = []
    if build.outcome == .failed {
      findings.append(Finding(check: "outcome", level: .failure, actual: nil, limit: nil))
    }
    if let max = thresholds.maxSlowdown {
      if window.isEmpty {
        findings.append(
          Finding(
            check: "duration", level: .warning, actual: build.seconds, limit: nil,
            seconds: build.seconds))
      } else {
        let median = Self.median(window.map(\.seconds))
        let change = median > 0 ? (build.seconds - median) / median : 0
        findings.append(
          Finding(
            check: "duration", level: change > max ? .failure : .pass, actual: change, limit: max,
            seconds: build.seconds, baselineMedian: median))
      }
    }
    if let min = thresholds.minCacheHit {
      let ratio = build.cacheHitRatio
      findings.append(
        Finding(
          check: "cache-hit", level: ratio.map { $0 < min ? .failure : .pass } ?? .warning,
          actual: ratio, limit: min, stepsCached: build.stepsCached, stepsTotal: build.stepsTotal))
    }
    var check = BuildCheck(build: build, baseline: window, findings: findings, explanation: nil)
    if check.failed,
      let explanation = try? CacheExplainer(store: store, environment: environment).explain(
        buildID: id)
    {
      check.explanation = explanation
    }
    return check
  }

  /// The median of `values`; 0 when there are none.
  public static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1
      ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
  }
}
