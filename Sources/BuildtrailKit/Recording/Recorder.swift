import BuildLog
import BuildStore
import Foundation

/// What recording a log did: the builds found and whether each was new, plus warnings to show.
public struct RecordReport: Sendable {
  /// One build of the log.
  public struct Entry: Sendable {
    /// Whether it was stored now or was already, and its id.
    public var result: RecordResult
    /// The build as read from the log.
    public var build: ParsedBuild
  }
  /// The builds found, in log order.
  public var entries: [Entry]
  /// Things the user should know although the builds were recorded (truncated log, cut lines…).
  public var warnings: [String]
  /// The whole log as read, with its counters.
  public var log: ParsedLog
  /// The wrapped command's exit code, for `record --`.
  public var exitCode: Int32?
}

/// Records logs into the history: parse, hash, attach metadata, store all builds of a log at once.
public struct Recorder: Sendable {
  /// The history the builds are recorded into.
  public let store: BuildStore

  /// A recorder into `store`.
  public init(store: BuildStore) {
    self.store = store
  }

  /// Records the log at `path` (`-` for standard input).
  public func record(logAt path: String, metadata: RecordMetadata, now: Date = Date()) throws
    -> RecordReport
  {
    let (log, digest) = try Self.parse(path)
    return try store(
      log, digest: digest, path: path, metadata: metadata, now: now, exitCode: nil, started: nil,
      ended: nil)
  }

  /// Records the output of a build that `record --` ran, kept at `path`, with the build's exit code
  /// and times when they are known.
  func record(
    spooledLogAt path: String, metadata: RecordMetadata, exitCode: Int32?, started: Date?,
    ended: Date?
  ) throws -> RecordReport {
    let (log, digest) = try Self.parse(path)
    return try store(
      log, digest: digest, path: nil, metadata: metadata, now: Date(), exitCode: exitCode,
      started: started, ended: ended)
  }

  /// Reads, hashes and parses the log at `path` (`-` for standard input): the log and its SHA-256.
  static func parse(_ path: String) throws -> (ParsedLog, String) {
    let parsed: (log: ParsedLog, digest: String, binary: Bool)
    do {
      parsed = try HashingParser().run(path: path)
    } catch let error as LogReadError {
      throw BuildtrailError.cannotReadLog(path, reason: String(cString: strerror(error.errno)))
    }
    // Input cut short as binary is never a log, even when its bytes happened to look like one.
    if parsed.binary { throw BuildtrailError.binaryLog(path) }
    return (parsed.log, parsed.digest)
  }

  func store(
    _ log: ParsedLog, digest: String, path: String?, metadata: RecordMetadata, now: Date,
    exitCode: Int32?,
    started: Date?, ended: Date?
  ) throws -> RecordReport {
    let name = path ?? "the build output"
    var log = log
    if let services = metadata.composeServices { log = log.splitByService(services: services) }
    if let only = metadata.onlyService, !log.builds.isEmpty {
      let found = Set(log.builds.compactMap(\.service)).sorted()
      log.builds = log.builds(forService: only)
      if log.builds.isEmpty {
        throw BuildtrailError.invalidArgument(
          "no build of service \(only) in \(name) (services in the log: \(found.isEmpty ? "none" : found.joined(separator: ", "))); pass --service with one of them"
        )
      }
    }
    guard !log.builds.isEmpty else {
      if log.byteCount == 0 { throw BuildtrailError.emptyLog(name) }
      if log.containsNUL { throw BuildtrailError.binaryLog(name) }
      throw BuildtrailError.noBuildFound(
        name, lines: log.lineCount, sample: log.sampleLine, prefix: log.prefixTried)
    }
    let single = log.builds.count == 1
    let builds = log.builds.enumerated().map { index, build in
      let metadata = metadata.metadata(for: build)
      var new = NewBuild(
        parsed: build, logSHA256: digest, buildIndex: index, recordedAt: now,
        startedAt: single ? started : nil, endedAt: single ? ended : nil,
        exitCode: single ? exitCode.map(Int.init) : nil, logPath: path == "-" ? nil : path,
        logBytes: log.byteCount, logLines: log.lineCount, command: metadata.command,
        target: metadata.target,
        labels: metadata.labels, git: metadata.git, ci: metadata.ci, context: metadata.context,
        inputs: metadata.inputs, contextManifest: metadata.contextManifest,
        daemonImageIDs: metadata.daemonImageIDs)
      new.buildArguments = metadata.buildArguments
      new.cachePlumbing = metadata.cachePlumbing
      new.failure = FailureExtractor.storedFailure(of: new)
      return new
    }
    let results = try store.record(builds)
    return RecordReport(
      entries: zip(results, builds).map { result, new in
        var build = new.parsed
        build.outcome = new.outcome
        return RecordReport.Entry(result: result, build: build)
      },
      warnings: Self.warnings(for: log, name: name), log: log, exitCode: exitCode)
  }

  static func warnings(for log: ParsedLog, name: String) -> [String] {
    var warnings: [String] = []
    for (index, build) in log.builds.enumerated() {
      let unfinished = build.steps.filter { $0.status == .unfinished }.count
      let which = log.builds.count > 1 ? "build \(index + 1) of \(log.builds.count)" : "the build"
      if build.outcome == .unknown {
        warnings.append(
          "\(which) in \(name) ends before saying how it ended (truncated log?); recorded with outcome unknown"
            + (unfinished > 0 ? ", \(unfinished) step\(unfinished == 1 ? "" : "s") unfinished" : "")
        )
      }
    }
    if log.invalidUTF8LineCount > 0 {
      warnings.append(
        "\(log.invalidUTF8LineCount) lines of \(name) are not valid UTF-8; they were read with U+FFFD in place of bad bytes"
      )
    }
    if log.cutLineCount > 0 {
      warnings.append(
        "\(log.cutLineCount) lines of \(name) are longer than 1 MiB; only their first 1 MiB was read"
      )
    }
    if log.refusedLineCount > 0 {
      let count = log.refusedLineCount
      let lines = log.refusedLineNumbers.map(String.init).joined(separator: ", ")
      warnings.append(
        "\(count) line\(count == 1 ? "" : "s") of \(name) (\(count == 1 ? "line" : "lines") \(lines)"
          + "\(count > log.refusedLineNumbers.count ? ", …" : "")) \(count == 1 ? "holds a number" : "hold numbers")"
          + " out of range (negative, NaN, infinite, a duration over 30 days, a size over 1 PB or a time outside"
          + " 1970–2199); not stored, counted as unrecognised")
    }
    if log.containsNUL {
      warnings.append("\(name) holds NUL bytes; the text around them was read as usual")
    }
    return warnings
  }
}

/// The size of the chunks ``readChunks(path:nextBuffer:_:)`` reads.
let chunkBytes = 1 << 20

/// Reads a file, FIFO, device (or standard input, for `-`) in 1 MiB chunks. Stops after the first
/// MiB when it was all NUL bytes (`/dev/zero`, a disk image), or held NUL bytes and came from a
/// device (`/dev/urandom`): such input is binary, not a log, and may never end.
/// Returns whether reading stopped early because the input is binary.
///
/// Each chunk is read into the buffer `nextBuffer` returns (``chunkBytes`` or more), by default one
/// buffer of its own; `body` reads it before the next call to `nextBuffer`.
@discardableResult
func readChunks(
  path: String, nextBuffer: (() -> UnsafeMutableRawPointer)? = nil,
  _ body: (UnsafeRawBufferPointer) -> Void
) throws -> Bool {
  let fd = path == "-" ? 0 : open(path, O_RDONLY)
  guard fd >= 0 else { throw LogReadError(path: path, errno: errno) }
  defer { if fd != 0 { close(fd) } }
  var info = stat()
  let type = fstat(fd, &info) == 0 ? info.st_mode & S_IFMT : 0
  if type == S_IFDIR { throw LogReadError(path: path, errno: EISDIR) }
  let isDevice = type == S_IFCHR || type == S_IFBLK
  let size = chunkBytes
  let own = UnsafeMutableRawPointer.allocate(byteCount: nextBuffer == nil ? size : 1, alignment: 16)
  defer { own.deallocate() }
  var total = 0
  var allNUL = true
  var anyNUL = false
  while true {
    let buffer = nextBuffer?() ?? own
    let n = read(fd, buffer, size)
    if n < 0 {
      if errno == EINTR { continue }
      throw LogReadError(path: path, errno: errno)
    }
    if n == 0 { return false }
    let chunk = UnsafeRawBufferPointer(start: buffer, count: n)
    body(chunk)
    guard total < size else { continue }
    total += n
    allNUL = allNUL && !chunk.contains { $0 != 0 }
    anyNUL = anyNUL || memchr(buffer, 0, n) != nil
    if total >= size, allNUL || (isDevice && anyNUL) { return true }
  }
}
