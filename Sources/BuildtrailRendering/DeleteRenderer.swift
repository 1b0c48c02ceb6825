import BuildStore
import BuildtrailKit
import Foundation

/// Renders what `delete` removed.
public struct DeleteRenderer: OutputRenderer {
  /// The format and terminal to write for.
  public var style: OutputStyle

  /// A renderer for `style`.
  public init(style: OutputStyle) { self.style = style }

  /// The `delete` object: the builds deleted and what went with them.
  public func json(_ cleanup: CleanupReport) -> String {
    JSONOutput.encode(["delete": cleanup])
  }

  /// The header and one line of counts.
  public func csv(_ cleanup: CleanupReport) -> String {
    CleanupText.csv(cleanup)
  }

  /// One sentence: the builds deleted, what went with them, the space freed.
  public func table(_ cleanup: CleanupReport) -> String {
    CleanupText.sentence(cleanup) + "\n"
  }
}
