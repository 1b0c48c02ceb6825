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

  /// The builds recorded (or found already recorded), the warnings and the build's exit code.
  public func json(_ summary: RecordSummary) -> String {
    JSONOutput.encode(summary)
  }

  /// A line per build found in the log.
  public func csv(_ summary: RecordSummary) -> String {
    ([CSV.line(Self.csvHeader)] + summary.builds.map { CSV.line(Self.csvFields($0)) }).joined(
      separator: "\n") + "\n"
  }

  /// A sentence per build found in the log: recorded or already there, outcome, cache hits.
  public func table(_ summary: RecordSummary) -> String {
    var out = ""
    for e in summary.builds {
      let verb =
        e.new
        ? "recorded build \(e.id)"
        : "already recorded as build \(e.id) (same log); nothing changed"
      out += "\(verb): \(OutcomeStyle.paint(e.outcome.rawValue, e.outcome, terminal)), "
      out +=
        "\(e.stepsCached) of \(e.steps) steps cached, \(formatSeconds(e.stepSeconds)) in steps [\(e.logFormat)]\n"
    }
    return out
  }

  static let csvHeader = [
    "id", "new", "outcome", "log_format", "steps", "steps_cached", "step_seconds",
  ]

  static func csvFields(_ e: RecordSummary.Build) -> [String] {
    [
      String(e.id), String(e.new), e.outcome.rawValue, e.logFormat, String(e.steps),
      String(e.stepsCached),
      String(format: "%.3f", e.stepSeconds),
    ]
  }
}
