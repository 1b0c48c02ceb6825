import Foundation

/// The one way the readers read numbers from a log: decimals, durations, sizes and times, with
/// arithmetic that cannot overflow and sane ranges.
///
/// A number outside its range is refused (``Checked/outOfRange``): the reader does not store it,
/// treats its line as unrecognised and counts the refusal, which the recorder reports as a warning.
package enum LogNumber {
  /// A value read from a log: kept, or refused for being outside its range.
  package enum Checked<Value: Equatable>: Equatable {
    case valid(Value)
    case outOfRange

    /// The value, or nil when it was refused.
    package var value: Value? {
      if case .valid(let v) = self { return v }
      return nil
    }
  }

  /// The longest duration kept: 30 days.
  package static let maxSeconds = 30.0 * 86_400
  /// The largest size kept: 1 PB.
  package static let maxBytes: Int64 = 1_000_000_000_000_000
  /// The times kept, in seconds since 1970: from 1970-01-01 to the end of 2199.
  package static let times = 0.0..<7_258_118_400.0
  /// ``times`` in years.
  package static let years: ClosedRange<Int64> = 1970...2199

  /// Reads a decimal `12`, `12.3` at the start of the bytes: its value and the bytes used.
  ///
  /// Any number of digits is read; the value is exact to 19 significant digits, never NaN, and
  /// may be infinite. Nil when the bytes do not start with a digit, or end in `.` with no fraction.
  @inline(__always)
  package static func decimal(_ base: UnsafePointer<UInt8>, count: Int) -> (
    value: Double, length: Int
  )? {
    var i = 0
    var mantissa: UInt64 = 0
    var significant = 0
    var exponent = 0
    while i < count, base[i] &- 0x30 < 10 {
      if significant < 19 {
        mantissa = mantissa * 10 + UInt64(base[i] &- 0x30)
        if mantissa != 0 { significant += 1 }
      } else {
        exponent += 1
      }
      i += 1
    }
    guard i > 0 else { return nil }
    if i < count, base[i] == UInt8(ascii: ".") {
      let start = i + 1
      i = start
      while i < count, base[i] &- 0x30 < 10 {
        if significant < 19 {
          mantissa = mantissa * 10 + UInt64(base[i] &- 0x30)
          if mantissa != 0 { significant += 1 }
          exponent -= 1
        }
        i += 1
      }
      guard i > start else { return nil }
    }
    return (scaled(mantissa, exponent), i)
  }

  /// ``decimal(_:count:)`` over a span.
  @inline(__always)
  package static func decimal(_ span: ByteSpan) -> (value: Double, length: Int)? {
    decimal(span.base, count: span.count)
  }

  /// ``decimal(_:count:)`` over text; the length counts UTF-8 bytes, which are characters for digits.
  package static func decimal(_ text: Substring) -> (value: Double, length: Int)? {
    var text = text
    return text.withUTF8 { buffer in
      guard let base = buffer.baseAddress else { return nil }
      return decimal(base, count: buffer.count)
    }
  }

  /// The whole of `text` as a decimal, or nil when it holds anything else.
  package static func wholeDecimal(_ text: Substring) -> Double? {
    guard let (value, length) = decimal(text), length == text.utf8.count else { return nil }
    return value
  }

  /// Seconds kept as a duration: finite, from 0 to 30 days.
  package static func seconds(_ value: Double) -> Checked<Double> {
    value.isFinite && value >= 0 && value <= maxSeconds ? .valid(value) : .outOfRange
  }

  /// A size `value × scale` in bytes, kept up to 1 PB.
  package static func bytes(_ value: Double, scale: Double) -> Checked<Int64> {
    let bytes = (value * scale).rounded()
    guard bytes.isFinite, bytes >= 0, bytes <= Double(maxBytes) else { return .outOfRange }
    return .valid(Int64(bytes))
  }

  /// The sum of sizes, kept up to 1 PB.
  package static func total(_ sizes: [Int64]) -> Checked<Int64> {
    var sum: Int64 = 0
    for size in sizes {
      guard size >= 0, size <= maxBytes - sum else { return .outOfRange }
      sum += size
    }
    return .valid(sum)
  }

  /// A time in seconds since 1970, kept from 1970 to the end of 2199.
  package static func time(_ seconds: Double) -> Checked<Double> {
    times.contains(seconds) ? .valid(seconds) : .outOfRange
  }

  /// The size unit after a number: `B`, `kB`, `MB`, `GB`, `TB`, `KiB`, `MiB`, `GiB` (any case), or
  /// nothing; nil for another word.
  package static func unitScale(_ unit: Substring) -> Double? {
    switch unit.lowercased() {
    case "b", "": 1
    case "kb": 1e3
    case "mb": 1e6
    case "gb": 1e9
    case "tb": 1e12
    case "kib": 1024
    case "mib": 1_048_576
    case "gib": 1_073_741_824
    default: nil
    }
  }

  /// A size as Docker prints it (`48.20kB`, `129B`, `3.072 kB`), up to the end of `text` or the
  /// first space after the unit. Nil when `text` is not a size.
  package static func size(_ text: Substring) -> Checked<Int64>? {
    guard let (value, length) = decimal(text) else { return nil }
    let rest = text.utf8.dropFirst(length).drop { $0 == 0x20 }
    let unit = rest.prefix { $0 != 0x20 }
    guard let scale = unitScale(Substring(unit)) else { return nil }
    return bytes(value, scale: scale)
  }

  private static let exactPowers: [Double] = (0...22).map { pow(10, Double($0)) }

  @inline(__always)
  private static func scaled(_ mantissa: UInt64, _ exponent: Int) -> Double {
    let value = Double(mantissa)
    if exponent == 0 || mantissa == 0 { return value }
    if exponent > 0 { return exponent > 400 ? .infinity : value * pow(10, Double(exponent)) }
    return -exponent <= 22
      ? value / exactPowers[-exponent] : value / pow(10, Double(min(-exponent, 400)))
  }
}
