import BuildStore
import BuildtrailKit
import Foundation

/// Renders what `vacuum` did to the database file.
public struct VacuumRenderer: OutputRenderer {
  /// The report, and the database file's path (named in the table).
  public typealias Value = (report: VacuumReport, path: String)

  /// The format and terminal to write for.
  public var style: OutputStyle

  /// A renderer for `style`.
  public init(style: OutputStyle) { self.style = style }

  /// The `vacuum` object: sizes before and after, outputs recompressed, the clean-up.
  public func json(_ value: Value) -> String {
    JSONOutput.encode(["vacuum": value.report])
  }

  /// The header and one line: sizes, outputs recompressed and the clean-up's counts.
  public func csv(_ value: Value) -> String {
    let report = value.report
    return CSV.line(["bytes_before", "bytes_after", "outputs_recompressed"] + CleanupText.header)
      + "\n"
      + CSV.line(
        [report.bytesBefore, report.bytesAfter, Int64(report.outputsRecompressed)].map(
          String.init)
          + CleanupText.fields(report.cleanup)) + "\n"
  }

  /// One sentence: the file's size before and after, and what was compressed and removed.
  public func table(_ value: Value) -> String {
    let report = value.report
    var text =
      "vacuumed \(value.path): \(formatBytes(report.bytesBefore)) → \(formatBytes(report.bytesAfter))"
    if report.outputsRecompressed > 0 {
      text +=
        "; compressed the kept output of \(CleanupText.count(report.outputsRecompressed, "build"))"
    }
    let garbage = CleanupText.removed(report.cleanup)
    return text + (garbage.isEmpty ? "" : "; removed " + garbage) + "\n"
  }
}
