import Foundation

// One cohesive thing over 400 lines: the tty display's frame parser, whose row, trailer and cursor rules depend on each other.

/// Reads BuildKit's tty display: each build's last frame (`[+] Building …`, ` => ` rows) and the trailers after it.
package final class TTYReader: LineReader {
  package var format: LogFormat { .tty }

  private var current: Build?
  private var finished: [ParsedBuild] = []
  /// The number of the last line this reader accepted; trailers are read only right after it.
  private var lastAccepted = -1
  package private(set) var refusals = Refusals()

  package init() {}

  package func read(_ line: String, lineNumber: Int, timestamp: Date?) -> Bool {
    let text = Self.trimTrailing(Substring(line))
    let active = current != nil && lineNumber == lastAccepted + 1
    if active, let build = current, build.trailer == .errorBlock {
      readErrorBlockLine(text, build: build)
      return accept(lineNumber, timestamp)
    }
    if let header = Header(text) {
      guard !header.elapsedOutOfRange else { return refuse(lineNumber) }
      readHeader(Frame(header: header, line: lineNumber, timestamp: timestamp))
      return accept(lineNumber, timestamp)
    }
    if let body = Self.rowBody(text) {
      if Self.holdsNumberOutOfRange(body) { return refuse(lineNumber) }
      guard readRow(body, lineNumber: lineNumber, timestamp: timestamp) else { return false }
      return accept(lineNumber, timestamp)
    }
    guard active, let build = current, readTrailer(text, build: build) else { return false }
    return accept(lineNumber, timestamp)
  }

  /// Whether line `lineNumber` falls inside a ` > [2/3] RUN …:` error block this reader is
  /// reading: its lines are this reader's even when they start with `#N ` (BuildKit before v0.12).
  package func isReadingErrorBlock(at lineNumber: Int) -> Bool {
    current?.trailer == .errorBlock && lineNumber == lastAccepted + 1
  }

  package func countUnrecognized(lineNumber: Int) -> Bool {
    guard let build = current, build.errorMessage == nil, build.previous == nil,
      !build.frame.finished
    else {
      return false
    }
    build.unrecognized += 1
    return true
  }

  package func finish() -> [ParsedBuild] {
    if let build = current { finished.append(build.parsed()) }
    current = nil
    let builds = finished
    finished = []
    return builds
  }

  private func refuse(_ lineNumber: Int) -> Bool {
    refusals.add(lineNumber: lineNumber)
    return false
  }

  /// Whether a row's duration, or a context size in a sub-row, is out of range.
  private static func holdsNumberOutOfRange(_ body: Substring) -> Bool {
    if body.hasPrefix("=> ") {
      let status = splitDuration(body.dropFirst(3).drop(while: { $0 == " " })).0
      guard status.hasPrefix("transferring context: ") else { return false }
      let size = status.dropFirst("transferring context: ".count).split(separator: " ").first ?? ""
      return parseBytes(size) == .outOfRange
    }
    return !body.hasPrefix("WARN: ") && splitDuration(body).1 == .outOfRange
  }

  // MARK: - Frames and rows

  private func accept(_ lineNumber: Int, _ timestamp: Date?) -> Bool {
    lastAccepted = lineNumber
    if let build = current {
      build.lastLine = lineNumber
      if let timestamp {
        if build.startedAt == nil { build.startedAt = timestamp }
        build.endedAt = timestamp
      }
    }
    return true
  }

  private func startBuild(_ frame: Frame) {
    if let build = current { finished.append(build.parsed()) }
    current = Build(frame: frame)
  }

  private func readHeader(_ frame: Frame) {
    guard let build = current else { return startBuild(frame) }
    if build.errorMessage != nil || build.frame.elapsed.map({ (frame.elapsed ?? 0) < $0 }) == true {
      return startBuild(frame)
    }
    if build.frame.finished, !build.frame.rows.isEmpty {
      build.previous = build.frame
      build.endBeforeFrame = (build.lastLine, build.endedAt)
    }
    build.frame = frame
  }

  /// Reads a ` => …` line; returns false when it cannot belong to any build.
  private func readRow(_ body: Substring, lineNumber: Int, timestamp: Date?) -> Bool {
    if body.hasPrefix("=> ") || body == "=>" {
      guard let build = current, !build.frame.rows.isEmpty else { return current != nil }
      readSubRow(body.dropFirst(2), build: build)
      return true
    }
    if body.hasPrefix("WARN: ") {
      guard let build = current else { return false }
      let (text, _) = Self.splitDuration(body.dropFirst(6))
      build.frame.warnings.append(String(text))
      return true
    }
    let row = Row(body)
    if current == nil || current?.errorMessage != nil {
      startBuild(Frame(line: lineNumber, timestamp: timestamp))
    }
    guard let build = current else { return false }
    if let previous = build.previous, build.frame.rows.isEmpty {
      build.previous = nil
      if !previous.rows.contains(where: { $0.name == row.name }) {
        let frame = build.frame
        build.frame = previous
        if let end = build.endBeforeFrame { (build.lastLine, build.endedAt) = end }
        startBuild(frame)
      }
      build.endBeforeFrame = nil
    }
    current?.frame.rows.append(row)
    return true
  }

  private func readSubRow(_ rest: Substring, build: Build) {
    let text = rest.drop(while: { $0 == " " })
    guard let last = build.frame.rows.indices.last else { return }
    if text.hasPrefix("#") {
      let log = text.dropFirst().hasPrefix(" ") ? text.dropFirst(2) : text.dropFirst()
      build.frame.rows[last].output.append(String(log))
      return
    }
    let status = Self.splitDuration(text).0
    if status.hasPrefix("naming to ") {
      var name = status.dropFirst("naming to ".count)
      if name.hasSuffix(" done") { name = name.dropLast(5) }
      let image = String(Self.trimTrailing(name))
      if !image.isEmpty, !build.frame.imageNames.contains(image) {
        build.frame.imageNames.append(image)
      }
    } else if status.hasPrefix("writing image sha256:")
      || status.hasPrefix("exporting manifest list sha256:")
    {
      if let digest = status.split(separator: " ").first(where: { $0.hasPrefix("sha256:") }) {
        build.frame.imageDigest = String(digest)
      }
    } else if status.hasPrefix("transferring context: "),
      build.frame.rows[last].name.hasSuffix("load build context")
    {
      let size = status.dropFirst("transferring context: ".count).split(separator: " ").first ?? ""
      if let bytes = Self.parseBytes(size)?.value { build.frame.rows[last].contextBytes = bytes }
    }
  }

  // MARK: - Trailers

  private func readErrorBlockLine(_ text: Substring, build: Build) {
    if text == "------" {
      build.trailer = .none
      return
    }
    guard let index = build.errorBlocks.indices.last else { return }
    build.errorBlocks[index].output.append(Self.dropElapsed(Self.dropVertexNumber(text)))
  }

  private func readTrailer(_ text: Substring, build: Build) -> Bool {
    if build.trailer == .errorBlockStart {
      build.trailer = .none
      if text.hasPrefix(" > "), text.hasSuffix(":") {
        build.errorBlocks.append(ErrorBlock(name: String(text.dropFirst(3).dropLast())))
        build.trailer = .errorBlock
        return true
      }
    }
    if text.isEmpty { return true }
    if text == "------" {
      build.trailer = .errorBlockStart
      return true
    }
    let trimmed = text.drop(while: { $0 == " " })
    if build.trailer == .warnings, text.first == " " {
      if trimmed.hasPrefix("- ") { build.summaryWarnings.append(String(trimmed.dropFirst(2))) }
      return true
    }
    if Self.isWarningSummary(trimmed) {
      build.trailer = .warnings
      return true
    }
    if Self.isSnippetHeader(text) {
      build.trailer = .snippet
      return true
    }
    if text.count >= 10, text.allSatisfy({ $0 == "-" }) { return true }
    if build.trailer == .snippet, Self.isSnippetLine(trimmed) { return true }
    build.trailer = .none
    if let message = FinalErrorLine.message(text) {
      build.errorMessage = message
      return true
    }
    if text.hasPrefix("error: ") {
      build.errorMessage = String(text.dropFirst(7))
      return true
    }
    return text.hasPrefix("View build details: ")
  }

  // MARK: - Line shapes

  private static func trimTrailing(_ s: Substring) -> Substring {
    var end = s.endIndex
    while end > s.startIndex {
      let before = s.index(before: end)
      guard s[before].isWhitespace else { break }
      end = before
    }
    return s[s.startIndex..<end]
  }

  /// The text after the leading ` => ` of a row, or nil.
  private static func rowBody(_ text: Substring) -> Substring? {
    let body = text.drop(while: { $0 == " " })
    guard body.hasPrefix("=> ") else { return nil }
    return body.dropFirst(3)
  }

  /// Splits a trailing ` 12.3s` timer off a row.
  fileprivate static func splitDuration(_ text: Substring) -> (
    Substring, LogNumber.Checked<Double>?
  ) {
    guard let space = text.lastIndex(of: " ") else { return (text, nil) }
    let token = text[text.index(after: space)...]
    let number = token.dropLast()
    guard token.last == "s", number.first.map(isDigit) == true,
      number.allSatisfy({ isDigit($0) || $0 == "." }), let seconds = LogNumber.wholeDecimal(number)
    else { return (text, nil) }
    return (trimTrailing(text[..<space]), LogNumber.seconds(seconds))
  }

  /// Removes the `#9 ` that error-block lines carried before BuildKit v0.12.
  private static func dropVertexNumber(_ text: Substring) -> Substring {
    guard text.first == "#" else { return text }
    let digits = text.dropFirst().prefix(while: isDigit)
    let rest = text.dropFirst(1 + digits.count)
    guard !digits.isEmpty, rest.first == " " || rest.isEmpty else { return text }
    return rest.dropFirst()
  }

  /// Removes the elapsed-time prefix (`8.842 `) of an error-block line.
  private static func dropElapsed(_ text: Substring) -> String {
    guard let space = text.firstIndex(of: " ") else { return String(text) }
    let head = text[..<space]
    let digits = head.hasPrefix("-") ? head.dropFirst() : head
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isDigit) }) else {
      return String(text)
    }
    return String(text[text.index(after: space)...])
  }

  private static func isWarningSummary(_ text: Substring) -> Bool {
    let digits = text.prefix(while: isDigit)
    guard !digits.isEmpty else { return false }
    let rest = text.dropFirst(digits.count)
    return (rest.hasPrefix(" warning found") || rest.hasPrefix(" warnings found"))
  }

  /// `Dockerfile:19`: the file and line of the source snippet.
  private static func isSnippetHeader(_ text: Substring) -> Bool {
    guard let colon = text.lastIndex(of: ":"), colon > text.startIndex else { return false }
    let number = text[text.index(after: colon)...]
    return !number.isEmpty && number.allSatisfy(isDigit) && !text[..<colon].contains(" ")
  }

  /// `  19 | >>> RUN …` or `  20 |`.
  private static func isSnippetLine(_ trimmed: Substring) -> Bool {
    let digits = trimmed.prefix(while: isDigit)
    return !digits.isEmpty && trimmed.dropFirst(digits.count).hasPrefix(" |")
  }

  private static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

  /// Parses `98.31MB`, `2B`, `1.5 kB` (decimal units, as BuildKit prints them).
  fileprivate static func parseBytes(_ text: Substring) -> LogNumber.Checked<Int64>? {
    LogNumber.size(text)
  }
}

extension TTYReader {
  /// `[+] Building 14.2s (12/12) FINISHED   docker:default`.
  fileprivate struct Header {
    var elapsed: Double
    /// The elapsed time is not seconds from 0 to 30 days: the line is refused.
    var elapsedOutOfRange = false
    var finished: Bool
    var builderName: String?
    var driver: String?

    init?(_ text: Substring) {
      guard text.hasPrefix("[+] Building ") else { return nil }
      let rest = text.dropFirst("[+] Building ".count)
      guard let s = rest.firstIndex(of: "s"), let elapsed = LogNumber.wholeDecimal(rest[..<s])
      else { return nil }
      var tail = rest[rest.index(after: s)...]
      guard tail.hasPrefix(" ("), let close = tail.firstIndex(of: ")") else { return nil }
      let counts = tail[tail.index(tail.startIndex, offsetBy: 2)..<close].split(separator: "/")
      guard counts.count == 2, counts.allSatisfy({ Int($0) != nil }) else { return nil }
      self.elapsed = elapsed
      elapsedOutOfRange = LogNumber.seconds(elapsed) == .outOfRange
      tail = tail[tail.index(after: close)...].drop(while: { $0 == " " })
      finished = tail.hasPrefix("FINISHED")
      if finished { tail = tail.dropFirst("FINISHED".count).drop(while: { $0 == " " }) }
      let desc = tail.split(separator: " ").last.map(String.init) ?? ""
      if let colon = desc.firstIndex(of: ":"), colon > desc.startIndex,
        desc.index(after: colon) < desc.endIndex
      {
        driver = String(desc[..<colon])
        builderName = String(desc[desc.index(after: colon)...])
      }
    }
  }

  /// A top-level ` => ` row: one step.
  fileprivate struct Row {
    var name: String
    /// The status its prefix gives (`CACHED`, `ERROR`, `CANCELED`), if any.
    var flag: StepStatus?
    var duration: Double?
    var output = LineTail()
    var contextBytes: Int64?

    init(_ body: Substring) {
      let (text, seconds) = TTYReader.splitDuration(body)
      var name = text
      var cached = false
      var error = false
      var canceled = false
      while true {
        if name.hasPrefix("CACHED ") {
          cached = true
          name = name.dropFirst(7)
        } else if name.hasPrefix("ERROR ") {
          error = true
          name = name.dropFirst(6)
        } else if name.hasPrefix("CANCELED ") {
          canceled = true
          name = name.dropFirst(9)
        } else {
          break
        }
      }
      self.name = String(name)
      flag = error ? .error : canceled ? .canceled : cached ? .cached : nil
      duration = seconds?.value
    }
  }

  /// One redraw of the display: its header (none in excerpts) and rows.
  fileprivate struct Frame {
    var elapsed: Double?
    var finished = false
    var builderName: String?
    var driver: String?
    var rows: [Row] = []
    var warnings: [String] = []
    var imageNames: [String] = []
    var imageDigest: String?
    /// The line and time of its header, or of its first row when it has none.
    var firstLine: Int
    var startedAt: Date?

    init(line: Int, timestamp: Date?) {
      firstLine = line
      startedAt = timestamp
    }

    init(header: Header, line: Int, timestamp: Date?) {
      firstLine = line
      startedAt = timestamp
      elapsed = header.elapsed
      finished = header.finished
      builderName = header.builderName
      driver = header.driver
    }
  }

  /// A ` > [2/3] RUN …:` block of the failed step's log.
  fileprivate struct ErrorBlock {
    var name: String
    var output = LineTail()
  }

  /// Which trailer the last lines were in.
  fileprivate enum Trailer { case none, errorBlockStart, errorBlock, snippet, warnings }

  /// A build being read.
  fileprivate final class Build {
    var frame: Frame
    /// The FINISHED frame before `frame`, kept until `frame`'s first row shows whether it continues it.
    var previous: Frame?
    /// The build's last line and time before `frame`'s header, restored if `frame` turns out to start a new build.
    var endBeforeFrame: (lastLine: Int, endedAt: Date?)?
    var errorBlocks: [ErrorBlock] = []
    var summaryWarnings: [String] = []
    var errorMessage: String?
    var trailer = Trailer.none
    var firstLine: Int
    var lastLine: Int
    var startedAt: Date?
    var endedAt: Date?
    var unrecognized = 0

    init(frame: Frame) {
      self.frame = frame
      firstLine = frame.firstLine
      lastLine = frame.firstLine
      startedAt = frame.startedAt
    }

    func parsed() -> ParsedBuild {
      let last = frame.rows.isEmpty ? (previous ?? frame) : frame
      var steps = last.rows.enumerated().map { index, row in
        ParsedStep(
          vertex: index + 1, name: row.name,
          status: row.flag ?? (row.duration != nil || last.finished ? .done : .unfinished),
          duration: row.duration, outputLineCount: row.output.count, outputTail: row.output.lines)
      }
      for block in errorBlocks {
        let matches = { (step: ParsedStep) in
          step.name == block.name || block.name.hasPrefix(step.name)
        }
        guard
          let index = steps.firstIndex(where: { $0.status == .error && matches($0) })
            ?? steps.firstIndex(where: matches)
        else { continue }
        let lines = block.output.lines
        if block.output.count >= steps[index].outputLineCount {
          steps[index].outputLineCount = block.output.count
          steps[index].outputTail = lines
        }
        if steps[index].errorText == nil, !lines.isEmpty {
          steps[index].errorText = lines.joined(separator: "\n")
        }
      }
      let failing = steps.indices.filter {
        steps[$0].status == .error && steps[$0].errorText == nil
      }
      if failing.count == 1, let message = errorMessage {
        var text = Substring(message)
        for wrapper in ["failed to build: ", "failed to solve: "] where text.hasPrefix(wrapper) {
          text = text.dropFirst(wrapper.count)
        }
        steps[failing[0]].errorText = String(text)
      }
      let outcome: BuildOutcome
      if steps.contains(where: { $0.status == .error && !BuilderEvidence.isNonFatal($0) })
        || errorBlocks.contains(where: { StepName($0.name).kind != .cacheImport })
      {
        outcome = .failed
      } else if let message = errorMessage {
        outcome = message.hasSuffix("context canceled") ? .canceled : .failed
      } else if last.finished {
        outcome = steps.contains(where: { $0.status == .canceled }) ? .canceled : .success
      } else {
        outcome = .unknown
      }
      var warnings: [String] = []
      for warning in last.warnings + summaryWarnings where !warnings.contains(warning) {
        warnings.append(warning)
      }
      let context = last.rows.compactMap(\.contextBytes)
      return ParsedBuild(
        format: .tty, steps: steps, outcome: outcome, builderName: last.builderName,
        driver: last.driver,
        errorMessage: errorMessage, warnings: warnings, imageNames: last.imageNames,
        imageDigest: last.imageDigest,
        contextTransferBytes: context.isEmpty ? nil : LogNumber.total(context).value,
        startedAt: startedAt, endedAt: endedAt,
        unrecognizedLineCount: unrecognized, firstLine: firstLine, lastLine: lastLine)
    }
  }
}
