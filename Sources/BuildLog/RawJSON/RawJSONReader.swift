import Foundation

// One cohesive thing over 400 lines: a streaming reader of BuildKit's rawjson, its byte-level JSON scanner and vertex state.

/// Reads BuildKit's `--progress=rawjson`: one `SolveStatus` JSON object per line (or indented over several).
package final class RawJSONReader: LineReader {
  package var format: LogFormat { .rawjson }

  /// The largest indented object buffered; a bigger one is skipped.
  static let maxObjectBytes = 16 << 20

  private var current: Build?
  private var finished: [ParsedBuild] = []
  /// The number of the last line this reader accepted; trailers are read only right after it.
  private var lastAccepted = -1
  private var object = PendingObject.none
  package private(set) var refusals = Refusals()

  package init() {}

  package func read(_ line: String, lineNumber: Int, timestamp: Date?) -> Bool {
    switch object {
    case .none:
      break
    case .opening(let start, let previous):
      let key = line.drop(while: { $0 == " " || $0 == "\t" })
      if line == "}" {
        object = .none
        return accept(lineNumber, timestamp, inBuild: false)
      }
      guard Self.topLevelKeys.contains(where: { key.hasPrefix("\"\($0)\":") }) else {
        object = .none
        break
      }
      object = .collecting(start: start, previous: previous, text: "{\n" + line + "\n")
      return accept(lineNumber, timestamp, inBuild: false)
    case .collecting(let start, let previous, var text):
      object = .none
      if line == "}" {
        text += line
        if let status = try? JSONDecoder().decode(SolveStatus.self, from: Data(text.utf8)) {
          guard !status.holdsNumberOutOfRange else {
            refusals.add(lineNumber: start)
            return false
          }
          apply(status, startLine: start, previous: previous, timestamp: timestamp)
        }
      } else if text.utf8.count + line.utf8.count < Self.maxObjectBytes {
        text += line
        text += "\n"
        object = .collecting(start: start, previous: previous, text: text)
      } else {
        object = .skipping
      }
      return accept(lineNumber, timestamp, inBuild: object == .none)
    case .skipping:
      if line == "}" { object = .none }
      return accept(lineNumber, timestamp, inBuild: false)
    }

    if line == "{" {
      object = .opening(start: lineNumber, previous: lastAccepted)
      lastAccepted = lineNumber
      return true
    }
    if line.hasPrefix("{"), line.hasSuffix("}"),
      let status = try? JSONDecoder().decode(SolveStatus.self, from: Data(line.utf8)),
      current != nil || !status.isEmpty
    {
      guard !status.holdsNumberOutOfRange else {
        refusals.add(lineNumber: lineNumber)
        return false
      }
      apply(status, startLine: lineNumber, previous: lastAccepted, timestamp: timestamp)
      return accept(lineNumber, timestamp)
    }
    guard let build = current, lineNumber == lastAccepted + 1, readTrailer(line, build: build)
    else { return false }
    return accept(lineNumber, timestamp)
  }

  package func countUnrecognized(lineNumber: Int) -> Bool {
    guard let build = current, build.errorMessage == nil, !build.isSettled else { return false }
    build.unrecognized += 1
    return true
  }

  package func finish() -> [ParsedBuild] {
    if let build = current { finished.append(build.parsed()) }
    current = nil
    object = .none
    let builds = finished
    finished = []
    return builds
  }

  private func accept(_ lineNumber: Int, _ timestamp: Date?, inBuild: Bool = true) -> Bool {
    lastAccepted = lineNumber
    if inBuild, let build = current {
      build.lastLine = lineNumber
      if let timestamp {
        if build.firstTimestamp == nil { build.firstTimestamp = timestamp }
        build.lastTimestamp = timestamp
      }
    }
    return true
  }

  /// Applies one update; a new build starts after a final error line, or after other lines once every vertex ended.
  private func apply(_ status: SolveStatus, startLine: Int, previous: Int, timestamp: Date?) {
    if let build = current,
      build.errorMessage != nil || (startLine != previous + 1 && build.isSettled)
    {
      finished.append(build.parsed())
      current = nil
    }
    let build = current ?? Build(firstLine: startLine)
    current = build
    for update in status.vertexes ?? [] { build.update(update) }
    for update in status.statuses ?? [] {
      if let id = update.id { build.readExportStatus(id) }
      guard let digest = update.vertex, let index = build.index[digest] else { continue }
      let isContext = [update.id, update.name].contains {
        $0?.hasPrefix("transferring context") == true
      }
      if isContext, build.vertices[index].name.hasSuffix("load build context"),
        let bytes = update.current
      {
        build.vertices[index].contextBytes = bytes
      }
    }
    for log in status.logs ?? [] {
      guard let digest = log.vertex, let index = build.index[digest], let data = log.data,
        let bytes = Data(base64Encoded: data)
      else { continue }
      build.vertices[index].appendLog([UInt8](bytes), stream: log.stream ?? 1)
    }
    for warning in status.warnings ?? [] {
      guard let short = warning.short, let bytes = Data(base64Encoded: short) else { continue }
      let text = String(decoding: bytes, as: UTF8.self)
      if !build.warnings.contains(text) { build.warnings.append(text) }
    }
  }

  /// The error snippet and final `ERROR:` line that buildx prints after the JSON stream.
  private func readTrailer(_ line: String, build: Build) -> Bool {
    let trimmed = line.drop(while: { $0 == " " })
    if line.isEmpty || line.hasPrefix("View build details: ") { return true }
    if line.count >= 10, line.allSatisfy({ $0 == "-" }) { return true }
    if let colon = line.lastIndex(of: ":"), colon > line.startIndex, !line[..<colon].contains(" "),
      line[line.index(after: colon)...].allSatisfy({ $0.isASCII && $0.isNumber }),
      line.index(after: colon) < line.endIndex
    {
      return true
    }
    let digits = trimmed.prefix(while: { $0.isASCII && $0.isNumber })
    if !digits.isEmpty, trimmed.dropFirst(digits.count).hasPrefix(" |") { return true }
    if line.hasPrefix("ERROR: ") || line.hasPrefix("error: ") {
      build.errorMessage = String(line.dropFirst(7))
      return true
    }
    if line.hasPrefix("failed to solve") || line.hasPrefix("failed to build") {
      build.errorMessage = line
      return true
    }
    return false
  }

  private static let topLevelKeys = ["vertexes", "statuses", "logs", "warnings"]
}

extension RawJSONReader {
  /// An indented object being read over several lines.
  fileprivate enum PendingObject: Equatable {
    case none
    /// A line `{` was read; the next line tells whether a status object follows. `previous`: the line accepted before.
    case opening(start: Int, previous: Int)
    case collecting(start: Int, previous: Int, text: String)
    /// An object over ``RawJSONReader/maxObjectBytes``: its lines are consumed and dropped.
    case skipping
  }

  /// One `SolveStatus` update; decoding fails for objects with other top-level keys.
  fileprivate struct SolveStatus: Decodable {
    var vertexes: [Vertex]?
    var statuses: [Status]?
    var logs: [Log]?
    var warnings: [Warning]?

    var isEmpty: Bool { vertexes == nil && statuses == nil && logs == nil && warnings == nil }

    /// A time outside 1970–2199, a vertex completed before it started, or a negative or over-1-PB progress.
    var holdsNumberOutOfRange: Bool {
      for vertex in vertexes ?? [] {
        let started = vertex.started.flatMap(RawJSONReader.time)
        let completed = vertex.completed.flatMap(RawJSONReader.time)
        if started == .outOfRange || completed == .outOfRange { return true }
        if let start = started?.value, let end = completed?.value, end < start { return true }
      }
      return (statuses ?? []).contains {
        ($0.current ?? 0) < 0 || ($0.current ?? 0) > LogNumber.maxBytes
      }
    }

    init(from decoder: any Decoder) throws {
      let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
      guard keys.allSatisfy(RawJSONReader.topLevelKeys.contains) else {
        throw DecodingError.dataCorrupted(
          .init(codingPath: [], debugDescription: "not a SolveStatus"))
      }
      let container = try decoder.container(keyedBy: CodingKeys.self)
      vertexes = try container.decodeIfPresent([Vertex].self, forKey: .vertexes)
      statuses = try container.decodeIfPresent([Status].self, forKey: .statuses)
      logs = try container.decodeIfPresent([Log].self, forKey: .logs)
      warnings = try container.decodeIfPresent([Warning].self, forKey: .warnings)
    }

    private enum CodingKeys: String, CodingKey { case vertexes, statuses, logs, warnings }

    /// Any key, to list the object's keys.
    private struct AnyKey: CodingKey {
      var stringValue: String
      var intValue: Int? { nil }
      init(stringValue: String) { self.stringValue = stringValue }
      init?(intValue: Int) { nil }
    }
  }

  /// A vertex update: the whole vertex as it stands.
  fileprivate struct Vertex: Decodable {
    var digest: String?
    var name: String?
    var started: String?
    var completed: String?
    var cached: Bool?
    var error: String?
  }

  /// A progress status of a vertex (`transferring context:`, `naming to …`).
  fileprivate struct Status: Decodable {
    var id: String?
    var vertex: String?
    var name: String?
    var current: Int64?
    var total: Int64?
  }

  /// A chunk of a vertex's output; `data` is base64.
  fileprivate struct Log: Decodable {
    var vertex: String?
    var stream: Int?
    var data: String?
  }

  /// A build check warning; `short` is base64.
  fileprivate struct Warning: Decodable {
    var vertex: String?
    var short: String?
  }

  /// A vertex as its updates so far describe it; times are nanoseconds since 1970.
  fileprivate struct VertexState {
    var digest: String
    var name = ""
    var cached = false
    var error: String?
    /// Run intervals keyed by start; a nil end means still running.
    var intervals: [Int64: Int64?] = [:]
    var contextBytes: Int64?
    var output = LineTail()
    /// Bytes after the last newline, per stream.
    var partial: [Int: [UInt8]] = [:]

    /// The longest partial line kept before it is counted as a line.
    static let maxPartialBytes = 64 << 10

    var hasStarted: Bool { !intervals.isEmpty }
    var isCompleted: Bool { hasStarted && intervals.values.allSatisfy { $0 != nil } }

    mutating func appendLog(_ bytes: [UInt8], stream: Int) {
      var pending = partial[stream] ?? []
      for byte in bytes {
        if byte == UInt8(ascii: "\n") {
          emit(pending)
          pending.removeAll(keepingCapacity: true)
        } else {
          pending.append(byte)
          if pending.count >= Self.maxPartialBytes {
            emit(pending)
            pending.removeAll(keepingCapacity: true)
          }
        }
      }
      partial[stream] = pending
    }

    mutating func flush() {
      for stream in partial.keys.sorted() where partial[stream]?.isEmpty == false {
        emit(partial[stream] ?? [])
      }
      partial = [:]
    }

    private mutating func emit(_ line: [UInt8]) {
      let bytes = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
      output.append(String(decoding: bytes, as: UTF8.self))
    }

    /// Run intervals sorted and merged; an open interval absorbs all later ones.
    var mergedIntervals: [(start: Int64, end: Int64?)] {
      let sorted = intervals.map { (start: $0.key, end: $0.value) }.sorted { $0.start < $1.start }
      var merged: [(start: Int64, end: Int64?)] = []
      for interval in sorted {
        guard let last = merged.last else {
          merged.append(interval)
          continue
        }
        guard let lastEnd = last.end else { break }
        if lastEnd < interval.start {
          merged.append(interval)
        } else {
          merged[merged.count - 1].end = interval.end.map { max($0, lastEnd) }
        }
      }
      return merged
    }
  }

  /// A build being read.
  fileprivate final class Build {
    var vertices: [VertexState] = []
    /// Digest → position in `vertices`, which keeps the order of first appearance.
    var index: [String: Int] = [:]
    var warnings: [String] = []
    var imageNames: [String] = []
    var imageDigest: String?
    var errorMessage: String?
    var unrecognized = 0
    var firstTimestamp: Date?
    var lastTimestamp: Date?
    let firstLine: Int
    var lastLine: Int

    init(firstLine: Int) {
      self.firstLine = firstLine
      lastLine = firstLine
    }

    /// True when there are vertices and none is still running.
    var isSettled: Bool {
      !vertices.isEmpty && vertices.allSatisfy { $0.intervals.values.allSatisfy { $0 != nil } }
    }

    /// Reads the image name or digest from an exporter status (`naming to …`, `writing image sha256:…`).
    func readExportStatus(_ id: String) {
      if id.hasPrefix("naming to ") {
        let name = String(id.dropFirst("naming to ".count).split(separator: " ").first ?? "")
        if !name.isEmpty, !imageNames.contains(name) { imageNames.append(name) }
      } else if id.hasPrefix("writing image sha256:")
        || id.hasPrefix("exporting manifest list sha256:")
      {
        if let digest = id.split(separator: " ").first(where: { $0.hasPrefix("sha256:") }) {
          imageDigest = String(digest)
        }
      }
    }

    func update(_ vertex: Vertex) {
      guard let digest = vertex.digest else { return }
      let position: Int
      if let existing = index[digest] {
        position = existing
      } else {
        position = vertices.count
        index[digest] = position
        vertices.append(VertexState(digest: digest))
      }
      let started = vertex.started.flatMap(RawJSONReader.nanoseconds)
      if started == nil, vertices[position].hasStarted { return }
      if let name = vertex.name, !name.isEmpty { vertices[position].name = name }
      if vertex.cached == true { vertices[position].cached = true }
      if let error = vertex.error, !error.isEmpty { vertices[position].error = error }
      if let started {
        vertices[position].intervals[started] = .some(
          vertex.completed.flatMap(RawJSONReader.nanoseconds))
      }
    }

    func parsed() -> ParsedBuild {
      var steps: [ParsedStep] = []
      var firstStart: Int64?
      var lastEnd: Int64?
      var failed = false
      var canceled = false
      var allCompleted = !vertices.isEmpty
      for var vertex in vertices {
        vertex.flush()
        if !vertex.isCompleted, !vertex.cached { allCompleted = false }
        guard vertex.hasStarted || vertex.cached || vertex.error != nil else { continue }
        let merged = vertex.mergedIntervals
        let start = merged.first?.start
        let ends = merged.compactMap(\.end)
        let end = ends.max()
        var duration: Double?
        if !merged.isEmpty, ends.count == merged.count {
          let nanoseconds = merged.reduce(0.0) {
            $0 + Double(max(0, ($1.end ?? $1.start) - $1.start))
          }
          duration = LogNumber.seconds(nanoseconds / 1e9).value
        }
        let status: StepStatus
        if let error = vertex.error {
          if error.hasSuffix("context canceled") {
            status = .canceled
            canceled = true
          } else {
            status = .error
            failed = failed || StepName(vertex.name).kind != .cacheImport
          }
        } else if vertex.cached {
          status = .cached
        } else if vertex.isCompleted {
          status = .done
        } else {
          status = .unfinished
        }
        if let start { firstStart = min(firstStart ?? start, start) }
        if let end { lastEnd = max(lastEnd ?? end, end) }
        steps.append(
          ParsedStep(
            vertex: steps.count + 1, name: vertex.name, status: status, duration: duration,
            outputLineCount: vertex.output.count, errorText: status == .error ? vertex.error : nil,
            digest: vertex.digest, outputTail: vertex.output.lines,
            startedAt: start.map(RawJSONReader.date),
            completedAt: end.map(RawJSONReader.date)))
      }
      let outcome: BuildOutcome
      if failed || errorMessage.map({ !$0.hasSuffix("context canceled") }) == true {
        outcome = .failed
      } else if canceled || errorMessage != nil {
        outcome = .canceled
      } else {
        outcome = allCompleted ? .success : .unknown
      }
      let context = vertices.compactMap(\.contextBytes)
      return ParsedBuild(
        format: .rawjson, steps: steps, outcome: outcome, errorMessage: errorMessage,
        warnings: warnings,
        imageNames: imageNames, imageDigest: imageDigest,
        contextTransferBytes: context.isEmpty ? nil : LogNumber.total(context).value,
        startedAt: firstStart.map(RawJSONReader.date) ?? firstTimestamp,
        endedAt: lastEnd.map(RawJSONReader.date) ?? lastTimestamp,
        unrecognizedLineCount: unrecognized,
        firstLine: firstLine, lastLine: lastLine)
    }
  }

  fileprivate static func date(_ nanoseconds: Int64) -> Date {
    Date(timeIntervalSince1970: Double(nanoseconds) / 1e9)
  }

  /// Parses an RFC 3339 time (`2025-03-01T10:00:01.123456789Z`, or with a `+01:00` offset) to nanoseconds
  /// since 1970; nil when malformed or outside 1970–2199.
  package static func nanoseconds(_ text: String) -> Int64? {
    time(text)?.value
  }

  /// ``nanoseconds(_:)``, telling a time outside 1970–2199 from a malformed one (nil).
  package static func time(_ text: String) -> LogNumber.Checked<Int64>? {
    let b = Array(text.utf8)
    func number(_ from: Int, _ count: Int) -> Int64? {
      guard from + count <= b.count else { return nil }
      var value: Int64 = 0
      for byte in b[from..<(from + count)] {
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int64(byte - 0x30)
      }
      return value
    }
    guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
      b[10] | 0x20 == UInt8(ascii: "t"),
      b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
      let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
      let hour = number(11, 2),
      let minute = number(14, 2), let second = number(17, 2), (1...12).contains(month),
      (1...31).contains(day)
    else { return nil }
    var i = 19
    var fraction: Int64 = 0
    if i < b.count, b[i] == UInt8(ascii: ".") {
      i += 1
      var digits = 0
      while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
        if digits < 9 {
          fraction = fraction * 10 + Int64(b[i] - 0x30)
          digits += 1
        }
        i += 1
      }
      guard digits > 0 else { return nil }
      for _ in digits..<9 { fraction *= 10 }
    }
    var offset: Int64 = 0
    guard i < b.count else { return nil }
    if b[i] | 0x20 == UInt8(ascii: "z") {
      guard i + 1 == b.count else { return nil }
    } else {
      guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), i + 6 == b.count,
        b[i + 3] == UInt8(ascii: ":"),
        let hours = number(i + 1, 2), let minutes = number(i + 4, 2)
      else { return nil }
      offset = (hours * 3600 + minutes * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
    }
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
    guard LogNumber.time(Double(seconds)) != .outOfRange else { return .outOfRange }
    return .valid(seconds * 1_000_000_000 + fraction)
  }
}
