import BuildLog
import BuildStore
import BuildtrailKit
import Foundation

/// Renders what `record` did: one line per build found in the log.
public struct RecordReportRenderer: OutputRenderer {
  /// The format and terminal to write for.
  public var style: OutputStyle

  /// A renderer for `style`.
  public init(style: OutputStyle) { self.style = style }

  struct EntryJSON: Encodable {
    var id: Int64
    var new: Bool
    var outcome: String
    var logFormat: String
    var steps: Int
    var stepsCached: Int
    var stepSeconds: Double
    var unrecognizedLines: Int
  }
  struct ReportJSON: Encodable {
    var builds: [EntryJSON]
    var warnings: [String]
    var exitCode: Int32?
  }

  /// The builds recorded (or found already recorded), the warnings and the build's exit code.
  public func json(_ report: RecordReport) -> String {
    JSONOutput.encode(
      ReportJSON(builds: entries(report), warnings: report.warnings, exitCode: report.exitCode))
  }

  /// A line per build found in the log.
  public func csv(_ report: RecordReport) -> String {
    ([CSV.line(Self.csvHeader)] + entries(report).map { CSV.line(Self.csvFields($0)) }).joined(
      separator: "\n") + "\n"
  }

  /// A sentence per build found in the log: recorded or already there, outcome, cache hits.
  public func table(_ report: RecordReport) -> String {
    var out = ""
    for (entry, e) in zip(report.entries, entries(report)) {
      let verb =
        e.new
        ? "recorded build \(e.id)"
        : "already recorded as build \(e.id) (same log); nothing changed"
      out += "\(verb): \(OutcomeStyle.paint(e.outcome, entry.build.outcome, terminal)), "
      out +=
        "\(e.stepsCached) of \(e.steps) steps cached, \(formatSeconds(e.stepSeconds)) in steps [\(e.logFormat)]\n"
    }
    return out
  }

  func entries(_ report: RecordReport) -> [EntryJSON] {
    report.entries.map { e -> EntryJSON in
      let cacheable = e.build.steps.filter { $0.parsedName.kind.isCacheable }
      var isNew = true
      if case .alreadyRecorded = e.result { isNew = false }
      return EntryJSON(
        id: e.result.id, new: isNew, outcome: e.build.outcome.rawValue,
        logFormat: e.build.format.rawValue,
        steps: cacheable.count, stepsCached: cacheable.filter { $0.status == .cached }.count,
        stepSeconds: (e.build.summedStepSeconds * 1000).rounded() / 1000,
        unrecognizedLines: e.build.unrecognizedLineCount)
    }
  }

  static let csvHeader = [
    "id", "new", "outcome", "log_format", "steps", "steps_cached", "step_seconds",
  ]

  static func csvFields(_ e: EntryJSON) -> [String] {
    [
      String(e.id), String(e.new), e.outcome, e.logFormat, String(e.steps), String(e.stepsCached),
      String(format: "%.3f", e.stepSeconds),
    ]
  }
}
