/// The numbers of plain vertex lines: the elapsed-seconds stamp of a log line, `DONE` seconds and
/// transferred sizes, each checked against its range.
extension PlainReader {
  /// The text of a log line, after its elapsed-seconds stamp (`12.345 text`, `-0.001 text`); nil
  /// for a payload that is not a log line.
  @inline(__always)
  static func stampedText(_ p: ByteSpan) -> ByteSpan? {
    let first = p.count > 0 ? p[0] : 0
    guard (first >= 0x30 && first <= 0x39) || first == UInt8(ascii: "-") else { return nil }
    let digits = first == UInt8(ascii: "-") ? p.dropFirst(1) : p
    guard let used = digits.elapsedStampLength() else { return nil }
    return digits.dropFirst(used + 1)
  }

  /// `48.20kB`, `129B`, `1.5MB`, `2.1GB`: decimal units as BuildKit prints them.
  static func byteSize(_ s: ByteSpan) -> LogNumber.Checked<Int64>? {
    LogNumber.size(Substring(s.prefix(64).string))
  }

  /// The seconds of a `DONE` line: `DONE` alone is 0; nil for a line that is not `DONE`; out of
  /// range for a value that is not seconds from 0 to 30 days (`DONE nan s`, `DONE -5s`, `DONE 1e9s`).
  static func doneSeconds(_ p: ByteSpan) -> LogNumber.Checked<Double>? {
    guard p.hasPrefix("DONE") else { return nil }
    if p.count == 4 { return .valid(0) }
    guard p[4] == 0x20 else { return nil }
    let value = p.dropFirst(5).trimmingTrailingSpaces()
    guard let (seconds, used) = value.leadingDecimal(), used + 1 == value.count,
      value[used] == UInt8(ascii: "s")
    else { return .outOfRange }
    return LogNumber.seconds(seconds)
  }

  /// Whether a vertex line's payload is a `DONE` or `transferring context:` line whose number is out of range.
  @inline(__always)
  static func holdsNumberOutOfRange(_ p: ByteSpan) -> Bool {
    guard p.count > 4 else { return false }
    if p[0] == UInt8(ascii: "D") { return doneSeconds(p) == .outOfRange }
    if p[0] == UInt8(ascii: "t"), p.hasPrefix("transferring context: ") {
      return byteSize(p.dropFirst(22)) == .outOfRange
    }
    return false
  }
}
