import Foundation

/// What the plain reader knows of one vertex while reading.
final class VertexState {
  let number: Int
  private(set) var name: String
  /// The name's bytes, to recognise a reprinted header without making a String per line.
  private(set) var nameBytes: [UInt8] = []
  var sawDone = false
  var sawCached = false
  var sawError = false
  var sawCanceled = false
  var doneDurations: [Double] = []
  @exclusivity(unchecked) var outputLineCount = 0
  var errorText: String?
  var digest: String?
  var resolvedReference: String?
  let tail = OutputTail()
  var completedAt: Double?
  /// Bytes a `load build context` vertex reported transferring.
  var transferredBytes: Int64?
  /// Other headers of this vertex that name the same step under another bake target's prefix.
  private(set) var otherNames: [String] = []
  /// How many other names a vertex keeps.
  static let otherNameLimit = 64

  init(number: Int, name: String) {
    self.number = number
    self.name = name
  }

  func setName(_ bytes: ByteSpan) {
    nameBytes = bytes.array
    name = bytes.string
  }

  /// Keeps `header` as another name of this vertex when it is the same step under another
  /// target's prefix (`[api 2/6] WORKDIR /app` for `[worker 2/6] WORKDIR /app`); false otherwise.
  func addOtherName(_ header: ByteSpan) -> Bool {
    guard header.count > 2, header[0] == UInt8(ascii: "["), name.hasPrefix("["),
      let close = header.firstIndex(of: UInt8(ascii: "]")),
      let nameClose = name.firstIndex(of: "]")
    else { return false }
    let text = header.dropFirst(close + 1).string
    guard text == String(name[name.index(after: nameClose)...]), !text.isEmpty else { return false }
    let other = header.string
    if other != name, !otherNames.contains(other), otherNames.count < Self.otherNameLimit {
      otherNames.append(other)
    }
    return true
  }

  var isTerminal: Bool { sawDone || sawCached || sawError || sawCanceled }

  /// Error wins over cached, cached over done (BuildKit's printer order).
  var status: StepStatus {
    if sawError { return .error }
    if sawCanceled { return .canceled }
    if sawCached { return .cached }
    if sawDone { return .done }
    return .unfinished
  }

  func step() -> ParsedStep {
    let duration = doneDurations.last
    let completed = completedAt.map { Date(timeIntervalSince1970: $0) }
    let started = completedAt.flatMap { c in
      duration.flatMap { LogNumber.time(c - $0).value }.map { Date(timeIntervalSince1970: $0) }
    }
    return ParsedStep(
      vertex: number, name: name, status: status,
      duration: status == .done || status == .error ? duration : duration,
      outputLineCount: outputLineCount, errorText: errorText, digest: digest,
      outputTail: tail.lines,
      startedAt: started, completedAt: completed,
      doneDurations: doneDurations.count > 1 ? doneDurations : [],
      resolvedReference: resolvedReference, otherNames: otherNames,
      transferredBytes: transferredBytes)
  }
}

/// One plain-format build being read.
///
/// The fields written on every line are `@exclusivity(unchecked)` (see `LogParser`): only the plain
/// reader writes them, one line at a time.
final class PlainBuildState {
  /// Vertices by number: an array for the usual small numbers, a dictionary beyond. The array
  /// holds unretained references (``order`` keeps every vertex alive as long as the build), so the
  /// per-line lookup (``unretained(_:)``) costs no retain and release.
  @exclusivity(unchecked) private var byNumber: [Unmanaged<VertexState>?] = []
  @exclusivity(unchecked) private var beyond: [Int: VertexState] = [:]
  var order: [VertexState] = []
  private static let arrayLimit = 4096

  @inline(__always) func existing(_ number: Int) -> VertexState? {
    if number < byNumber.count { return byNumber[number]?.takeUnretainedValue() }
    return number < Self.arrayLimit ? nil : beyond[number]
  }

  /// Vertex `number` when it is one of the usual small numbers, without a reference: valid as long
  /// as this build is (``order`` holds it).
  @inline(__always) func unretained(_ number: Int) -> Unmanaged<VertexState>? {
    number < byNumber.count ? byNumber[number] : nil
  }
  var builderName: String?
  var driver: String?
  var errorMessage: String?
  var warnings: [String] = []
  var imageNames: [String] = []
  var imageDigest: String?
  var contextTransferBytes: Int64?
  @exclusivity(unchecked) var firstTimestamp: Double?
  @exclusivity(unchecked) var lastTimestamp: Double?
  var job: String?
  /// The compose service a `Building NAME` line (compose v1) announced for this build.
  var service: String?
  var unrecognizedLineCount = 0
  var firstLine: Int
  @exclusivity(unchecked) var lastLine: Int
  /// A final error line was read: the next vertex line starts another build.
  @exclusivity(unchecked) var closed = false
  /// Inside a `------` error-context block.
  @exclusivity(unchecked) var inErrorBlock = false
  /// Inside the trailers after the vertices (error block, snippet, warnings summary).
  @exclusivity(unchecked) var inTrailer = false
  /// Inside the ` N warnings found` list.
  @exclusivity(unchecked) var inWarningsSummary = false
  /// The vertex whose log line was the last line read, for raw continuations.
  @exclusivity(unchecked) var continuingVertex: VertexState?
  /// Whether the last vertex line read was a terminal line (DONE, CACHED, ERROR, CANCELED).
  @exclusivity(unchecked) var lastVertexLineWasTerminal = false

  init(firstLine: Int) {
    self.firstLine = firstLine
    self.lastLine = firstLine
  }

  var hasVertices: Bool { !order.isEmpty }

  /// The build's own display starts after buildx's boot display: its `#1` is a new vertex, not the boot's.
  func restartNumbering() {
    byNumber = []
    beyond = [:]
    continuingVertex = nil
  }

  /// Only buildx's `[internal] booting buildkit` display so far (it comes before `#0`).
  var isOnlyBootDisplay: Bool {
    order.allSatisfy { $0.name.hasSuffix("booting buildkit") }
  }

  func vertex(_ number: Int) -> VertexState {
    if let v = existing(number) { return v }
    let v = VertexState(number: number, name: "")
    if number < Self.arrayLimit {
      if number >= byNumber.count {
        byNumber.append(contentsOf: repeatElement(nil, count: number + 1 - byNumber.count))
      }
      byNumber[number] = Unmanaged.passUnretained(v)
    } else {
      beyond[number] = v
    }
    order.append(v)
    return v
  }

  /// An unfinished vertex leaves the build `unknown` when it is one of the build's own steps
  /// (see ``isBuildStep(_:)``). Frontend and internal vertices do not: multi-platform builds print
  /// `load metadata` again without closing it, and the steps that needed them say how they ended.
  static func leavesTheOutcomeOpen(_ step: ParsedStep) -> Bool {
    step.status == .unfinished && isBuildStep(step.name)
  }

  /// A step of the build itself: a Dockerfile instruction (`[stage i/n] …`), an export, a push or
  /// cache import/export. Not: `[internal] load …`, `[auth] …`, a `# syntax=` frontend
  /// (`resolve image config for …`, `docker-image://…`), booting a builder.
  static func isBuildStep(_ name: String) -> Bool {
    let parsed = StepName(name)
    if parsed.index != nil { return true }
    switch parsed.kind {
    case .export, .cacheExport, .cacheImport: return true
    default: return false
    }
  }

  /// Whether the build has run its own steps to the end: it has at least one build step and every
  /// build step has a terminal line. Only then can a vertex numbered `#1` start another build;
  /// before that, `#1` again is a vertex reported once more (a `# syntax=` frontend loads the
  /// Dockerfile a second time, updates arrive after a vertex completed).
  var hasRunItsSteps: Bool {
    var sawStep = false
    for v in order where Self.isBuildStep(v.name) {
      guard v.isTerminal else { return false }
      sawStep = true
    }
    return sawStep
  }

  func build() -> ParsedBuild {
    let steps = order.map { $0.step() }
    var outcome: BuildOutcome
    let anyError = steps.contains { $0.status == .error && !BuilderEvidence.isNonFatal($0) }
    if anyError {
      outcome = .failed
    } else if let message = errorMessage {
      outcome = message.contains("context canceled") ? .canceled : .failed
    } else if steps.contains(where: { $0.status == .canceled }) {
      outcome = .canceled
    } else if lastVertexLineWasTerminal && !steps.isEmpty
      && !steps.contains(where: Self.leavesTheOutcomeOpen)
    {
      outcome = .success
    } else {
      outcome = .unknown
    }
    return ParsedBuild(
      format: .plain, steps: steps, outcome: outcome, builderName: builderName, driver: driver,
      errorMessage: errorMessage, warnings: warnings, imageNames: imageNames,
      imageDigest: imageDigest,
      contextTransferBytes: contextTransferBytes,
      startedAt: firstTimestamp.map { Date(timeIntervalSince1970: $0) },
      endedAt: lastTimestamp.map { Date(timeIntervalSince1970: $0) }, job: job,
      service: service, unrecognizedLineCount: unrecognizedLineCount, firstLine: firstLine,
      lastLine: lastLine)
  }
}
