/// A line with its CI decorations removed.
package struct CleanLine {
  /// The text: no CI prefix, no ANSI escapes, no trailing `\r`.
  package var text: ByteSpan
  /// Seconds since 1970 from a CI timestamp prefix (GitHub Actions' `2025-03-01T10:00:07.1234567Z `).
  package var timestamp: Double?
  /// The job name from `gh run view --log` lines (`job<TAB>step<TAB>timestamp line`).
  package var job: ByteSpan?
  /// The CI timestamp was outside 1970–2199: the line is refused (see ``LogNumber``).
  package var timestampOutOfRange = false

  package init(
    text: ByteSpan, timestamp: Double? = nil, job: ByteSpan? = nil,
    timestampOutOfRange: Bool = false
  ) {
    self.text = text
    self.timestamp = timestamp
    self.job = job
    self.timestampOutOfRange = timestampOutOfRange
  }
}

/// Removes what CI systems and wrappers add around BuildKit's lines: GitHub Actions timestamps and
/// `gh run view --log` columns, ANSI escapes, GitLab section markers, carriage returns, and any
/// other prefix the log's lines share before their BuildKit token (see ``LinePrefix``): it is
/// learned from the lines that carry a token, then stripped from every line that starts with it,
/// and its timestamps become the lines' wall-clock times.
package struct LineCleaner {
  private var scratch: [UInt8] = []
  private var joined: [UInt8] = []
  /// Prefix shapes read before tokens, with how many lines carried each (at most 8 shapes).
  private var candidates: [(prefix: LinePrefix, count: Int)] = []
  /// Lines that carried a BuildKit token, with a prefix or without.
  private var tokenLines = 0
  /// The prefix most token lines share, once three do; until then, the last one read is used.
  package private(set) var learned: LinePrefix?
  /// The last prefix read before a token, learned or not (for the error when no build is found).
  package private(set) var lastTried: LinePrefix?

  package init() {
    scratch.reserveCapacity(4096)
  }

  /// Cleans `line`. The result may point into this cleaner's buffer: use it before the next call.
  /// `classes` says which rare bytes the line holds, when known (see ``ByteClasses``).
  package mutating func clean(_ line: ByteSpan, classes: ByteClasses? = nil) -> CleanLine {
    if let classes, isClean(line, classes) { return CleanLine(text: line) }
    let mayHoldEscape = classes?.escape ?? true
    var text = line
    while text.count > 0, text[text.count - 1] == 0x0D { text.count -= 1 }
    var timestamp: Double?
    var job: ByteSpan?

    if text.count > 0, text[0] != UInt8(ascii: "#") {
      if let tab = text.prefix(256).firstIndex(of: 0x09), tab > 0,
        let second = text.firstIndex(of: 0x09, from: tab + 1),
        let (t, used) = Self.timestamp(text.dropFirst(second + 1))
      {
        job = text.prefix(tab)
        timestamp = t
        text = text.dropFirst(second + 1 + used)
      } else if let (t, used) = Self.timestamp(text) {
        timestamp = t
        text = text.dropFirst(used)
      }
    }
    if mayHoldEscape, text.contains(0x1B) {
      text = stripANSI(text)
    }
    if text.count > 0, text[0] != UInt8(ascii: "#") {
      text = Self.dropWrapperPrefix(text)
    }
    if text.count > 1, text[0] == UInt8(ascii: "#"), text[1] >= 0x30, text[1] <= 0x39 {
      tokenLines += 1
    } else if text.count > 0 {
      if let reading = LinePrefix.read(beforeTokenIn: text) {
        tokenLines += 1
        learn(reading.prefix)
        text = text.dropFirst(reading.length)
        if timestamp == nil { timestamp = reading.time }
      } else if LinePrefix.isToken(text) {
        tokenLines += 1
      } else if let known = learned ?? lastTried, let (used, t) = known.match(text) {
        text = text.dropFirst(used)
        if timestamp == nil { timestamp = t }
      }
    }
    if let known = learned ?? lastTried, known.hasTimestamp, text.count > 3,
      text[0] == UInt8(ascii: "#")
    {
      text = joinSplitLine(text, known)
    }
    var outOfRange = false
    if let t = timestamp, LogNumber.time(t) == .outOfRange {
      timestamp = nil
      outOfRange = true
    }
    return CleanLine(text: text, timestamp: timestamp, job: job, timestampOutOfRange: outOfRange)
  }

  /// Whether `line` is the usual line of a plain log, `#N …` with no control byte while no prefix
  /// is known: such a line is already clean (it is counted as a token line, as ``clean(_:classes:)``
  /// counts it).
  @inline(__always)
  package mutating func isClean(_ line: ByteSpan, _ classes: ByteClasses) -> Bool {
    guard !classes.control, line.count > 1, line[0] == UInt8(ascii: "#"), line[1] &- 0x30 < 10,
      learned == nil, lastTried == nil
    else { return false }
    tokenLines += 1
    return true
  }

  private mutating func learn(_ prefix: LinePrefix) {
    guard !prefix.parts.isEmpty else { return }
    lastTried = prefix
    if let k = candidates.firstIndex(where: { $0.prefix == prefix }) {
      candidates[k].count += 1
    } else if candidates.count < 8 {
      candidates.append((prefix, 1))
    }
    if let best = candidates.max(by: { $0.count < $1.count }), best.count >= 3,
      best.count * 2 > tokenLines
    {
      learned = best.prefix
    }
  }

  /// Removes the learned prefix where a wrapper wrote it in the middle of a line: it stamped a
  /// partial line that BuildKit finished later (`#3 ...2025-03-09 15:44:12.269Z: `).
  private mutating func joinSplitLine(_ text: ByteSpan, _ prefix: LinePrefix) -> ByteSpan {
    var pieces: [(Int, Int)] = []
    var start = 0
    var p = 2
    while p < text.count {
      let c = text[p]
      if c == UInt8(ascii: "[")
        || (c >= 0x30 && c <= 0x39 && (text[p - 1] < 0x30 || text[p - 1] > 0x39)),
        let (used, t) = prefix.match(text.dropFirst(p)), t != nil || !prefix.hasTimestamp
      {
        pieces.append((start, p))
        start = p + used
        p = start
        continue
      }
      p += 1
    }
    guard !pieces.isEmpty else { return text }
    pieces.append((start, text.count))
    var out: [UInt8] = []
    out.reserveCapacity(text.count)
    for (a, b) in pieces where b > a {
      out.append(contentsOf: UnsafeBufferPointer(start: text.base + a, count: b - a))
    }
    joined = out
    return joined.withUnsafeBufferPointer {
      ByteSpan(base: $0.baseAddress ?? text.base, count: $0.count)
    }
  }

  /// Reads `YYYY-MM-DDTHH:MM:SS[.fffffff]Z` followed by a space or the end of the line.
  static func timestamp(_ s: ByteSpan) -> (Double, Int)? {
    guard s.count >= 20, s[4] == 0x2D, s[7] == 0x2D, s[10] == UInt8(ascii: "T"), s[13] == 0x3A,
      s[16] == 0x3A
    else { return nil }
    func number(_ from: Int, _ n: Int) -> Int? {
      var v = 0
      for i in from..<(from + n) {
        let c = s[i]
        guard c >= 0x30, c <= 0x39 else { return nil }
        v = v * 10 + Int(c - 0x30)
      }
      return v
    }
    guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
      let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
    else { return nil }
    var i = 19
    var fraction = 0.0
    if i < s.count, s[i] == UInt8(ascii: ".") {
      i += 1
      var scale = 0.1
      while i < s.count, s[i] >= 0x30, s[i] <= 0x39 {
        fraction += Double(s[i] - 0x30) * scale
        scale /= 10
        i += 1
      }
    }
    guard i < s.count, s[i] == UInt8(ascii: "Z") else { return nil }
    i += 1
    if i < s.count {
      guard s[i] == 0x20 else { return nil }
      i += 1
    }
    let days = daysFromCivil(year: year, month: month, day: day)
    let seconds = Double(days * 86400 + hour * 3600 + minute * 60 + second) + fraction
    return (seconds, i)
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }

  /// Removes CSI (`ESC [ … final`) and OSC (`ESC ] … BEL|ESC \`) sequences, and other two-byte escapes.
  private mutating func stripANSI(_ text: ByteSpan) -> ByteSpan {
    scratch.removeAll(keepingCapacity: true)
    var i = 0
    while i < text.count {
      let c = text[i]
      if c != 0x1B {
        scratch.append(c)
        i += 1
        continue
      }
      i += 1
      guard i < text.count else { break }
      let kind = text[i]
      i += 1
      if kind == UInt8(ascii: "[") {
        while i < text.count, text[i] >= 0x30, text[i] <= 0x3F { i += 1 }
        while i < text.count, text[i] >= 0x20, text[i] <= 0x2F { i += 1 }
        if i < text.count { i += 1 }
      } else if kind == UInt8(ascii: "]") {
        while i < text.count {
          if text[i] == 0x07 {
            i += 1
            break
          }
          if text[i] == 0x1B, i + 1 < text.count, text[i + 1] == UInt8(ascii: "\\") {
            i += 2
            break
          }
          i += 1
        }
      }
    }
    return scratch.withUnsafeBufferPointer {
      ByteSpan(base: $0.baseAddress ?? text.base, count: $0.count)
    }
  }

  /// Drops GitLab's section markers: `section_start:1594830697:step_script\r` (the `\e[0K` was already removed).
  static func dropWrapperPrefix(_ text: ByteSpan) -> ByteSpan {
    if text.hasPrefix("section_start:") || text.hasPrefix("section_end:") {
      if let cr = text.firstIndex(of: 0x0D) { return text.dropFirst(cr + 1) }
      return ByteSpan(base: text.base, count: 0)
    }
    return text
  }
}
