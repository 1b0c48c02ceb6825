import BuildStore
import BuildtrailKit
import Foundation

/// Renders what `import` added to the history.
public struct ImportRenderer: OutputRenderer {
  /// The format and terminal to write for.
  public var style: OutputStyle

  /// A renderer for `style`.
  public init(style: OutputStyle) { self.style = style }

  /// The `import` object: the source, the builds imported and those skipped.
  public func json(_ report: ImportReport) -> String {
    JSONOutput.encode(["import": report])
  }

  /// The header and one line: the source and how many builds were imported and skipped.
  public func csv(_ report: ImportReport) -> String {
    CSV.line(["source", "imported", "skipped"]) + "\n"
      + CSV.line([report.source, String(report.imported.count), String(report.skipped.count)])
      + "\n"
  }

  /// One sentence: the builds imported, and those skipped as already recorded.
  public func table(_ report: ImportReport) -> String {
    var text =
      "imported \(CleanupText.count(report.imported.count, "build"))\(CleanupText.ids(report.imported)) from \(BuildtrailError.name(report.source))"
    if !report.skipped.isEmpty {
      text += "; skipped \(report.skipped.count) already recorded\(CleanupText.ids(report.skipped))"
    }
    return text + "\n"
  }
}
