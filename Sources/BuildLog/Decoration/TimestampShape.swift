/// The shape of a timestamp that a wrapper writes before each line: `2025-03-09 15:44:12.269Z:`,
/// `[2021-06-12T17:10:32.936442+00:00]`, `2025/03/09 15:44:12`, `15:44:12.269`.
///
/// Two timestamps of one shape differ only in their digits, so a shape learned from some lines
/// recognises the same decoration elsewhere (even in the middle of a line a wrapper split).
package struct TimestampShape: Equatable, CustomStringConvertible {
  /// `[…]` around it.
  var bracketed = false
  /// `-` or `/` between year, month and day; nil for a time alone.
  var dateSeparator: UInt8?
  /// `T` or a space between date and time.
  var dateTimeSeparator: UInt8 = UInt8(ascii: "T")
  /// Digits after the seconds' `.` or `,`.
  var fractionDigits = 0
  /// `Z`, `+00:00`, `+0000`, or nothing (read as UTC).
  var zone = Zone.none
  /// A `:` right after it.
  var colon = false

  enum Zone: Equatable { case none, z, offset, offsetWithColon }

  package var description: String {
    var text =
      dateSeparator.map { s in
        "YYYY\(Character(UnicodeScalar(s)))MM\(Character(UnicodeScalar(s)))DD"
      } ?? ""
    if dateSeparator != nil { text += String(Character(UnicodeScalar(dateTimeSeparator))) }
    text +=
      "hh:mm:ss" + (fractionDigits > 0 ? "." + String(repeating: "f", count: fractionDigits) : "")
    switch zone {
    case .none: break
    case .z: text += "Z"
    case .offset: text += "+hhmm"
    case .offsetWithColon: text += "+hh:mm"
    }
    if bracketed { text = "[" + text + "]" }
    return "timestamp `" + text + (colon ? ":" : "") + "`"
  }

  /// Reads a timestamp at the start of `s`, followed by a space, a tab or the end of the line.
  /// Returns its shape, the bytes it covers (brackets and colon included) and, when it has a date,
  /// its time in seconds since 1970.
  static func read(_ s: ByteSpan) -> (shape: TimestampShape, length: Int, time: Double?)? {
    var shape = TimestampShape()
    var i = 0
    func number(_ n: Int) -> Int? {
      guard i + n <= s.count else { return nil }
      var v = 0
      for k in i..<(i + n) {
        let c = s[k]
        guard c >= 0x30, c <= 0x39 else { return nil }
        v = v * 10 + Int(c - 0x30)
      }
      i += n
      return v
    }
    func take(_ byte: UInt8) -> Bool {
      guard i < s.count, s[i] == byte else { return false }
      i += 1
      return true
    }
    guard s.count >= 8 else { return nil }
    if s[0] == UInt8(ascii: "[") {
      shape.bracketed = true
      i = 1
    }
    var days: Int?
    if i + 4 < s.count, s[i + 4] == UInt8(ascii: "-") || s[i + 4] == UInt8(ascii: "/") {
      let separator = s[i + 4]
      guard let year = number(4), take(separator), let month = number(2), take(separator),
        let day = number(2), (1...12).contains(month), (1...31).contains(day), i < s.count,
        s[i] == UInt8(ascii: "T") || s[i] == 0x20
      else { return nil }
      shape.dateSeparator = separator
      shape.dateTimeSeparator = s[i]
      i += 1
      days = LineCleaner.daysFromCivil(year: year, month: month, day: day)
    }
    guard let hour = number(2), take(UInt8(ascii: ":")), let minute = number(2),
      take(UInt8(ascii: ":")), let second = number(2), hour < 24, minute < 60, second < 61
    else { return nil }
    var fraction = 0.0
    if i < s.count, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",") {
      i += 1
      var scale = 0.1
      while i < s.count, s[i] >= 0x30, s[i] <= 0x39, shape.fractionDigits < 9 {
        fraction += Double(s[i] - 0x30) * scale
        scale /= 10
        shape.fractionDigits += 1
        i += 1
      }
      guard shape.fractionDigits > 0 else { return nil }
    }
    var offset = 0
    if take(UInt8(ascii: "Z")) {
      shape.zone = .z
    } else if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
      let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
      i += 1
      guard let h = number(2) else { return nil }
      shape.zone = take(UInt8(ascii: ":")) ? .offsetWithColon : .offset
      guard let m = number(2) else { return nil }
      offset = sign * (h * 3600 + m * 60)
    }
    if shape.bracketed, !take(UInt8(ascii: "]")) { return nil }
    shape.colon = take(UInt8(ascii: ":"))
    guard i >= s.count || s[i] == 0x20 || s[i] == 0x09 else { return nil }
    let time = days.map {
      Double($0 * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }
    return (shape, i, time)
  }
}
