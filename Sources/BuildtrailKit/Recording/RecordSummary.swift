import BuildLog
import BuildStore
import Foundation

/// What recording a log did, as plain data: `record --format json` prints it and the service
/// answers an upload with it, so a recording to a server reads as one to a local file.
public struct RecordSummary: Sendable, Codable, Equatable {
  /// One build found in the log.
  public struct Build: Sendable, Codable, Equatable {
    /// Its id in the history.
    public var id: Int64
    /// Whether it was stored now (false: the same log and position were recorded before).
    public var new: Bool
    /// How it ended.
    public var outcome: BuildOutcome
    /// The log format it was read in (`plain`, `rawjson`, …).
    public var logFormat: String
    /// Its cacheable steps.
    public var steps: Int
    /// How many of them came from the cache.
    public var stepsCached: Int
    /// The sum of its step durations, in seconds, to the millisecond.
    public var stepSeconds: Double
    /// Lines of its log that were not understood.
    public var unrecognizedLines: Int

    /// A build summary of the given counts.
    public init(
      id: Int64, new: Bool, outcome: BuildOutcome, logFormat: String, steps: Int,
      stepsCached: Int, stepSeconds: Double, unrecognizedLines: Int
    ) {
      self.id = id
      self.new = new
      self.outcome = outcome
      self.logFormat = logFormat
      self.steps = steps
      self.stepsCached = stepsCached
      self.stepSeconds = stepSeconds
      self.unrecognizedLines = unrecognizedLines
    }
  }
  /// The builds found, in log order.
  public var builds: [Build]
  /// Things the user should know although the builds were recorded.
  public var warnings: [String]
  /// The wrapped command's exit code, for `record --`.
  public var exitCode: Int32?

  /// A summary of the given builds and warnings.
  public init(builds: [Build], warnings: [String], exitCode: Int32?) {
    self.builds = builds
    self.warnings = warnings
    self.exitCode = exitCode
  }
}

extension RecordReport {
  /// The report as plain data: per build its id, whether it is new, its outcome and cache counts.
  public var summary: RecordSummary {
    RecordSummary(
      builds: entries.map { entry in
        let cacheable = entry.build.steps.filter { $0.parsedName.kind.isCacheable }
        var isNew = true
        if case .alreadyRecorded = entry.result { isNew = false }
        return RecordSummary.Build(
          id: entry.result.id, new: isNew, outcome: entry.build.outcome,
          logFormat: entry.build.format.rawValue, steps: cacheable.count,
          stepsCached: cacheable.filter { $0.status == .cached }.count,
          stepSeconds: (entry.build.summedStepSeconds * 1000).rounded() / 1000,
          unrecognizedLines: entry.build.unrecognizedLineCount)
      }, warnings: warnings, exitCode: exitCode)
  }
}
