import Foundation
import Testing

@testable import BuildLog

/// Any prefix that a log's lines share before BuildKit's tokens is learned and stripped: real
/// BuildKit output wrapped in each shape parses as the bare output does.
@Suite struct LinePrefixTests {
  /// A wrapper: what it writes before line `n` (from 0).
  struct Wrapper: CustomTestStringConvertible, Sendable {
    var name: String
    var stamp: @Sendable (Int) -> String
    /// Whether its timestamps give wall-clock times (seconds since 1970 of line 0).
    var wallClock: Double?
    var testDescription: String { name }
  }

  /// 2025-03-09T15:44:12Z.
  static let base = 1_741_535_052.0

  static func clock(_ n: Int, separator: String = "-", t: String = "T", fraction: Int = 3) -> String
  {
    let seconds = 12 + n / 1000
    let millis = n % 1000
    let f = fraction == 6 ? String(format: ".%06d", millis * 1000) : String(format: ".%03d", millis)
    return "2025\(separator)03\(separator)09\(t)15:44:\(String(format: "%02d", seconds))\(f)"
  }

  static let wrappers: [Wrapper] = [
    Wrapper(
      name: "ISO with space and colon", stamp: { "\(clock($0, t: " "))Z: " }, wallClock: base),
    Wrapper(
      name: "bracketed with offset", stamp: { "[\(clock($0, fraction: 6))+00:00] " },
      wallClock: base),
    Wrapper(
      name: "tag then timestamp", stamp: { "[build] \(clock($0, t: " "))Z: " }, wallClock: base),
    Wrapper(
      name: "Go log time", stamp: { "\(clock($0, separator: "/", t: " ")) " }, wallClock: base),
    Wrapper(name: "coloured job tag", stamp: { _ in "\u{1B}[36m[web]\u{1B}[0m " }, wallClock: nil),
    Wrapper(name: "compose v1 column", stamp: { _ in "web_1  | " }, wallClock: nil),
    Wrapper(name: "sbt level", stamp: { $0 % 3 == 0 ? "[info] " : "[error] " }, wallClock: nil),
    Wrapper(name: "SSHKit", stamp: { _ in "  DEBUG [38b78d1e] \t" }, wallClock: nil),
    Wrapper(name: "label", stamp: { _ in "docker stdout: " }, wallClock: nil),
  ]

  static let realLogs = [
    "docker20-multistage-cold.log", "docker20-failing-run.log", "docker20-parallel-stages.log",
    "tty-docker20-failing-run.log",
  ]

  static func wrap(_ text: String, _ wrapper: Wrapper) -> String {
    var lines = text.components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    return lines.enumerated().map { wrapper.stamp($0.offset) + $0.element }.joined(separator: "\n")
      + "\n"
  }

  static func summary(_ log: ParsedLog) -> [String] {
    log.builds.map { build in
      "\(build.format) \(build.outcome) \(build.errorMessage ?? "-") "
        + build.steps.map {
          "\($0.vertex):\($0.name):\($0.status):\($0.duration.map { "\($0)" } ?? "-"):\($0.outputTail)"
        }
        .joined(separator: "|")
    }
  }

  @Test(arguments: wrappers, realLogs)
  func wrappedRealLogParsesAsTheBareOne(_ wrapper: Wrapper, _ file: String) throws {
    let bare = try ReaderTestDriver.fixture(file)
    let expected = LogParser.parse(Array(bare.utf8))
    let log = LogParser.parse(Array(Self.wrap(bare, wrapper).utf8))
    #expect(Self.summary(log) == Self.summary(expected))
    #expect(log.unrecognizedLineCount == expected.unrecognizedLineCount)
    // The tty reader keeps the time of a frame's first line only (a known gap, not this prefix's).
    if let start = wrapper.wallClock, !file.hasPrefix("tty-") {
      let build = try #require(log.builds.first)
      #expect(build.startedAt.map { abs($0.timeIntervalSince1970 - start) < 0.001 } == true)
      let end = try #require(build.endedAt)
      #expect(end.timeIntervalSince1970 > start, "ended \(end.timeIntervalSince1970)")
    } else if wrapper.wallClock == nil {
      #expect(log.builds.allSatisfy { $0.startedAt == nil })
    }
  }

  /// `#7` that an issue tracker turned into `owner/repo#7`.
  @Test func issueTrackerLinksAreStripped() throws {
    let bare = try ReaderTestDriver.fixture("docker20-multistage-cold.log")
    let linked = bare.replacingOccurrences(of: "\n#", with: "\nmoby/buildkit#")
    let log = LogParser.parse(Array(("moby/buildkit" + linked).utf8))
    #expect(Self.summary(log) == Self.summary(LogParser.parse(Array(bare.utf8))))
    #expect(log.unrecognizedLineCount == 0)
  }

  /// A wrapper that stamps a partial line BuildKit finished later writes its prefix mid-line.
  @Test func aPartialLineThatAWrapperSplitStillJoins() throws {
    let text = """
      2025-03-09 15:44:12.100Z: #1 [1/2] RUN pip install flask
      2025-03-09 15:44:12.200Z: #1 0.512 Downloading flask 45%2025-03-09 15:44:13.000Z: 100%
      2025-03-09 15:44:13.100Z: #1 ...2025-03-09 15:44:13.100Z:
      2025-03-09 15:44:13.200Z:
      2025-03-09 15:44:13.300Z: #2 [2/2] COPY . .
      2025-03-09 15:44:13.400Z: #2 DONE 0.1s
      2025-03-09 15:44:13.500Z:
      2025-03-09 15:44:14.500Z: #1 [1/2] RUN pip install flask
      2025-03-09 15:44:14.600Z: #1 1.912 Successfully installed
      2025-03-09 15:44:14.700Z: #1 DONE 2.4s

      """
    let log = LogParser.parse(Array(text.utf8))
    try #require(log.builds.count == 1)
    let build = log.builds[0]
    #expect(log.unrecognizedLineCount == 0)
    #expect(build.steps.map(\.status) == [.done, .done])
    #expect(build.steps[0].outputTail == ["Downloading flask 45%100%", "Successfully installed"])
    #expect(build.steps[0].duration == 2.4)
    #expect(build.outcome == .success)
  }

  @Test func noBuildNamesASampleLineAndThePrefixTried() {
    let text =
      "[build] 2025-03-09 15:44:12.269Z: starting\n[build] 2025-03-09 15:44:12.300Z: =>> 7 load build definition\n"
    let log = LogParser.parse(Array(text.utf8))
    #expect(log.builds.isEmpty)
    #expect(log.sampleLine == "[build] 2025-03-09 15:44:12.300Z: =>> 7 load build definition")
    #expect(log.prefixTried == nil)
    let tagged = LogParser.parse(
      Array("[ci] #1 almost\n[ci] #2 there\n[ci] #3 but not a build?\n".utf8))
    #expect(tagged.prefixTried == "[tag], space")
  }

  @Test(arguments: [
    ("2025-03-09T15:44:12.269Z ", 1_741_535_052.269),
    ("[2021-06-12T17:10:32.936442+00:00] ", 1_623_517_832.936442),
    ("2025-03-09 17:44:12+02:00: ", 1_741_535_052),
    ("2025/03/09 15:44:12 ", 1_741_535_052),
  ])
  func timestampShapesGiveWallClockTimes(_ prefix: String, _ seconds: Double) throws {
    let line = Array((prefix + "#1 DONE 0.1s").utf8)
    let reading = try #require(
      line.withUnsafeBufferPointer {
        LinePrefix.read(beforeTokenIn: ByteSpan(base: $0.baseAddress!, count: $0.count))
      })
    #expect(reading.length == prefix.utf8.count)
    #expect(reading.time.map { abs($0 - seconds) < 0.000_01 } == true)
  }
}
