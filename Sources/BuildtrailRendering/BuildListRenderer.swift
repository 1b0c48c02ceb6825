import BuildLog
import BuildStore
import BuildtrailKit
import Foundation

/// Renders `buildtrail builds`: the recent builds, one line each.
public struct BuildListRenderer: OutputRenderer {
  /// The format and terminal to write for.
  public var style: OutputStyle

  /// A renderer for `style`.
  public init(style: OutputStyle) { self.style = style }

  /// The `builds` list: each build's summary.
  public func json(_ builds: [BuildSummary]) -> String {
    JSONOutput.encode(BuildListJSON(builds: builds.map(BuildSummaryJSON.init)))
  }

  /// A line per build: id, time, git facts, outcome, duration and cache counts.
  public func csv(_ builds: [BuildSummary]) -> String {
    var lines = [
      CSV.line([
        "id", "started_at", "branch", "commit", "target", "outcome", "duration_seconds",
        "steps_cached",
        "steps_total", "subject", "service",
      ])
    ]
    for b in builds {
      lines.append(
        CSV.line([
          String(b.id), UTCTimestamp.string(from: b.when), b.branch ?? "", b.commit ?? "",
          b.target ?? "",
          b.outcome.rawValue, String(format: "%.3f", b.seconds), String(b.stepsCached),
          String(b.stepsTotal),
          b.subject ?? "", b.service ?? "",
        ]))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A table of the builds, newest first as given, or how to record one when there is none.
  public func table(_ builds: [BuildSummary]) -> String {
    guard !builds.isEmpty else {
      return "No builds recorded yet. Record one with `buildtrail record LOG`.\n"
    }
    let services = builds.contains { $0.service != nil }
    var columns: [(String, TextTable.Alignment)] = [
      ("ID", .right), ("WHEN (UTC)", .left), ("BRANCH", .left), ("COMMIT", .left),
    ]
    if services { columns.append(("SERVICE", .left)) }
    columns += [("OUTCOME", .left), ("DURATION", .right), ("CACHED", .right), ("SUBJECT", .left)]
    var table = TextTable(columns)
    for b in builds {
      var cells: [String] = [
        String(b.id), formatWhen(b.when), b.branch ?? "-",
        b.commit.map { String($0.prefix(8)) } ?? "-",
      ]
      if services { cells.append(b.service ?? "-") }
      cells += [
        b.outcome.rawValue, formatSeconds(b.seconds), "\(b.stepsCached)/\(b.stepsTotal)",
        b.subject ?? (b.target.map { "target \($0)" } ?? ""),
      ]
      table.add(cells)
    }
    let terminal = self.terminal
    let outcomeColumn = services ? 5 : 4
    table.paint = { row, column, text in
      guard column == outcomeColumn else { return text }
      return OutcomeStyle.paint(text, builds[row].outcome, terminal)
    }
    return table.render(width: terminal.width)
  }
}

enum OutcomeStyle {
  static func paint(_ text: String, _ outcome: BuildOutcome, _ terminal: Terminal) -> String {
    switch outcome {
    case .success: return terminal.paint(text, .green)
    case .failed: return terminal.paint(text, .red)
    case .canceled, .unknown: return terminal.paint(text, .yellow)
    }
  }

  static func paint(_ text: String, _ status: StepStatus, _ terminal: Terminal) -> String {
    switch status {
    case .done: return text
    case .cached: return terminal.paint(text, .blue)
    case .error: return terminal.paint(text, .red)
    case .canceled, .unfinished: return terminal.paint(text, .yellow)
    }
  }
}
