import BuildStore
import Foundation

/// The checks every front end applies to the numbers and dates a query takes (the CLI's flags, the
/// service's query parameters): each refusal is one line naming the argument and what it accepts.
public enum QueryArgument {
  /// The most builds a `limit`, `last` or `window` may ask for.
  public static let maxCount = 100_000

  /// Checks a count of builds: from 1 to ``maxCount``.
  /// - Throws: ``BuildtrailError/invalidArgument(_:)`` naming `name`.
  public static func count(_ value: Int, name: String) throws {
    guard (1...maxCount).contains(value) else {
      throw BuildtrailError.invalidArgument(
        "\(name) takes a whole number from 1 to \(maxCount), got \(value)")
    }
  }

  /// Reads a share written as a percentage (`20%`) or as a fraction from 0 to 1 (`0.2`), within
  /// `range` percent, and returns the fraction: `20%` and `0.2` are both 0.2. A bare number above 1
  /// (`20`) is refused as ambiguous, as are NaN, infinities, exponents and signs.
  public static func percentage(_ text: String, name: String, range: ClosedRange<Double>) throws
    -> Double
  {
    let isPercent = text.hasSuffix("%")
    let number = isPercent ? text.dropLast() : Substring(text)
    let plain =
      !number.isEmpty && number.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
      && number.filter { $0 == "." }.count <= 1 && number.first != "." && number.last != "."
    let percent = Double(number).map { isPercent ? $0 : $0 * 100 }
    guard plain, let percent, percent.isFinite, range.contains(percent),
      isPercent || percent <= 100
    else {
      throw BuildtrailError.invalidArgument(
        "\(name) takes a percentage such as 20% (from \(Self.text(range.lowerBound))% to \(Self.text(range.upperBound))%) or a fraction such as 0.2, got '\(text)'"
      )
    }
    return percent / 100
  }

  /// Reads a calendar date `YYYY-MM-DD` (UTC), refusing days that do not exist (`2026-13-01`,
  /// `2026-02-30`) rather than rolling them over.
  public static func date(_ text: String, name: String) throws -> Date {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    let digits =
      parts.count == 3 && [4, 2, 2] == parts.map(\.count)
      && parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    guard digits, let date = UTCTimestamp.date(from: text + "T00:00:00Z"),
      UTCTimestamp.string(from: date).hasPrefix(text + "T")
    else {
      throw BuildtrailError.invalidArgument("\(name) takes a date as YYYY-MM-DD, got '\(text)'")
    }
    return date
  }

  private static func text(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }
}
