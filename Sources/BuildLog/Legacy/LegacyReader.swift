import Foundation

/// Reads the legacy (non-BuildKit) builder: `Step 3/10 : RUN …`, ` ---> …` lines, raw RUN output, the result.
package final class LegacyReader: LineReader {
  package var format: LogFormat { .legacy }

  private var current: Build?
  private var finished: [ParsedBuild] = []
  /// The number of the last line this reader accepted.
  private var lastAccepted = -1
  /// The service named by compose v1's `Building <service>` line, for the build that follows it.
  private var pendingService: String?
  /// `WARN[0000] …` banners printed before the build they concern.
  private var pendingWarnings: [String] = []
  private var banner = Banner.none
  package private(set) var refusals = Refusals()

  package init() {}

  package func read(_ line: String, lineNumber: Int, timestamp: Date?) -> Bool {
    let adjacent = lineNumber == lastAccepted + 1
    let kind = Kind(line)
    if let build = current, build.phase == .open, let index = build.steps.indices.last,
      build.steps[index].running
    {
      if !adjacent {
        build.steps[index].running = false
      } else if !(kind?.endsOutput ?? false) {
        build.steps[index].output.append(line)
        return accept(lineNumber, timestamp)
      }
    }
    guard let kind else {
      return readOther(line, adjacent: adjacent, lineNumber: lineNumber, timestamp: timestamp)
    }
    if kind == .refused {
      refusals.add(lineNumber: lineNumber)
      return false
    }
    banner = .none
    var inBuild = true
    switch kind {
    case .sendingContext(let bytes):
      if let build = current, build.phase == .open, build.steps.isEmpty {
        if let bytes { build.contextTransferBytes = bytes }
      } else {
        startBuild(adjacent: adjacent, lineNumber: lineNumber, timestamp: timestamp)
        current?.contextTransferBytes = bytes
      }
    case .step(let index, let total, let text):
      readStep(
        index: index, total: total, text: text, adjacent: adjacent, lineNumber: lineNumber,
        timestamp: timestamp)
    case .arrow(let arrow):
      guard let build = current, build.phase == .open, let index = build.steps.indices.last else {
        return false
      }
      switch arrow {
      case .usingCache: build.steps[index].cached = true
      case .runningIn: build.steps[index].running = true
      case .removed: build.steps[index].running = false
      case .warning(let text): build.warnings.append(text)
      case .image:
        build.steps[index].running = false
        build.steps[index].finished = true
      }
    case .removing:
      guard let build = current, build.phase == .open else { return false }
      if let index = build.steps.indices.last { build.steps[index].running = false }
    case .commandFailed:
      guard let build = current, build.phase == .open else { return false }
      build.fail(line, timestamp: timestamp)
    case .built(let id):
      guard let build = current, build.phase == .open else { return false }
      build.endStep(timestamp)
      build.phase = .succeeded
      build.imageDigest = id
    case .tagged(let name):
      guard let build = current, build.phase != .failed else { return false }
      if !build.imageNames.contains(name) { build.imageNames.append(name) }
    case .deprecated:
      banner = .deprecated
      inBuild = false
    case .warnBanner(let text):
      if !adjacent || pendingWarnings.count >= 100 { pendingWarnings = [] }
      pendingWarnings.append(text)
      banner = .wrapped(line.count)
      inBuild = false
    case .service(let name):
      pendingService = name
      inBuild = false
    case .buildArgsWarning:
      guard let build = current, build.phase == .open else { return false }
      build.warnings.append(line)
    case .serviceFailed:
      guard let build = current, adjacent else { return false }
      if build.phase == .open { build.fail(line, timestamp: timestamp) }
    case .daemonError:
      guard let build = current, build.phase == .open else { return false }
      build.fail(line, timestamp: timestamp)
    case .refused:
      return false
    }
    return accept(lineNumber, timestamp, inBuild: inBuild)
  }

  package func countUnrecognized(lineNumber: Int) -> Bool {
    guard let build = current, build.phase == .open else { return false }
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

  private func accept(_ lineNumber: Int, _ timestamp: Date?, inBuild: Bool = true) -> Bool {
    lastAccepted = lineNumber
    if inBuild, let build = current {
      build.lastLine = lineNumber
      if let timestamp {
        if build.startedAt == nil { build.startedAt = timestamp }
        build.endedAt = timestamp
      }
    }
    return true
  }

  /// Lines that are not the builder's own: wrapped banners and blank lines.
  private func readOther(_ line: String, adjacent: Bool, lineNumber: Int, timestamp: Date?) -> Bool
  {
    guard adjacent else { return false }
    let blank = line.allSatisfy(\.isWhitespace)
    switch banner {
    case .deprecated:
      if blank { banner = .none }
      guard blank || line.first?.isWhitespace == true else { break }
      return accept(lineNumber, timestamp, inBuild: false)
    case .wrapped(let width):
      guard width == 80, !blank, let last = pendingWarnings.indices.last else { break }
      pendingWarnings[last] += line
      banner = .wrapped(line.count)
      return accept(lineNumber, timestamp, inBuild: false)
    case .none:
      break
    }
    banner = .none
    guard blank, let build = current, build.phase == .open else { return false }
    return accept(lineNumber, timestamp)
  }

  private func startBuild(adjacent: Bool, lineNumber: Int, timestamp: Date?) {
    if let build = current { finished.append(build.parsed()) }
    let build = Build(firstLine: lineNumber, service: adjacent ? pendingService : nil)
    if adjacent { build.warnings = pendingWarnings }
    pendingService = nil
    pendingWarnings = []
    current = build
  }

  private func readStep(
    index: Int, total: Int?, text: String, adjacent: Bool, lineNumber: Int, timestamp: Date?
  ) {
    if let build = current, build.phase == .open, !(adjacent && pendingService != nil),
      build.steps.last.map({ index > $0.vertex }) ?? true
    {
      build.endStep(timestamp)
    } else {
      startBuild(adjacent: adjacent, lineNumber: lineNumber, timestamp: timestamp)
    }
    guard let build = current else { return }
    let numbers = total.map { "\(index)/\($0)" }
    let label = [build.service, numbers].compactMap { $0 }.joined(separator: " ")
    let name = label.isEmpty ? text : "[\(label)] \(text)"
    build.steps.append(Step(vertex: index, name: name, startedAt: timestamp))
  }
}

extension LegacyReader {
  /// What a line of the legacy builder (or the tools around it) says.
  fileprivate enum Kind: Equatable {
    case sendingContext(Int64?)
    case step(Int, Int?, String)
    case arrow(Arrow)
    case removing
    case commandFailed
    case built(String)
    case tagged(String)
    case deprecated
    case warnBanner(String)
    case service(String)
    case buildArgsWarning
    case serviceFailed
    case daemonError
    /// A line of one of these kinds with a number out of range.
    case refused

    init?(_ line: String) {
      if line.hasPrefix("Step "), let step = Self.step(line.dropFirst(5)) {
        self = step
      } else if line.hasPrefix(" ---> ") {
        self = .arrow(Arrow(line.dropFirst(6)))
      } else if line.hasPrefix("Removing intermediate container ") {
        self = .removing
      } else if line.hasPrefix("The command '"), line.contains("' returned a non-zero code: ") {
        self = .commandFailed
      } else if line.hasPrefix("Successfully built "),
        let id = Self.imageID(line.dropFirst("Successfully built ".count))
      {
        self = .built(id)
      } else if line.hasPrefix("Successfully tagged ") {
        self = .tagged(
          String(line.dropFirst("Successfully tagged ".count)).trimmingCharacters(in: .whitespaces))
      } else if line.hasPrefix("Sending build context to Docker daemon") {
        let size = line.dropFirst("Sending build context to Docker daemon".count)
        switch Self.parseBytes(size.trimmingCharacters(in: .whitespaces)) {
        case .outOfRange?: self = .refused
        case .valid(let bytes)?: self = .sendingContext(bytes)
        case nil: self = .sendingContext(nil)
        }
      } else if line.hasPrefix("DEPRECATED: The legacy builder is deprecated") {
        self = .deprecated
      } else if line.hasPrefix("WARN["), let close = line.firstIndex(of: "]") {
        self = .warnBanner(
          String(line[line.index(after: close)...]).trimmingCharacters(in: .whitespaces))
      } else if let service = ComposeBuildingLine.service(line) {
        self = .service(service)
      } else if line.hasPrefix("[Warning] One or more build-args") {
        self = .buildArgsWarning
      } else if line.hasPrefix("ERROR: Service '"), line.contains("failed to build") {
        self = .serviceFailed
      } else if line.hasPrefix("COPY failed: ") || line.hasPrefix("ADD failed: ")
        || line.hasPrefix("Error response from daemon: ")
      {
        self = .daemonError
      } else {
        return nil
      }
    }

    /// Whether the line ends a running step's raw output (other lines, even `Step …`, are the output).
    var endsOutput: Bool {
      switch self {
      case .arrow, .removing, .commandFailed: true
      default: false
      }
    }

    /// `1a2f38fe9045` or `sha256:…`; nil for text such as pip's `Successfully built wheel-1.0`.
    private static func imageID(_ text: Substring) -> String? {
      let id = text.trimmingCharacters(in: .whitespaces)
      let hex = id.hasPrefix("sha256:") ? id.dropFirst(7) : Substring(id)
      guard (12...64).contains(hex.count), hex.allSatisfy(\.isHexDigit) else { return nil }
      return id
    }

    /// `3/10 : RUN make` or `0 : FROM x` (the text after `Step `).
    private static func step(_ text: Substring) -> Kind? {
      guard let separator = text.range(of: " : ") else { return nil }
      let numbers = text[..<separator.lowerBound].split(
        separator: "/", omittingEmptySubsequences: false)
      guard let index = Int(numbers[0]), numbers.count <= 2 else { return nil }
      var total: Int?
      if numbers.count == 2 {
        guard let n = Int(numbers[1]) else { return nil }
        total = n
      }
      return .step(index, total, String(text[separator.upperBound...]))
    }

    /// Parses `3.58kB` or `3.072 kB` (decimal units, as the Docker CLI prints them).
    static func parseBytes(_ text: String) -> LogNumber.Checked<Int64>? {
      LogNumber.size(Substring(text))
    }
  }

  /// A ` ---> …` line.
  fileprivate enum Arrow: Equatable {
    case usingCache, runningIn, removed, image
    case warning(String)

    init(_ rest: Substring) {
      if rest.hasPrefix("Using cache") {
        self = .usingCache
      } else if rest.hasPrefix("Running in ") {
        self = .runningIn
      } else if rest.hasPrefix("Removed intermediate container") {
        self = .removed
      } else if rest.hasPrefix("[Warning] ") {
        self = .warning(String(rest.dropFirst("[Warning] ".count)))
      } else {
        self = .image
      }
    }
  }

  /// Banner lines that may continue on the next lines.
  fileprivate enum Banner {
    case none
    /// `DEPRECATED: …`, followed by indented lines and a blank line.
    case deprecated
    /// `WARN[0000] …`; a line exactly 80 wide was hard-wrapped and continues on the next line.
    case wrapped(Int)
  }

  /// Whether the build is still running or printed its result.
  fileprivate enum Phase { case open, succeeded, failed }

  /// A `Step i/n : …` and what followed it.
  fileprivate struct Step {
    var vertex: Int
    var name: String
    var startedAt: Date?
    var completedAt: Date?
    var cached = false
    /// Between ` ---> Running in` and the next ` ---> `: other lines are the step's output.
    var running = false
    var finished = false
    var errorText: String?
    var output = LineTail()
  }

  /// A build being read.
  fileprivate final class Build {
    var phase = Phase.open
    let service: String?
    var steps: [Step] = []
    var errorMessage: String?
    var warnings: [String] = []
    var imageNames: [String] = []
    var imageDigest: String?
    var contextTransferBytes: Int64?
    var startedAt: Date?
    var endedAt: Date?
    var unrecognized = 0
    let firstLine: Int
    var lastLine: Int

    init(firstLine: Int, service: String?) {
      self.firstLine = firstLine
      lastLine = firstLine
      self.service = service
    }

    /// Ends the last step at `timestamp`: the next step or the result was printed.
    func endStep(_ timestamp: Date?) {
      guard let index = steps.indices.last, steps[index].completedAt == nil else { return }
      steps[index].running = false
      steps[index].finished = true
      steps[index].completedAt = timestamp
    }

    func fail(_ message: String, timestamp: Date?) {
      if let index = steps.indices.last, steps[index].errorText == nil,
        !steps[index].finished || steps[index].running
      {
        steps[index].errorText = message
      }
      endStep(timestamp)
      phase = .failed
      errorMessage = message
    }

    func parsed() -> ParsedBuild {
      let parsedSteps = steps.map { step in
        let status: StepStatus =
          step.errorText != nil
          ? .error : step.cached ? .cached : step.finished ? .done : .unfinished
        var duration: Double?
        if let start = step.startedAt, let end = step.completedAt {
          duration = LogNumber.seconds(end.timeIntervalSince(start)).value
        }
        return ParsedStep(
          vertex: step.vertex, name: step.name, status: status, duration: duration,
          outputLineCount: step.output.count, errorText: step.errorText,
          outputTail: step.output.lines,
          startedAt: step.startedAt, completedAt: step.completedAt)
      }
      let outcome: BuildOutcome =
        phase == .succeeded ? .success : phase == .failed ? .failed : .unknown
      return ParsedBuild(
        format: .legacy, steps: parsedSteps, outcome: outcome, errorMessage: errorMessage,
        warnings: warnings,
        imageNames: imageNames, imageDigest: imageDigest,
        contextTransferBytes: contextTransferBytes,
        startedAt: startedAt, endedAt: endedAt, service: service,
        unrecognizedLineCount: unrecognized, firstLine: firstLine,
        lastLine: lastLine)
    }
  }
}
