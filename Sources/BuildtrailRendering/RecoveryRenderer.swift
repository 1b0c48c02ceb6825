import BuildtrailKit
import Foundation

/// Renders what recording spools did: one line each for `record`, a list for `recover`.
public struct RecoveryRenderer: OutputRenderer {
  /// The spools `recover` took, and the folder it looked in.
  public typealias Value = (spools: [RecoveredSpool], folder: String)

  /// The format and terminal to write for.
  public var style: OutputStyle

  /// A renderer for `style`.
  public init(style: OutputStyle) { self.style = style }

  struct SpoolJSON: Encodable {
    var spool: String
    var builds: [RecordSummary.Build]
    var warnings: [String]
    var exitCode: Int32?
    var error: String?
    var kept: Bool
  }

  /// One line (without a newline) about one spool.
  public func line(_ spool: RecoveredSpool) -> String {
    guard let report = spool.report else {
      let fate = spool.kept ? "it is kept for the next `record` or `recover`" : "it was removed"
      return "cannot record \(spool.path): \(spool.error ?? "unknown error"); \(fate)"
    }
    let text = RecordReportRenderer(style: style).table(report.summary)
    return "recovered \(spool.path): " + text.split(separator: "\n").joined(separator: "; ")
  }

  /// A line per spool, or that the folder held none.
  public func table(_ value: Value) -> String {
    if value.spools.isEmpty { return "nothing to recover in \(value.folder)\n" }
    return value.spools.map { line($0) + "\n" }.joined()
  }

  /// The `spools` list: each spool's builds, warnings, exit code, error and whether it is kept.
  public func json(_ value: Value) -> String {
    let list = value.spools.map { spool in
      SpoolJSON(
        spool: spool.path, builds: spool.report?.summary.builds ?? [],
        warnings: spool.report?.warnings ?? [],
        exitCode: spool.report?.exitCode, error: spool.error, kept: spool.kept)
    }
    return JSONOutput.encode(["spools": list])
  }

  /// A line per build recorded from a spool, and one for each spool that could not be recorded.
  public func csv(_ value: Value) -> String {
    var lines = [CSV.line(["spool"] + RecordReportRenderer.csvHeader + ["error"])]
    for spool in value.spools {
      let entries = spool.report?.summary.builds ?? []
      if entries.isEmpty {
        lines.append(
          CSV.line(
            [spool.path] + RecordReportRenderer.csvHeader.map { _ in "" } + [spool.error ?? ""]))
      }
      for e in entries {
        lines.append(CSV.line([spool.path] + RecordReportRenderer.csvFields(e) + [""]))
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
