import BuildtrailKit
import Foundation

/// Everything the HTML report shows, as plain values; the report computes nothing from the clock.
public struct HTMLReportData: Sendable {
  /// One recorded build.
  public struct Build: Sendable {
    /// The build's number in the store (`#412`).
    public var id: Int64
    /// When it ran, already formatted (`2025-11-29 10:46`).
    public var when: String
    /// The git branch, when known.
    public var branch: String?
    /// The git commit, when known; shown as its first 7 characters.
    public var commit: String?
    /// The commit's subject line, when known.
    public var subject: String?
    /// How it ended: `success`, `failed`, `canceled` or `unknown`.
    public var outcome: String
    /// Wall-clock duration in seconds.
    public var seconds: Double
    /// Steps that were cache hits.
    public var cached: Int
    /// All steps.
    public var total: Int
    /// The compose service, when the build was one service's.
    public var service: String?
    /// The CI run's page, when recorded (only `http` and `https` addresses are linked).
    public var url: String?
    /// `why`'s verdict, for a failed build or one where a regression starts.
    public var verdict: String?

    /// A build as the store describes it.
    public init(
      id: Int64, when: String, branch: String? = nil, commit: String? = nil, subject: String? = nil,
      outcome: String, seconds: Double, cached: Int, total: Int, service: String? = nil
    ) {
      self.service = service
      self.id = id
      self.when = when
      self.branch = branch
      self.commit = commit
      self.subject = subject
      self.outcome = outcome
      self.seconds = seconds
      self.cached = cached
      self.total = total
    }
  }

  /// One step of the latest build, for the waterfall.
  public struct Step: Sendable {
    /// The step's name as the log gives it.
    public var name: String
    /// How it ended: `done`, `cached`, `error`, `canceled` or `unfinished`.
    public var status: String
    /// Seconds from the build's start to the step's start, when known.
    public var start: Double?
    /// The step's duration in seconds, when known.
    public var seconds: Double?

    /// A step of the latest build.
    public init(name: String, status: String, start: Double?, seconds: Double?) {
      self.name = name
      self.status = status
      self.start = start
      self.seconds = seconds
    }
  }

  /// A detected change in a series of durations.
  public struct Regression: Sendable {
    /// What regressed: `build` or a step's name.
    public var series: String
    /// The first build after the change.
    public var build: Int64
    /// The typical duration before, in seconds.
    public var before: Double
    /// The typical duration after, in seconds.
    public var after: Double
    /// The relative change: `0.25` is 25% slower.
    public var change: Double
    /// How sure the detector is, in `0...1`.
    public var confidence: Double
    /// The likely cause, when one was found.
    public var cause: String?
    /// Whether the series is a share (a cache hit ratio or a step's hits, 0…1) rather than seconds.
    public var isRate: Bool = false
    /// Later steps of the same stage that started missing at the same build for the same cause,
    /// shown with this one as one event.
    public var sameEvent: Int = 0

    /// A regression as the detector reports it.
    public init(
      series: String, build: Int64, before: Double, after: Double, change: Double,
      confidence: Double,
      cause: String? = nil
    ) {
      self.series = series
      self.build = build
      self.before = before
      self.after = after
      self.change = change
      self.confidence = confidence
      self.cause = cause
    }
  }

  /// A step that is slow across the history.
  public struct SlowStep: Sendable {
    /// The step's name.
    public var name: String
    /// Median duration in seconds.
    public var medianSeconds: Double
    /// 90th-percentile duration in seconds.
    public var p90Seconds: Double
    /// How many times the step ran (cache hits included).
    public var executions: Int
    /// The share of executions that were cache hits, in `0...1`.
    public var cacheHitRatio: Double

    /// A slow step's statistics.
    public init(
      name: String, medianSeconds: Double, p90Seconds: Double, executions: Int,
      cacheHitRatio: Double
    ) {
      self.name = name
      self.medianSeconds = medianSeconds
      self.p90Seconds = p90Seconds
      self.executions = executions
      self.cacheHitRatio = cacheHitRatio
    }
  }

  /// The report's heading and the page title.
  public var title: String
  /// When the report was made, already formatted; printed as given.
  public var generatedAt: String
  /// The buildtrail version that made the report.
  public var version: String
  /// The builds, oldest first.
  public var builds: [Build]
  /// The build the waterfall shows.
  public var latest: Build?
  /// The latest build's steps, in log order.
  public var latestSteps: [Step]
  /// Detected regressions.
  public var regressions: [Regression]
  /// The slowest steps, slowest first.
  public var slowestSteps: [SlowStep]
  /// Where build pages live (`/` on `buildtrail serve`: build 12 at `/builds/12`); nil for a page with
  /// no server behind it (`buildtrail report`), which then links no build page.
  public var pageBase: String? = nil

  /// The data for one report.
  public init(
    title: String, generatedAt: String, version: String, builds: [Build], latest: Build? = nil,
    latestSteps: [Step] = [], regressions: [Regression] = [], slowestSteps: [SlowStep] = []
  ) {
    self.title = title
    self.generatedAt = generatedAt
    self.version = version
    self.builds = builds
    self.latest = latest
    self.latestSteps = latestSteps
    self.regressions = regressions
    self.slowestSteps = slowestSteps
  }
}
