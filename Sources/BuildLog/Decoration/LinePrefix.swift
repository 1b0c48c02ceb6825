/// What a wrapper writes before the lines of a build log, read as a sequence of parts: timestamps of
/// any common shape, bracketed tags, log levels, labels, compose-style `name |` columns.
///
/// A prefix is only ever read off a line that carries a BuildKit token after it (`#N `, `=> `,
/// `[+] Building`, `Step N/M :`, `Sending build context`); the cleaner learns the shape that most
/// such lines share and strips it from the other lines too (see ``LineCleaner``).
package struct LinePrefix: Equatable, CustomStringConvertible {
  /// One part of a prefix.
  package enum Part: Equatable {
    /// Spaces and tabs.
    case spaces
    /// A date and time (or a time alone), perhaps in brackets and followed by a colon.
    case timestamp(TimestampShape)
    /// `[build]`, `[info]`, `[38b78d1e]`: any bracketed word that is not `[+]`.
    case tag
    /// `INFO`, `DEBUG`: two to eight capital letters.
    case level
    /// `Trace:`, `docker stdout:`: the same words each time.
    case label([UInt8])
    /// `web_1  |`: a compose v1 service column.
    case pipe
    /// The spaces and tabs that end the prefix, exactly as learned.
    case gap([UInt8])
  }

  package var parts: [Part]

  package var description: String {
    parts.map { part -> String in
      switch part {
      case .spaces: return "spaces"
      case .timestamp(let shape): return shape.description
      case .tag: return "[tag]"
      case .level: return "level"
      case .label(let bytes): return "label `" + String(decoding: bytes, as: UTF8.self) + "`"
      case .pipe: return "`name |`"
      case .gap(let bytes): return bytes == [0x20] ? "space" : "\(bytes.count) blanks"
      }
    }.joined(separator: ", ")
  }

  /// Whether a timestamp is among the parts.
  package var hasTimestamp: Bool {
    parts.contains { if case .timestamp = $0 { return true } else { return false } }
  }

  /// A prefix read off a line: its shape, its length in bytes and the time its timestamp gives.
  package struct Reading {
    package var prefix: LinePrefix
    package var length: Int
    package var time: Double?
  }

  static let maxParts = 8
  static let maxLength = 200

  /// Reads the prefix before a BuildKit token on `line`; nil when the line has no token after a
  /// prefix made only of known parts, or the token is at the start (nothing to strip). An
  /// issue-tracker link glued to the token (`owner/repo#7`) is part of the prefix's length.
  package static func read(beforeTokenIn line: ByteSpan) -> Reading? {
    var parts: [Part] = []
    var i = 0
    var time: Double?
    while i < line.count, i <= maxLength {
      if isToken(line.dropFirst(i)) { return reading(parts, line, length: i, time: time) }
      if let link = repositoryLinkLength(line.dropFirst(i)) {
        return reading(parts, line, length: i, time: time).map {
          Reading(prefix: $0.prefix, length: $0.length + link, time: $0.time)
        } ?? Reading(prefix: LinePrefix(parts: []), length: link, time: nil)
      }
      guard parts.count < maxParts, let (part, used, t) = readPart(line.dropFirst(i)) else {
        return nil
      }
      if case .spaces = part, case .spaces? = parts.last { return nil }
      parts.append(part)
      if t != nil { time = t }
      i += used
    }
    return nil
  }

  /// The prefix of `length` bytes before a token: its last blanks become an exact ``Part/gap(_:)``
  /// (less the one that begins a tty row's ` => `); nil when it is blanks alone.
  private static func reading(_ parts: [Part], _ line: ByteSpan, length: Int, time: Double?)
    -> Reading?
  {
    var parts = parts
    var length = length
    if case .spaces? = parts.last {
      parts.removeLast()
      var start = length
      while start > 0, line[start - 1] == 0x20 || line[start - 1] == 0x09 { start -= 1 }
      if line.dropFirst(length).hasPrefix("=>"), length - start > 1, line[length - 1] == 0x20 {
        length -= 1
      }
      parts.append(.gap(line.dropFirst(start).prefix(length - start).array))
    }
    guard parts.contains(where: { if case .gap = $0 { return false } else { return true } }) else {
      return nil
    }
    return Reading(prefix: LinePrefix(parts: parts), length: length, time: time)
  }

  /// Matches this prefix at the start of `line`: every part, or every part up to the end of the
  /// line (a wrapper's bare prefix on a blank line). Returns the bytes it covers and its time.
  package func match(_ line: ByteSpan) -> (length: Int, time: Double?)? {
    var i = 0
    var time: Double?
    for (index, expected) in parts.enumerated() {
      let rest = line.dropFirst(i)
      if rest.isEmpty { return index > 0 ? (i, time) : nil }
      if case .gap(let bytes) = expected {
        guard rest.count >= bytes.count, rest.prefix(bytes.count).equals(bytes) else { return nil }
        i += bytes.count
        continue
      }
      guard let (part, used, t) = Self.readPart(rest), part == expected else { return nil }
      if t != nil { time = t }
      i += used
    }
    return i > 0 ? (i, time) : nil
  }

  private static func readPart(_ s: ByteSpan) -> (Part, Int, Double?)? {
    guard s.count > 0 else { return nil }
    let c = s[0]
    if c == 0x20 || c == 0x09 {
      var n = 0
      while n < s.count, s[n] == 0x20 || s[n] == 0x09 { n += 1 }
      return (.spaces, n, nil)
    }
    if let ts = TimestampShape.read(s) { return (.timestamp(ts.shape), ts.length, ts.time) }
    if c == UInt8(ascii: "[") {
      guard let close = s.prefix(66).firstIndex(of: UInt8(ascii: "]")), close > 1,
        s[1] != UInt8(ascii: "+"), endsAPart(s, at: close + 1)
      else { return nil }
      return (.tag, close + 1, nil)
    }
    guard isLetter(c) else { return nil }
    var n = 0
    while n < s.count, n < 9, s[n] >= UInt8(ascii: "A"), s[n] <= UInt8(ascii: "Z") { n += 1 }
    if n >= 2, n <= 8, n < s.count, s[n] == 0x20 || s[n] == 0x09 { return (.level, n, nil) }
    n = 0
    while n < s.count, n < 40, isWordByte(s[n]) || s[n] == 0x20 { n += 1 }
    if n < s.count, s[n] == UInt8(ascii: ":"), s[n - 1] != 0x20, endsAPart(s, at: n + 1) {
      return (.label(s.prefix(n + 1).array), n + 1, nil)
    }
    n = 0
    while n < s.count, n < 64, isWordByte(s[n]) { n += 1 }
    var m = n
    while m < s.count, s[m] == 0x20 { m += 1 }
    if m > n, m < s.count, s[m] == UInt8(ascii: "|"), endsAPart(s, at: m + 1) {
      return (.pipe, m + 1, nil)
    }
    return nil
  }

  /// A part ends at a space, a tab or the end of the line.
  private static func endsAPart(_ s: ByteSpan, at i: Int) -> Bool {
    i >= s.count || s[i] == 0x20 || s[i] == 0x09
  }

  /// `owner/repo` right before `#7`: the link an issue tracker made of a vertex number.
  private static func repositoryLinkLength(_ s: ByteSpan) -> Int? {
    var n = 0
    var slashes = 0
    while n < s.count, n < 140, isWordByte(s[n]) || s[n] == UInt8(ascii: "/") {
      if s[n] == UInt8(ascii: "/") { slashes += 1 }
      n += 1
    }
    guard slashes == 1, n > 2, s[0] != UInt8(ascii: "/"), s[n - 1] != UInt8(ascii: "/"),
      isToken(s.dropFirst(n)), s[n] == UInt8(ascii: "#")
    else { return nil }
    return n
  }

  /// Whether a BuildKit token starts `s`: `#N `, `=> `, `[+] Building `, `Step N/M :`, `Sending build context`.
  package static func isToken(_ s: ByteSpan) -> Bool {
    guard s.count >= 2 else { return false }
    switch s[0] {
    case UInt8(ascii: "#"):
      guard let (_, used) = s.dropFirst(1).leadingInteger() else { return false }
      return used + 1 == s.count || s[used + 1] == 0x20
    case UInt8(ascii: "="):
      return s[1] == UInt8(ascii: ">") && (s.count == 2 || s[2] == 0x20)
    case UInt8(ascii: "["):
      return s.hasPrefix("[+] Building ")
    case UInt8(ascii: "S"):
      if s.hasPrefix("Sending build context") { return true }
      guard s.hasPrefix("Step "), let (_, used) = s.dropFirst(5).leadingInteger() else {
        return false
      }
      var rest = s.dropFirst(5 + used)
      if rest.count > 0, rest[0] == UInt8(ascii: "/"),
        let (_, n) = rest.dropFirst(1).leadingInteger()
      {
        rest = rest.dropFirst(1 + n)
      }
      return rest.hasPrefix(" :")
    default:
      return false
    }
  }

  private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

  private static func isWordByte(_ c: UInt8) -> Bool {
    isLetter(c) || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
      || c == UInt8(ascii: ".")
  }
}
