import Foundation

/// A reader of one log format that is fed decoded lines one at a time.
///
/// Lines arrive with CI decorations (timestamps, job prefixes), ANSI escapes and a trailing `\r`
/// already removed. A reader keeps only what it needs: its builds and their steps, never the log.
package protocol LineReader: AnyObject {
  /// The format this reader understands.
  var format: LogFormat { get }
  /// Offers one line; returns true when the line belongs to this reader's format and was consumed.
  /// - Parameters:
  ///   - line: the decoded line.
  ///   - lineNumber: its physical line number in the log, from 1.
  ///   - timestamp: the CI timestamp the line carried, if any.
  func read(_ line: String, lineNumber: Int, timestamp: Date?) -> Bool
  /// Counts a line that no reader recognised toward the build this reader has open, if any.
  /// Returns true when this reader has a build open that the line falls in.
  func countUnrecognized(lineNumber: Int) -> Bool
  /// Lines this reader refused for a number out of range (see ``LogNumber``); it returned false for them.
  var refusals: Refusals { get }
  /// Ends the input and returns the builds read, in order of appearance.
  func finish() -> [ParsedBuild]
}
