import ArgumentParser
import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation

/// Range checks for numeric flags (``QueryArgument``'s, shared with the HTTP service): each refusal
/// is one line naming the flag and what it accepts, made safe for the terminal.
enum OptionRange {
  /// Checks a count of builds: from 1 to ``QueryArgument/maxCount``.
  static func count(_ value: Int, flag: String) throws {
    try validating { try QueryArgument.count(value, name: flag) }
  }

  /// Reads a share written as a percentage (`20%`) or as a fraction from 0 to 1 (`0.2`); see
  /// ``QueryArgument/percentage(_:name:range:)``.
  static func percentage(_ text: String, flag: String, range: ClosedRange<Double>) throws -> Double
  {
    try validating { try QueryArgument.percentage(text, name: flag, range: range) }
  }

  /// Reads a calendar date `YYYY-MM-DD` (UTC); see ``QueryArgument/date(_:name:)``.
  static func date(_ text: String, flag: String) throws -> Date {
    try validating { try QueryArgument.date(text, name: flag) }
  }

  /// `body`'s refusal as the usage error argument-parser prints, made safe for the terminal.
  private static func validating<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as BuildtrailError {
      throw ValidationError(TerminalText.sanitized(error.errorDescription ?? "\(error)"))
    }
  }
}
