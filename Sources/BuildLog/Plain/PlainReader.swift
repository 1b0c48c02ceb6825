import Foundation

/// Reads BuildKit's `--progress=plain` format, old (`#N sha256:` lines) and new (`#0 building with`).
///
/// Works on bytes: a line is classified by its `#N` prefix and the shape of what follows (header,
/// status, log line, terminal line), and only names, statuses and errors become Strings.
final class PlainReader {
  @exclusivity(unchecked) private var open: [String: PlainBuildState] = [:]
  private var finished: [PlainBuildState] = []
  @exclusivity(unchecked) private var currentJob = ""
  @exclusivity(unchecked) private var current: PlainBuildState? {
    didSet { currentRef = current.map(Unmanaged.passUnretained) }
  }
  /// ``current`` without a reference, for the per-line path (``readLogLine(_:number:lineNumber:timestamp:)``).
  @exclusivity(unchecked) private var currentRef: Unmanaged<PlainBuildState>?
  /// The service a compose v1 `Building NAME` line announced, and its line number, for a build
  /// that opens within ``announcementReach`` lines (after a banner or warnings, not after a legacy build).
  @exclusivity(unchecked) private var announcedService: (name: String, lineNumber: Int)?
  private static let announcementReach = 20
  /// Lines refused for a number out of range.
  package private(set) var refusals = Refusals()

  /// Selects the build stream (the CI job) the next lines belong to.
  func select(job: String) {
    guard job != currentJob else { return }
    if let c = current { open[currentJob] = c }
    currentJob = job
    current = open[job]
  }

  /// Compose v1 printed `Building NAME` before running `docker build` for service NAME: the build
  /// read so far is over, and the next one is that service's.
  func announce(service: String, lineNumber: Int) {
    if let c = current, c.hasVertices { close(c) }
    announcedService = (service, lineNumber)
  }

  /// Reads a line that starts with `#`: a vertex line, one refused for a number out of range, or another line.
  func readVertexLine(_ text: ByteSpan, lineNumber: Int, timestamp: Double?) -> LineVerdict {
    guard let (number, digits) = text.dropFirst(1).leadingInteger() else { return .other }
    let after = 1 + digits
    if after < text.count && text[after] != 0x20 { return .other }
    let payload = text.dropFirst(after + 1)
    if readLogLine(payload, number: number, lineNumber: lineNumber, timestamp: timestamp) {
      return .read
    }
    if number != 0, Self.holdsNumberOutOfRange(payload) {
      refusals.add(lineNumber: lineNumber)
      return .refused
    }

    if number == 0 {
      if payload.hasPrefix("building with ") {
        if let c = current, c.hasVertices, !c.isOnlyBootDisplay || c.closed { close(c) }
        let build = openBuild(lineNumber: lineNumber)
        if build.hasVertices, build.isOnlyBootDisplay { build.restartNumbering() }
        readBuilder(payload.string, into: build)
      } else {
        _ = openBuild(lineNumber: lineNumber)
      }
      touch(lineNumber: lineNumber, timestamp: timestamp)
      return .read
    }

    var build = openBuild(lineNumber: lineNumber)
    build.inTrailer = false
    build.inErrorBlock = false
    build.inWarningsSummary = false

    if number == 1, let vertex = build.existing(number), vertex.isTerminal,
      payload.hasPrefix("[") || payload.trimmingTrailingSpaces().equals(vertex.nameBytes),
      build.hasRunItsSteps
    {
      close(build)
      build = openBuild(lineNumber: lineNumber)
    }
    touch(build, lineNumber: lineNumber, timestamp: timestamp)

    if let v = build.existing(number), !v.name.isEmpty {
      if readTerminalOrLog(payload, vertex: v, build: build, timestamp: timestamp) { return .read }
      let header = payload.trimmingTrailingSpaces()
      if header.equals(v.nameBytes) || v.addOtherName(header) {
        build.lastVertexLineWasTerminal = false
        return .read
      }
      readStatus(payload, vertex: v, build: build)
      build.lastVertexLineWasTerminal = false
      return .read
    }
    let v = build.vertex(number)
    if readTerminalOrLog(payload, vertex: v, build: build, timestamp: timestamp) { return .read }
    v.setName(payload.trimmingTrailingSpaces())
    build.lastVertexLineWasTerminal = false
    return .read
  }

  /// Reads a line that does not start with `#N` but belongs to a plain build: a blank line,
  /// the raw continuation of a partial log line, or a trailer (error block, snippet, warnings, final error).
  func readOtherLine(_ text: ByteSpan, lineNumber: Int, timestamp: Double?) -> Bool {
    let trimmed = text.trimmingTrailingSpaces()
    if let build = current, !build.closed || build.inTrailer {
      if trimmed.isEmpty {
        build.continuingVertex = nil
        touch(lineNumber: lineNumber, timestamp: timestamp)
        return true
      }
      if let v = build.continuingVertex {
        v.tail.extendLast(text)
        touch(lineNumber: lineNumber, timestamp: timestamp)
        return true
      }
    }
    guard
      let build = current
        ?? (Self.finalError(trimmed) != nil ? openBuild(lineNumber: lineNumber) : nil)
    else { return false }
    if trimmed.hasPrefix("------") {
      if trimmed.count == 6 { build.inErrorBlock.toggle() }
      build.inTrailer = true
      touch(lineNumber: lineNumber, timestamp: timestamp)
      return true
    }
    if build.inErrorBlock {
      touch(lineNumber: lineNumber, timestamp: timestamp)
      return true
    }
    if let message = Self.finalError(trimmed) {
      if build.errorMessage == nil { build.errorMessage = message }
      build.closed = true
      build.inTrailer = true
      touch(lineNumber: lineNumber, timestamp: timestamp)
      return true
    }
    guard build.hasVertices || build.inTrailer else { return false }
    if isWarningsHeader(trimmed) {
      build.inWarningsSummary = true
      build.inTrailer = true
      touch(lineNumber: lineNumber, timestamp: timestamp)
      return true
    }
    if build.inWarningsSummary, trimmed.hasPrefix(" - ") {
      let warning = trimmed.dropFirst(3).string
      if !build.warnings.contains(warning) { build.warnings.append(warning) }
      touch(lineNumber: lineNumber, timestamp: timestamp)
      return true
    }
    if isSnippetLine(trimmed, inTrailer: build.inTrailer)
      || trimmed.hasPrefix("View build details: ")
      || trimmed.hasPrefix("##[error]buildx failed with: ")
    {
      build.inTrailer = true
      touch(lineNumber: lineNumber, timestamp: timestamp)
      return true
    }
    return false
  }

  /// Counts an unrecognised line toward the open build, if there is one.
  func countUnrecognized(lineNumber: Int) -> Bool {
    guard let build = current, !build.closed || build.inTrailer else { return false }
    build.unrecognizedLineCount += 1
    build.continuingVertex = nil
    return true
  }

  var hasOpenBuild: Bool { current != nil }

  /// Ends the input: every build, in order of first line.
  func finish() -> [ParsedBuild] {
    if let c = current { open[currentJob] = c }
    for (_, b) in open where b.hasVertices || b.errorMessage != nil { finished.append(b) }
    open = [:]
    current = nil
    let builds = finished.sorted { $0.firstLine < $1.firstLine }.map { $0.build() }
    return Self.droppingEchoes(builds)
  }

  /// Drops a build that repeats the one before it step for step with no timestamps to tell them
  /// apart: wrappers such as Kamal print a failed build's output a second time.
  static func droppingEchoes(_ builds: [ParsedBuild]) -> [ParsedBuild] {
    var kept: [ParsedBuild] = []
    for b in builds {
      if let previous = kept.last, previous.job == b.job, previous.startedAt == nil,
        b.startedAt == nil,
        previous.steps.map(\.name) == b.steps.map(\.name),
        previous.steps.map(\.status) == b.steps.map(\.status),
        previous.steps.map(\.duration) == b.steps.map(\.duration)
      {
        kept[kept.count - 1].lastLine = b.lastLine
        kept[kept.count - 1].unrecognizedLineCount += b.unrecognizedLineCount
        continue
      }
      kept.append(b)
    }
    return kept
  }

  // MARK: - Lines

  @inline(__always)
  private func openBuild(lineNumber: Int) -> PlainBuildState {
    if let c = current, !c.closed { return c }
    return startBuild(lineNumber: lineNumber)
  }

  /// ``openBuild(lineNumber:)`` when no build is open.
  private func startBuild(lineNumber: Int) -> PlainBuildState {
    if let c = current { close(c) }
    let b = PlainBuildState(firstLine: lineNumber)
    b.job = currentJob.isEmpty ? nil : currentJob
    if let announced = announcedService, lineNumber - announced.lineNumber <= Self.announcementReach
    {
      b.service = announced.name
    }
    announcedService = nil
    current = b
    return b
  }

  private func close(_ build: PlainBuildState) {
    if build.hasVertices || build.errorMessage != nil { finished.append(build) }
    if current === build { current = nil }
  }

  private func touch(lineNumber: Int, timestamp: Double?) {
    guard let b = current else { return }
    touch(b, lineNumber: lineNumber, timestamp: timestamp)
  }

  /// ``touch(lineNumber:timestamp:)`` for `b`, the current build.
  @inline(__always)
  private func touch(_ b: PlainBuildState, lineNumber: Int, timestamp: Double?) {
    b.lastLine = lineNumber
    if let t = timestamp {
      if b.firstTimestamp == nil { b.firstTimestamp = t }
      b.lastTimestamp = t
    }
  }

  /// The most common vertex line, `#N 12.345 text` (a log line of a named vertex of the open build),
  /// read as the rest of ``readVertexLine(_:lineNumber:timestamp:)`` would read it, but without
  /// retaining the build or the vertex (two retain/release pairs a line); false for any other line,
  /// left untouched for the general path. `#1` always takes the general path, which may start a build.
  @inline(__always)
  private func readLogLine(_ payload: ByteSpan, number: Int, lineNumber: Int, timestamp: Double?)
    -> Bool
  {
    guard number > 1, let buildRef = currentRef else { return false }
    return buildRef._withUnsafeGuaranteedRef { build in
      guard !build.closed, let vertexRef = build.unretained(number) else { return false }
      return vertexRef._withUnsafeGuaranteedRef { v in
        guard !v.name.isEmpty, let text = Self.stampedText(payload) else { return false }
        build.inTrailer = false
        build.inErrorBlock = false
        build.inWarningsSummary = false
        touch(build, lineNumber: lineNumber, timestamp: timestamp)
        append(logLine: text, to: v, build: build)
        return true
      }
    }
  }

  /// Keeps a log line of `v`, the vertex that raw continuations now extend.
  @inline(__always)
  private func append(logLine text: ByteSpan, to v: VertexState, build: PlainBuildState) {
    v.outputLineCount += 1
    v.tail.append(text)
    // Assigned only when it changes: a log line usually follows one of the same vertex.
    if build.continuingVertex !== v { build.continuingVertex = v }
    build.lastVertexLineWasTerminal = false
  }

  /// `DONE 1.2s`, `CACHED`, `ERROR: …`, `CANCELED`, `...`, `12.345 text`, `sha256:<digest>`, `WARN: …`.
  /// Every vertex line comes here first: a log line makes `v` the vertex that raw continuations
  /// extend, any other line ends the continuation.
  private func readTerminalOrLog(
    _ p: ByteSpan, vertex v: VertexState, build: PlainBuildState, timestamp: Double?
  ) -> Bool {
    let first = p.count > 0 ? p[0] : 0
    if (first >= 0x30 && first <= 0x39) || first == UInt8(ascii: "-") {
      if let text = Self.stampedText(p) {
        append(logLine: text, to: v, build: build)
        return true
      }
      build.continuingVertex = nil
      return false
    }
    build.continuingVertex = nil
    switch first {
    case UInt8(ascii: "D"):
      guard let seconds = Self.doneSeconds(p)?.value else { return false }
      v.doneDurations.append(seconds)
      v.sawDone = true
      terminal(v, build: build, timestamp: timestamp)
      return true
    case UInt8(ascii: "C"):
      if p.equals("CACHED") {
        v.sawCached = true
      } else if p.equals("CANCELED") {
        v.sawCanceled = true
      } else {
        return false
      }
      terminal(v, build: build, timestamp: timestamp)
      return true
    case UInt8(ascii: "E"):
      guard p.hasPrefix("ERROR") else { return false }
      v.sawError = true
      let message = p.hasPrefix("ERROR: ") ? p.dropFirst(7).string : p.dropFirst(5).string
      if !message.isEmpty { v.errorText = message }
      terminal(v, build: build, timestamp: timestamp)
      return true
    case UInt8(ascii: "."):
      guard p.equals("...") else { return false }
      build.lastVertexLineWasTerminal = false
      return true
    case UInt8(ascii: "s"):
      guard p.count == 71, p.hasPrefix("sha256:"), !v.name.isEmpty else { return false }
      v.digest = p.string
      return true
    case UInt8(ascii: "W"):
      guard p.hasPrefix("WARN: ") else { return false }
      let warning = p.dropFirst(6).string
      if !build.warnings.contains(warning) { build.warnings.append(warning) }
      return true
    default:
      return false
    }
  }

  private func terminal(_ v: VertexState, build: PlainBuildState, timestamp: Double?) {
    if let t = timestamp { v.completedAt = t }
    build.lastVertexLineWasTerminal = true
  }

  /// Status lines carry the build's facts: context size, base image digest, image name and digest.
  private func readStatus(_ p: ByteSpan, vertex v: VertexState, build: PlainBuildState) {
    if p.hasPrefix("transferring context: "), v.name.hasSuffix("load build context") {
      if let bytes = Self.byteSize(p.dropFirst(22))?.value {
        build.contextTransferBytes = bytes
        v.transferredBytes = bytes
      }
    } else if p.hasPrefix("resolve "), v.name.contains("] FROM ") || v.name.contains("FROM ") {
      let ref = p.dropFirst(8).string.split(separator: " ").first.map(String.init)
      if let ref, ref.contains("@sha256:") { v.resolvedReference = ref }
    } else if p.hasPrefix("naming to ") {
      if let name = p.dropFirst(10).string.split(separator: " ").first.map(String.init),
        !build.imageNames.contains(name)
      {
        build.imageNames.append(name)
      }
    } else if p.hasPrefix("writing image sha256:") || p.hasPrefix("exporting manifest list sha256:")
    {
      let s = p.string
      if let r = s.range(of: "sha256:") {
        build.imageDigest = String(s[r.lowerBound...].prefix(71))
      }
    }
  }

  private func readBuilder(_ payload: String, into build: PlainBuildState) {
    // building with "default" instance using docker driver
    let parts = payload.split(separator: "\"")
    if parts.count >= 3 {
      build.builderName = String(parts[1])
      let rest = parts[2].split(separator: " ")
      if let using = rest.firstIndex(of: "using"), using + 1 < rest.count {
        build.driver = String(rest[using + 1])
      }
    }
  }

  /// The message of a final error line (see ``FinalErrorLine``), or nil.
  private static func finalError(_ t: ByteSpan) -> String? {
    guard t.count > 6, FinalErrorLine.mayStart(with: t[0]) else { return nil }
    return FinalErrorLine.message(Substring(t.string))
  }

  private func isWarningsHeader(_ t: ByteSpan) -> Bool {
    var s = t
    while s.count > 0, s[0] == 0x20 { s = s.dropFirst(1) }
    guard let (_, used) = s.leadingInteger() else { return false }
    let rest = s.dropFirst(used)
    return rest.hasPrefix(" warning found") || rest.hasPrefix(" warnings found")
  }

  /// `Dockerfile:3`, `--------------------`, `   3 | >>> RUN ./test.sh`.
  private func isSnippetLine(_ t: ByteSpan, inTrailer: Bool) -> Bool {
    if t.hasPrefix("--------------------") { return true }
    guard inTrailer else {
      return false
    }
    if let colon = t.firstIndex(of: UInt8(ascii: ":")), colon > 0, !t.contains(0x20),
      t.dropFirst(colon + 1).leadingInteger()?.length == t.count - colon - 1
    {
      return true
    }
    var s = t
    while s.count > 0, s[0] == 0x20 { s = s.dropFirst(1) }
    if let (_, used) = s.leadingInteger(), s.dropFirst(used).hasPrefix(" |") { return true }
    return false
  }
}
