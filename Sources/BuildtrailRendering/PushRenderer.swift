import BuildtrailKit
import Foundation

/// Renders what `push` did with each spooled upload: sent (and the builds recorded), kept for
/// later, or set aside as refused.
public struct PushRenderer: OutputRenderer {
  /// The uploads, in the order they were tried, and the spool folder.
  public typealias Value = (uploads: [PushedUpload], folder: String)

  /// The format and terminal to write for.
  public var style: OutputStyle

  /// A renderer for `style`.
  public init(style: OutputStyle) { self.style = style }

  /// One line (without a newline) about one upload.
  public func line(_ upload: PushedUpload) -> String {
    let name = TerminalText.sanitized(upload.spool)
    switch upload.fate {
    case .sent:
      let builds = RecordReportRenderer(style: style).table(
        RecordSummary(builds: upload.builds, warnings: [], exitCode: nil))
      return "sent \(name): " + builds.split(separator: "\n").joined(separator: "; ")
    case .kept:
      return "kept \(name): \(TerminalText.sanitized(upload.error ?? "not sent"))"
    case .rejected:
      return
        "refused \(name): \(TerminalText.sanitized(upload.error ?? "refused")); moved to rejected/"
    }
  }

  /// A line per upload, or that the spool held none.
  public func table(_ value: Value) -> String {
    if value.uploads.isEmpty {
      return "nothing to send in \(TerminalText.sanitized(value.folder))\n"
    }
    return value.uploads.map { line($0) + "\n" }.joined()
  }

  /// `{"uploads": [...]}`: each upload's folder, fate, builds, warnings and error.
  public func json(_ value: Value) -> String {
    JSONOutput.encode(["uploads": value.uploads])
  }

  /// A line per build sent, and one per upload kept or refused.
  public func csv(_ value: Value) -> String {
    var lines = [CSV.line(["spool", "fate"] + RecordReportRenderer.csvHeader + ["error"])]
    for upload in value.uploads {
      let prefix = [upload.spool, upload.fate.rawValue]
      if upload.builds.isEmpty {
        lines.append(
          CSV.line(
            prefix + RecordReportRenderer.csvHeader.map { _ in "" } + [upload.error ?? ""]))
      }
      for build in upload.builds {
        lines.append(CSV.line(prefix + RecordReportRenderer.csvFields(build) + [""]))
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
