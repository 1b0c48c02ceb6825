import ArgumentParser
import BuildtrailKit

/// Range checks for numeric flags: each refusal is one line naming the flag and what it accepts.
enum OptionRange {
  /// The most builds a `--limit`, `--last` or `--window` may ask for.
  static let maxCount = 100_000

  /// Checks a count of builds: from 1 to ``maxCount``.
  static func count(_ value: Int, flag: String) throws {
    guard (1...maxCount).contains(value) else {
      throw ValidationError("\(flag) takes a whole number from 1 to \(maxCount), got \(value)")
    }
  }

  /// Reads a percentage such as `20%` or `20` (a plain decimal, optionally followed by `%`) within
  /// `range` percent, as a fraction: `20%` is 0.2. NaN, infinities, exponents and signs are refused.
  static func percentage(_ text: String, flag: String, range: ClosedRange<Double>) throws -> Double
  {
    let number = text.hasSuffix("%") ? text.dropLast() : Substring(text)
    let plain =
      !number.isEmpty && number.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
      && number.filter { $0 == "." }.count <= 1 && number.first != "." && number.last != "."
    guard plain, let value = Double(number), value.isFinite, range.contains(value) else {
      throw ValidationError(
        "\(flag) takes a percentage such as 20% (from \(Self.text(range.lowerBound))% to \(Self.text(range.upperBound))%), got '\(TerminalText.sanitized(text))'"
      )
    }
    return value / 100
  }

  private static func text(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }
}
