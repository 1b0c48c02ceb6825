import Foundation
import Testing

@testable import BuildLog

/// A number out of range in a log is never stored and never traps: its line is refused, counted as
/// unrecognised and reported, and the build it belonged to tells what is known.
@Suite struct HostileNumberTests {
  static let huge = String(repeating: "9", count: 400)

  static func parse(_ text: String) -> ParsedLog {
    LogParser.parse(Array(text.utf8))
  }

  @Test func doneWithAnOverflowingDurationIsRefused() throws {
    let log = Self.parse("#1 [1/2] RUN x\n#1 DONE 9999999999.999999999s\n")
    let step = try #require(log.builds.first?.steps.first)
    #expect(step.status == .unfinished)
    #expect(step.duration == nil)
    #expect(log.builds.first?.outcome == .unknown)
    #expect(log.refusedLineCount == 1)
    #expect(log.refusedLineNumbers == [2])
    #expect(log.unrecognizedLineCount == 1)
    #expect(log.builds.first?.unrecognizedLineCount == 1)
  }

  @Test func outputLineWithAnOverflowingTimeIsStillOutput() throws {
    let log = Self.parse("#1 [1/2] RUN x\n#1 9999999999.999999999 x\n#1 DONE 0.5s\n")
    let step = try #require(log.builds.first?.steps.first)
    #expect(step.outputLineCount == 1)
    #expect(step.outputTail == ["x"])
    #expect(step.duration == 0.5)
    #expect(log.refusedLineCount == 0)
  }

  @Test func plainContextSizeOverOnePetabyteIsRefused() throws {
    let log = Self.parse(
      "#1 [internal] load build context\n#1 transferring context: 999999999999999GB\n#1 DONE 0.1s\n"
    )
    let build = try #require(log.builds.first)
    #expect(build.contextTransferBytes == nil)
    #expect(build.outcome == .success)
    #expect(log.refusedLineNumbers == [2])
    #expect(log.unrecognizedLineCount == 1)
  }

  @Test func plainContextSizeAtOnePetabyteIsKept() throws {
    let log = Self.parse(
      "#1 [internal] load build context\n#1 transferring context: 1000000GB\n#1 DONE 0.1s\n")
    #expect(log.builds.first?.contextTransferBytes == LogNumber.maxBytes)
    #expect(log.refusedLineCount == 0)
  }

  @Test func ttyContextSizeOfFourHundredDigitsIsRefused() throws {
    let log = Self.parse(
      """
      [+] Building 1.0s (1/1) FINISHED
       => [internal] load build context                                 0.1s
       => => transferring context: \(Self.huge)B                        0.0s

      """)
    let build = try #require(log.builds.first)
    #expect(build.format == .tty)
    #expect(build.contextTransferBytes == nil)
    #expect(log.refusedLineNumbers == [3])
  }

  @Test func ttyDurationOverThirtyDaysIsRefused() throws {
    let log = Self.parse(
      """
      [+] Building 2.0s (2/2) FINISHED
       => [1/2] FROM docker.io/library/alpine                           0.5s
       => [2/2] RUN x  99999999999999999999.5s

      """)
    let build = try #require(log.builds.first)
    #expect(build.steps.map(\.name) == ["[1/2] FROM docker.io/library/alpine"])
    #expect(build.steps.allSatisfy { $0.duration.map { $0 <= LogNumber.maxSeconds } ?? true })
    #expect(log.refusedLineNumbers == [3])
  }

  @Test func ttyHeaderWithAHugeElapsedTimeIsRefused() {
    let log = Self.parse("[+] Building \(Self.huge)s (1/1) FINISHED\n")
    #expect(log.builds.isEmpty)
    #expect(log.refusedLineCount == 1)
  }

  @Test func legacyContextSizeOfFourHundredDigitsIsRefused() throws {
    let log = Self.parse(
      """
      Sending build context to Docker daemon  \(Self.huge)B
      Step 1/1 : FROM alpine
       ---> 0123456789ab
      Successfully built 0123456789ab

      """)
    let build = try #require(log.builds.first)
    #expect(build.format == .legacy)
    #expect(build.contextTransferBytes == nil)
    #expect(build.outcome == .success)
    #expect(log.refusedLineNumbers == [1])
  }

  @Test func rawjsonTimeAfter2262IsRefused() throws {
    let first =
      #"{"vertexes":[{"digest":"sha256:a","name":"[1/2] FROM x","started":"2025-03-01T10:00:00Z","completed":"2025-03-01T10:00:01Z"}]}"#
    let late =
      #"{"vertexes":[{"digest":"sha256:b","name":"[2/2] RUN x","started":"2300-01-01T00:00:00Z","completed":"2300-01-01T00:00:01Z"}]}"#
    let log = Self.parse(first + "\n" + late + "\n")
    let build = try #require(log.builds.first)
    #expect(build.steps.map(\.name) == ["[1/2] FROM x"])
    #expect(build.steps.first?.duration == 1)
    #expect(log.refusedLineNumbers == [2])
    #expect(RawJSONReader.nanoseconds("2300-01-01T00:00:00Z") == nil)
    #expect(RawJSONReader.time("2300-01-01T00:00:00Z") == .outOfRange)
    #expect(RawJSONReader.time("1969-12-31T23:59:59Z") == .outOfRange)
    #expect(RawJSONReader.time("2199-12-31T23:59:59Z")?.value == 7_258_118_399_000_000_000)
  }

  @Test func rawjsonVertexCompletedBeforeItStartedIsRefused() {
    let line =
      #"{"vertexes":[{"digest":"sha256:a","name":"x","started":"2025-03-01T10:00:01Z","completed":"2025-03-01T10:00:00Z"}]}"#
    let log = Self.parse(line + "\n")
    #expect(log.builds.isEmpty)
    #expect(log.refusedLineCount == 1)
  }

  @Test(arguments: [
    "DONE nan s", "DONE -5s", "DONE 1e9s", "DONE 2592001s", "DONE inf s", "DONE 1.s", "DONE s",
  ])
  func doneWithoutADurationInRangeLeavesTheBuildUnknown(_ done: String) throws {
    let log = Self.parse(
      "#1 [1/2] FROM x\n#1 DONE 0.1s\n#2 [2/2] RUN x\n#2 \(done)\n#3 [3/3] RUN y\n#3 DONE 0.2s\n")
    let build = try #require(log.builds.first)
    #expect(build.steps.map(\.status) == [.done, .unfinished, .done])
    #expect(build.outcome == .unknown)
    #expect(log.refusedLineNumbers == [4])
    #expect(log.unrecognizedLineCount == 1)
  }

  @Test func doneAtThirtyDaysIsKept() throws {
    let log = Self.parse("#1 [1/1] RUN x\n#1 DONE 2592000s\n")
    #expect(log.builds.first?.steps.first?.duration == 2_592_000)
    #expect(log.builds.first?.outcome == .success)
  }

  @Test func aVertexWithoutATerminalLineLeavesThePlainBuildUnknown() throws {
    let log = Self.parse("#1 [1/2] RUN x\n#2 [2/2] RUN y\n#2 DONE 0.2s\n")
    #expect(log.builds.first?.outcome == .unknown)
    #expect(log.refusedLineCount == 0)
  }

  @Test func ciTimestampOutsideTheRangeIsRefused() throws {
    let log = Self.parse(
      "2025-03-01T10:00:00.0000000Z #1 [1/1] RUN x\n9999-01-01T00:00:00.0000000Z #1 DONE 0.1s\n"
        + "2025-03-01T10:00:02.0000000Z #1 DONE 0.2s\n")
    let build = try #require(log.builds.first)
    #expect(build.steps.first?.doneDurations == [])
    #expect(build.steps.first?.duration == 0.2)
    #expect(build.endedAt == Date(timeIntervalSince1970: 1_740_823_202))
    #expect(log.refusedLineNumbers == [2])
  }

  @Test func aRefusedLineInTheMiddleOfOutputIsNotTakenAsAContinuation() throws {
    let log = Self.parse("#1 [1/1] RUN x\n#1 0.100 partial\n#1 DONE -1s\n#1 DONE 0.3s\n")
    let step = try #require(log.builds.first?.steps.first)
    #expect(step.outputTail == ["partial"])
    #expect(step.doneDurations == [])
    #expect(step.duration == 0.3)
  }
}
