import BuildtrailKit
import Foundation

/// Renders what recording spools did: one line each for `record`, a list for `recover`.
public struct RecoveryRenderer: Sendable {
  public var format: OutputFormat
  public var terminal: Terminal

  public init(format: OutputFormat, terminal: Terminal) {
    self.format = format
    self.terminal = terminal
  }

  struct SpoolJSON: Encodable {
    var spool: String
    var builds: [RecordReportRenderer.EntryJSON]
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
    let text = RecordReportRenderer(format: .table, terminal: terminal).render(report)
    return "recovered \(spool.path): " + text.split(separator: "\n").joined(separator: "; ")
  }

  /// What `recover` prints about `spools`, the spools of `folder` that it took.
  public func render(_ spools: [RecoveredSpool], folder: String) -> String {
    let records = RecordReportRenderer(format: format, terminal: terminal)
    switch format {
    case .table:
      if spools.isEmpty { return "nothing to recover in \(folder)\n" }
      return spools.map { line($0) + "\n" }.joined()
    case .json:
      let list = spools.map { spool in
        SpoolJSON(
          spool: spool.path, builds: spool.report.map(records.entries) ?? [],
          warnings: spool.report?.warnings ?? [],
          exitCode: spool.report?.exitCode, error: spool.error, kept: spool.kept)
      }
      return JSONOutput.encode(["spools": list])
    case .csv:
      var lines = [CSV.line(["spool"] + RecordReportRenderer.csvHeader + ["error"])]
      for spool in spools {
        let entries = spool.report.map(records.entries) ?? []
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
}
