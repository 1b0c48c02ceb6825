import Foundation

/// Dates as the store writes them: ISO 8601 in UTC with milliseconds, `2025-01-05T18:29:13.031Z`,
/// so that text order is time order.
public enum UTCTimestamp {
  /// Formats `date`, held to years 1 through 9999 (NaN reads as 1970).
  public static func string(from date: Date) -> String {
    string(from: date, fractionDigits: 3, rounding: .toNearestOrAwayFromZero)
  }

  /// Formats `date` with `fractionDigits` (1…9) digits of the second, the fraction rounded as asked
  /// (GitHub Actions stamps lines with 7 digits, truncated).
  public static func string(
    from date: Date, fractionDigits: Int, rounding: FloatingPointRoundingRule
  ) -> String {
    let digits = min(max(fractionDigits, 1), 9)
    let scale = (0..<digits).reduce(1) { value, _ in value * 10 }
    let raw = date.timeIntervalSince1970
    let t = raw.isNaN ? 0 : min(max(raw, -62_135_596_800), 253_402_300_799)
    var seconds = time_t(floor(t))
    var fraction = Int(((t - floor(t)) * Double(scale)).rounded(rounding))
    if fraction == scale {
      seconds += 1
      fraction = 0
    }
    var parts = tm()
    gmtime_r(&seconds, &parts)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%0\(digits)dZ", Int(parts.tm_year) + 1900,
      Int(parts.tm_mon) + 1,
      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), fraction)
  }

  /// Reads a string written by ``string(from:)`` (or without milliseconds).
  public static func date(from string: String) -> Date? {
    let u = Array(string.utf8)
    guard u.count >= 19, u[4] == 0x2D, u[7] == 0x2D, u[10] == UInt8(ascii: "T") || u[10] == 0x20,
      u[13] == 0x3A,
      u[16] == 0x3A
    else { return nil }
    func number(_ from: Int, _ n: Int) -> Int? {
      var v = 0
      for c in u[from..<(from + n)] {
        guard c >= 0x30, c <= 0x39 else { return nil }
        v = v * 10 + Int(c - 0x30)
      }
      return v
    }
    guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
      let hour = number(11, 2),
      let minute = number(14, 2), let second = number(17, 2)
    else { return nil }
    var fraction = 0.0
    if u.count > 20, u[19] == UInt8(ascii: ".") {
      var scale = 0.1
      for c in u[20...] {
        guard c >= 0x30, c <= 0x39 else { break }
        fraction += Double(c - 0x30) * scale
        scale /= 10
      }
    }
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
    let days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468
    return Date(
      timeIntervalSince1970: Double(days * 86400 + hour * 3600 + minute * 60 + second) + fraction)
  }
}

extension UTCTimestamp {
  /// Milliseconds since 1970 of `date`, as step times are stored; nil outside years 1970–2200.
  public static func milliseconds(of date: Date) -> Int64? {
    let t = date.timeIntervalSince1970
    guard t.isFinite, t >= 0, t < 7_258_118_400 else { return nil }
    return Int64((t * 1000).rounded())
  }

  /// The date of a stored millisecond count.
  public static func date(milliseconds: Int64) -> Date {
    Date(timeIntervalSince1970: Double(milliseconds) / 1000)
  }
}
