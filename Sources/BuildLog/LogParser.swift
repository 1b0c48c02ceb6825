import Foundation

/// Turns a build log into builds and steps, streaming: memory stays bounded whatever the log's size.
///
/// Feed it chunks of bytes in order, then call ``finish()``. It reads BuildKit's plain output (old
/// and new), rawjson, the tty display's last frame and the legacy builder, through CI decorations
/// (GitHub Actions timestamps, `gh run view --log` columns, ANSI colours, CRLF, GitLab section markers).
/// A log that holds several builds yields several builds. Lines it does not understand are counted.
///
/// Its state is read and written only from its own methods, which never call out to code that could
/// reach the parser again, so the per-line fields skip the runtime exclusivity check
/// (`@exclusivity(unchecked)`, as do the plain reader's per-line fields): checked, they added about
/// 45 % to `record`'s CPU time. The fields of `OutputTail`, which
/// keeps a step's last lines, are exempt for the same reason; no other field of the module is.
public final class LogParser {
  @exclusivity(unchecked) private var splitter = LineSplitter()
  @exclusivity(unchecked) private var cleaner = LineCleaner()
  private let plain = PlainReader()
  private let others: [any LineReader]
  /// The reader that took the last line, asked first for the next line that is not a vertex line.
  @exclusivity(unchecked) private var active: (any LineReader)?
  @exclusivity(unchecked) private var plainIsActive = false
  @exclusivity(unchecked) private var lineNumber = 0
  @exclusivity(unchecked) private var byteCount: Int64 = 0
  @exclusivity(unchecked) private var unrecognized = 0
  @exclusivity(unchecked) private var invalidUTF8 = 0
  @exclusivity(unchecked) private var containsNUL = false
  @exclusivity(unchecked) private var lastJob: [UInt8] = []
  /// Lines refused by the cleaner (a CI timestamp out of range).
  @exclusivity(unchecked) private var refusals = Refusals()
  /// A line to show when no build is found, and whether it looks like BuildKit's.
  @exclusivity(unchecked) private var sample: (text: String, looksLikeBuildKit: Bool)?
  /// The first 1,000 unrecognised lines' numbers, for diagnostics.
  package private(set) var unrecognizedLineNumbers: [Int] = []

  /// A parser with no input yet, with every format's reader ready.
  public init() {
    others = makeFormatReaders()
  }

  /// Reads the next chunk of the log.
  public func feed(_ chunk: UnsafeRawBufferPointer) {
    byteCount += Int64(chunk.count)
    splitter.feed(chunk) { read($0) }
  }

  /// Reads the next chunk of the log.
  public func feed(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { feed($0) }
  }

  /// Ends the log and returns what it held.
  public func finish() -> ParsedLog {
    splitter.finish { read($0) }
    var builds = plain.finish()
    for reader in others { builds += reader.finish() }
    builds.sort { $0.firstLine < $1.firstLine }
    var refused = refusals
    refused.add(plain.refusals)
    for reader in others { refused.add(reader.refusals) }
    return ParsedLog(
      builds: builds, lineCount: lineNumber, byteCount: byteCount,
      unrecognizedLineCount: unrecognized,
      invalidUTF8LineCount: invalidUTF8, cutLineCount: splitter.cutLineCount,
      containsNUL: containsNUL || splitter.droppedNUL,
      refusedLineCount: refused.count, refusedLineNumbers: refused.lineNumbers,
      sampleLine: sample?.text, prefixTried: (cleaner.learned ?? cleaner.lastTried)?.description)
  }

  /// Parses a whole log held in memory (tests, small logs).
  public static func parse(_ bytes: [UInt8]) -> ParsedLog {
    let parser = LogParser()
    parser.feed(bytes)
    return parser.finish()
  }

  /// Parses the file at `path`, reading it in chunks.
  public static func parse(fileAt path: String) throws -> ParsedLog {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw LogReadError(path: path, errno: errno)
    }
    defer { try? handle.close() }
    let parser = LogParser()
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      chunk.withUnsafeBytes { parser.feed($0) }
    }
    return parser.finish()
  }

  private func read(_ raw: ByteSpan) {
    lineNumber += 1
    let classes = ByteClasses(of: raw)
    if classes.nonASCII, !raw.isValidUTF8 { invalidUTF8 += 1 }
    if classes.nul { containsNUL = true }
    if sample?.looksLikeBuildKit != true { keepSample(raw) }
    let line =
      cleaner.isClean(raw, classes) ? CleanLine(text: raw) : cleaner.clean(raw, classes: classes)
    if let job = line.job, !job.equals(lastJob) {
      lastJob = job.array
      plain.select(job: job.string)
    }
    if line.timestampOutOfRange {
      refusals.add(lineNumber: lineNumber)
      return countUnrecognized()
    }
    let text = line.text
    if let tty = active as? TTYReader, tty.isReadingErrorBlock(at: lineNumber),
      tty.read(
        decode(text), lineNumber: lineNumber,
        timestamp: line.timestamp.map { Date(timeIntervalSince1970: $0) })
    {
      return
    }
    if text.count > 1, text[0] == UInt8(ascii: "#"), text[1] >= 0x30, text[1] <= 0x39 {
      let verdict = plain.readVertexLine(text, lineNumber: lineNumber, timestamp: line.timestamp)
      if verdict != .other {
        plainIsActive = true
        active = nil
        if verdict == .refused { countUnrecognized() }
        return
      }
    }
    if plainIsActive, plain.readOtherLine(text, lineNumber: lineNumber, timestamp: line.timestamp) {
      return
    }
    let string = decode(text)
    let date = line.timestamp.map { Date(timeIntervalSince1970: $0) }
    if let service = ComposeBuildingLine.service(string) {
      plain.announce(service: service, lineNumber: lineNumber)
    }
    if let reader = active, reader.read(string, lineNumber: lineNumber, timestamp: date) { return }
    for reader in others where reader !== active {
      if reader.read(string, lineNumber: lineNumber, timestamp: date) {
        active = reader
        plainIsActive = false
        return
      }
    }
    if !plainIsActive, plain.readOtherLine(text, lineNumber: lineNumber, timestamp: line.timestamp)
    {
      plainIsActive = true
      active = nil
      return
    }
    countUnrecognized()
  }

  private func keepSample(_ raw: ByteSpan) {
    let text = raw.prefix(160)
    guard text.count > 0, text.trimmingTrailingSpaces().count > 0 else { return }
    let looks =
      text.firstIndex(of: UInt8(ascii: "#")) != nil || text.firstIndex(of: UInt8(ascii: "=")) != nil
      || decode(text).contains("Step ")
    guard sample == nil || looks else { return }
    let printable = decode(text).unicodeScalars.map {
      $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0)
    }
    sample = (String(printable), looks)
  }

  private func countUnrecognized() {
    unrecognized += 1
    if unrecognizedLineNumbers.count < 1000 { unrecognizedLineNumbers.append(lineNumber) }
    if plainIsActive || active == nil {
      _ = plain.countUnrecognized(lineNumber: lineNumber)
    } else if let reader = active {
      _ = reader.countUnrecognized(lineNumber: lineNumber)
    }
  }

  private func decode(_ text: ByteSpan) -> String {
    String(decoding: UnsafeBufferPointer(start: text.base, count: text.count), as: UTF8.self)
  }
}

/// A log file could not be opened or read.
public struct LogReadError: Error, LocalizedError, Equatable {
  /// The path that failed, `-` for standard input.
  public var path: String
  /// The `errno` of the failed open or read.
  public var errno: Int32

  /// The failure to read `path` with `errno`.
  public init(path: String, errno: Int32) {
    self.path = path
    self.errno = errno
  }
  /// `cannot read PATH: REASON`, with `strerror`'s reason.
  public var errorDescription: String? {
    "cannot read \(path == "-" ? "standard input" : path): \(String(cString: strerror(errno)))"
  }
}
