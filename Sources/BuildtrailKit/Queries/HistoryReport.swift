import BuildStore
import Foundation

/// What `buildtrail report` shows, as data: a branch's recent builds, the latest build's steps on a
/// time line, the regressions with their causes, `why` for the builds a reader looks at first, and
/// the steps that cost the most time.
public struct HistoryReport: Sendable, Codable {
  /// One step of the latest build, placed on the build's time line.
  public struct TimedStep: Sendable, Equatable, Codable {
    /// The step's name as the log gives it.
    public var name: String
    /// How it ended: `done`, `cached`, `error`, `canceled` or `unfinished`.
    public var status: String
    /// Seconds from the build's start to the step's start, when known.
    public var start: Double?
    /// The step's duration in seconds, when known.
    public var seconds: Double?
  }

  /// `why` for one build of the report.
  public struct ExplainedBuild: Sendable, Codable {
    /// The build's id.
    public var build: Int64
    /// What `why` found for it.
    public var explanation: CacheExplanation
  }

  /// A cacheable step's statistics over the builds.
  public struct SlowStep: Sendable, Equatable, Codable {
    /// The step's name as the latest build that ran it gave it.
    public var name: String
    /// Median duration of its executions, in seconds.
    public var medianSeconds: Double
    /// 90th-percentile duration of its executions, in seconds.
    public var p90Seconds: Double
    /// How many times it executed.
    public var executions: Int
    /// The share of the builds that had the step where it hit the cache, 0…1.
    public var cacheHitRatio: Double
  }

  /// The branch reported on, nil for all branches.
  public var branch: String?
  /// The compose service of the builds, when they have one.
  public var service: String?
  /// When the report was made.
  public var generatedAt: Date
  /// The builds, oldest first.
  public var builds: [BuildSummary]
  /// The newest build.
  public var latest: BuildSummary
  /// The newest build's steps on a time line.
  public var latestSteps: [TimedStep]
  /// The regressions that are not consequences of step regressions, oldest first.
  public var regressions: [Regression]
  /// `why` for failed builds and builds where a regression starts (the newest ones, at most
  /// ``ReportQuery/explanationLimit``), oldest first.
  public var explanations: [ExplainedBuild]
  /// The ten steps that cost the most time (median × executions).
  public var slowestSteps: [SlowStep]
}
