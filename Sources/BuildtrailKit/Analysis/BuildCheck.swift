import BuildLog
import BuildStore
import Foundation

/// The CI gate: compares a build with a window of earlier successful builds of its branch and
/// target, and fails when it is slower or caches less than the thresholds allow.
public struct BuildCheck: Sendable {
  public struct Thresholds: Sendable, Equatable {
    /// Largest allowed slowdown against the window's median duration, as a fraction (0.2 = 20%).
    public var maxSlowdown: Double?
    /// Smallest allowed cache hit ratio, 0…1.
    public var minCacheHit: Double?
    /// How many earlier successful builds make the baseline.
    public var window: Int

    public init(maxSlowdown: Double? = 0.2, minCacheHit: Double? = nil, window: Int = 10) {
      self.maxSlowdown = maxSlowdown
      self.minCacheHit = minCacheHit
      self.window = window
    }
  }

  /// One check's result.
  public struct Finding: Sendable, Equatable, Codable {
    public enum Level: String, Sendable, Codable { case pass, warning, failure }
    public var check: String
    public var level: Level
    public var message: String
    public var actual: Double?
    public var limit: Double?
  }

  public var build: BuildSummary
  public var baseline: [BuildSummary]
  public var findings: [Finding]
  /// Why the build lost cache hits or time, when it did (the `why` verdict).
  public var explanation: String?

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
      findings.append(
        Finding(
          check: "outcome", level: .failure, message: "build \(id) failed", actual: nil, limit: nil)
      )
    }
    if let max = thresholds.maxSlowdown {
      if window.isEmpty {
        findings.append(
          Finding(
            check: "duration", level: .warning,
            message:
              "no earlier successful build of \(build.branch ?? "this branch") to compare the duration with",
            actual: build.seconds, limit: nil))
      } else {
        let median = Self.median(window.map(\.seconds))
        let change = median > 0 ? (build.seconds - median) / median : 0
        let text =
          "\(formatSeconds(build.seconds)) against a median of \(formatSeconds(median)) over the last \(window.count) successful builds (\(percent(change)), limit +\(percent(max, signed: false)))"
        findings.append(
          Finding(
            check: "duration", level: change > max ? .failure : .pass,
            message: (change > max ? "build \(id) is slower: " : "duration ok: ") + text,
            actual: change, limit: max))
      }
    }
    if let min = thresholds.minCacheHit {
      if let ratio = build.cacheHitRatio {
        let text =
          "\(build.stepsCached) of \(build.stepsTotal) steps cached (\(percent(ratio, signed: false)), minimum \(percent(min, signed: false)))"
        findings.append(
          Finding(
            check: "cache-hit", level: ratio < min ? .failure : .pass,
            message: (ratio < min ? "build \(id) hit the cache too little: " : "cache hits ok: ")
              + text, actual: ratio,
            limit: min))
      } else {
        findings.append(
          Finding(
            check: "cache-hit", level: .warning, message: "build \(id) has no cacheable steps",
            actual: nil, limit: min))
      }
    }
    var check = BuildCheck(build: build, baseline: window, findings: findings, explanation: nil)
    if check.failed,
      let explanation = try? CacheExplainer(store: store, environment: environment).explain(
        buildID: id)
    {
      check.explanation = explanation.verdict
    }
    return check
  }

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1
      ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
  }
}

/// `+35%`, `-4%`; `80%` unsigned; `?%` for a fraction that is infinite, NaN or beyond ±10^12.
func percent(_ fraction: Double, signed: Bool = true) -> String {
  guard fraction.isFinite, abs(fraction) < 1e12 else { return "?%" }
  let value = Int((fraction * 100).rounded())
  return signed ? (value >= 0 ? "+\(value)%" : "\(value)%") : "\(value)%"
}
