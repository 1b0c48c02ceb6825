import BuildStore
import Foundation

/// Failures across a branch's builds: runs of consecutive failed builds that share a failure
/// signature, when each began and which build fixed it. Reads the signatures stored at record time,
/// and computes them from the kept output for builds recorded before they were stored.
public struct FailureHistory {
  /// A run of consecutive failed builds with one signature.
  public struct Streak: Sendable, Codable {
    /// The signature text (`pip: No matching distribution found for yarl-ng>=N.N`).
    public var signature: String
    /// The tool, and its message, as the first build of the run printed them.
    public var tool: String
    /// The tool's message.
    public var message: String
    /// The failing step's name in the latest build of the run, when a step failed.
    public var step: String?
    /// The first build of the run.
    public var first: BuildSummary
    /// The latest build of the run.
    public var last: BuildSummary
    /// How many builds in a row failed this way.
    public var builds: Int
    /// The next build, when there is one: a success fixed it, a failure with another signature replaced it.
    public var endedBy: BuildSummary?
  }

  /// The history to read.
  public var store: BuildStore

  /// Failure history over `store`.
  public init(store: BuildStore) {
    self.store = store
  }

  /// The runs of failures among the last `last` builds of `branch` and `target` (the latest build's
  /// when nil), newest first, and the branch looked at.
  public func latestStreaks(branch: String?, target: String?, last: Int) throws -> (
    streaks: [Streak], branch: String?
  ) {
    let latest = try store.latestBuildID().flatMap { try store.build(id: $0)?.summary }
    let branch = branch ?? latest?.branch
    return (try streaks(branch: branch, target: target ?? latest?.target, last: last), branch)
  }

  /// The runs of failures among the last `last` builds of `branch` and `target` (any when nil),
  /// newest first. Builds whose outcome is unknown or canceled neither break nor extend a run.
  public func streaks(branch: String?, target: String?, last: Int) throws -> [Streak] {
    let builds = try store.timeline(branch: branch, target: target, limit: last)
      .filter { $0.outcome == .success || $0.outcome == .failed }
    let failed = builds.filter { $0.outcome == .failed }
    let failures = try failures(of: failed)
    let steps = try store.steps(ofBuilds: failed.map(\.id))
    var streaks: [Streak] = []
    for build in builds {
      if let open = streaks.indices.last, streaks[open].endedBy == nil, build.outcome == .success {
        streaks[open].endedBy = build
        continue
      }
      guard build.outcome == .failed else { continue }
      let failure = failures[build.id]
      let signature = failure?.signature ?? "unknown: no failing step or error text was recorded"
      let step = failure?.stepPosition.flatMap { position in
        steps[build.id]?.first { $0.position == position }?.name
      }
      if let open = streaks.indices.last, streaks[open].endedBy == nil,
        streaks[open].signature == signature
      {
        streaks[open].last = build
        streaks[open].builds += 1
        streaks[open].step = step ?? streaks[open].step
        continue
      }
      if let open = streaks.indices.last, streaks[open].endedBy == nil {
        streaks[open].endedBy = build
      }
      streaks.append(
        Streak(
          signature: signature, tool: failure?.tool ?? "unknown", message: failure?.message ?? "",
          step: step,
          first: build, last: build, builds: 1, endedBy: nil))
    }
    return streaks.reversed()
  }

  /// The run of failures with `signature` that `build` ends, when earlier builds belong to it.
  func repeats(of build: BuildSummary, signature: String) throws -> FailureExplanation.Repeat? {
    let streak = try streaks(branch: build.branch, target: build.target, last: 1_000).first {
      $0.last.id == build.id
    }
    guard let streak, streak.signature == signature, streak.builds > 1 else { return nil }
    return .init(
      sinceBuild: streak.first.id, sinceCommit: streak.first.commit, builds: streak.builds)
  }

  /// Root misses put down to a lost cache, or to a change upstream that an earlier build ran, whose
  /// step failed in a build between the baseline and this one: BuildKit keeps no cache for a failed
  /// step, so it runs again until it succeeds, whatever else changed before it.
  func afterFailures(_ misses: [RootMiss], build: BuildDetail, baseline: BuildDetail?) throws
    -> [RootMiss]
  {
    guard let baseline,
      misses.contains(where: Self.mayHaveFailedEarlier)
    else {
      return misses
    }
    let between = try store.timeline(
      branch: build.summary.branch, target: build.summary.target, service: build.summary.service,
      limit: 1_000
    )
    .filter { $0.id > baseline.summary.id && $0.id < build.summary.id && $0.outcome == .failed }
    let steps = try store.steps(ofBuilds: between.map(\.id))
    return misses.map { miss in
      guard Self.mayHaveFailedEarlier(miss),
        let failed = between.last(where: { b in
          steps[b.id]?.contains { $0.key == miss.step.key && $0.status == .error } == true
        })
      else { return miss }
      var changed = miss
      changed.cause = .failedEarlier(build: failed.id, commit: failed.commit)
      changed.upstream = nil
      return changed
    }
  }

  private static func mayHaveFailedEarlier(_ miss: RootMiss) -> Bool {
    if case .cacheLost = miss.cause { return true }
    return miss.upstream != nil
  }

  /// Each failed build's failure: stored, else computed from its failing step's kept output.
  func failures(of builds: [BuildSummary]) throws -> [Int64: StoredFailure] {
    var found = try store.failures(buildIDs: builds.map(\.id))
    for build in builds where found[build.id] == nil {
      guard let detail = try store.build(id: build.id),
        let failure = try computedFailure(of: detail)
      else { continue }
      found[build.id] = failure
    }
    return found
  }

  /// A failure computed from the kept output, for builds recorded before signatures were stored.
  func computedFailure(of detail: BuildDetail) throws -> StoredFailure? {
    guard let step = detail.steps.first(where: { $0.status == .error }) else {
      return detail.errorMessage.flatMap {
        FailureExtractor.extract(stepName: "", errorText: $0, output: [])
      }.map {
        FailureExtractor.stored($0, position: nil)
      }
    }
    let output = try store.stepOutput(buildID: detail.summary.id, position: step.position)
    return FailureExtractor.extract(stepName: step.name, errorText: step.errorText, output: output)
      .map {
        FailureExtractor.stored($0, position: step.position)
      }
  }
}
