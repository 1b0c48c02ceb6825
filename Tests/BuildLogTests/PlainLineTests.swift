import Foundation
import Testing

@testable import BuildLog

func parse(_ text: String) -> ParsedLog {
  LogParser.parse(Array(text.utf8))
}

func onlyBuild(_ text: String) throws -> ParsedBuild {
  let log = parse(text)
  try #require(log.builds.count == 1, "expected one build, got \(log.builds.count)")
  return log.builds[0]
}

@Suite struct PlainLineTests {
  @Test func headerNamesTheVertex() throws {
    let b = try onlyBuild("#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n")
    #expect(b.steps.map(\.name) == ["[internal] load build definition from Dockerfile"])
  }

  @Test func doneKeepsTheLastDuration() throws {
    let b = try onlyBuild("#2 [2/3] RUN make\n#2 DONE 1.5s\n\n#2 [2/3] RUN make\n#2 DONE 2.0s\n")
    #expect(b.steps[0].duration == 2.0)
    #expect(b.steps[0].doneDurations == [1.5, 2.0])
    #expect(b.steps[0].status == .done)
  }

  @Test func cachedHasNoDuration() throws {
    let b = try onlyBuild("#5 [2/4] WORKDIR /app\n#5 CACHED\n")
    #expect(b.steps[0].status == .cached)
    #expect(b.steps[0].duration == nil)
  }

  @Test func cachedWinsOverDoneAndErrorWinsOverCached() throws {
    let b = try onlyBuild(
      "#5 [2/4] WORKDIR /app\n#5 DONE 0.0s\n#5 CACHED\n\n#6 [3/4] RUN x\n#6 CACHED\n#6 ERROR: boom\n"
    )
    #expect(b.steps.map(\.status) == [.cached, .error])
  }

  @Test func errorKeepsItsMessage() throws {
    let b = try onlyBuild(
      "#7 [2/2] RUN ./test.sh\n#7 0.412 FAIL: TestParse\n#7 ERROR: process \"/bin/sh -c ./test.sh\" did not complete successfully: exit code: 1\n"
    )
    #expect(b.steps[0].status == .error)
    #expect(
      b.steps[0].errorText
        == "process \"/bin/sh -c ./test.sh\" did not complete successfully: exit code: 1")
    #expect(b.outcome == .failed)
  }

  @Test func canceledVertex() throws {
    let b = try onlyBuild("#8 [2/5] RUN pacman -Sy\n#8 CANCELED\n")
    #expect(b.steps[0].status == .canceled)
    #expect(b.outcome == .canceled)
  }

  @Test func logLinesAreCountedAndKept() throws {
    let b = try onlyBuild(
      "#9 [3/4] RUN uv sync\n#9 0.105 Resolved 12 packages in 3ms\n#9 12.35 Installed 12 packages\n#9 132.4 done\n#9 DONE 132.5s\n"
    )
    #expect(b.steps[0].outputLineCount == 3)
    #expect(
      b.steps[0].outputTail == ["Resolved 12 packages in 3ms", "Installed 12 packages", "done"])
  }

  @Test func negativeLogOffsetIsALogLine() throws {
    let b = try onlyBuild("#9 [3/4] RUN x\n#9 -0.001 early\n#9 DONE 1.0s\n")
    #expect(b.steps[0].outputLineCount == 1)
  }

  @Test func outputTailKeepsOnlyTheLastLines() throws {
    var text = "#3 [2/2] RUN yes\n"
    for i in 0..<(ParsedStep.outputTailLimit + 50) {
      text += "#3 0.\(String(format: "%03d", i % 1000)) line \(i)\n"
    }
    text += "#3 DONE 1.0s\n"
    let b = try onlyBuild(text)
    #expect(b.steps[0].outputLineCount == ParsedStep.outputTailLimit + 50)
    #expect(b.steps[0].outputTail.count == ParsedStep.outputTailLimit)
    #expect(b.steps[0].outputTail.first == "line 50")
    #expect(b.steps[0].outputTail.last == "line \(ParsedStep.outputTailLimit + 49)")
  }

  @Test func rawTextContinuesThePartialLogLine() throws {
    let b = try onlyBuild(
      "#4 [2/3] RUN pip install x\n#4 1.200 Downloading x (12 MB)\n  ━━━━━━━━ 12/12 MB\n#4 DONE 2.0s\n"
    )
    #expect(b.steps[0].outputLineCount == 1)
    #expect(b.steps[0].outputTail == ["Downloading x (12 MB)  ━━━━━━━━ 12/12 MB"])
    #expect(b.unrecognizedLineCount == 0)
  }

  @Test func interruptionAndReprintedHeaderKeepOneVertex() throws {
    let b = try onlyBuild(
      """
      #8 [web 2/4] RUN npm ci
      #8 0.731 added 812 packages
      #8 ...

      #9 [api 2/3] RUN go build -o /bin/api .
      #9 DONE 9.8s

      #8 [web 2/4] RUN npm ci
      #8 11.02 found 0 vulnerabilities
      #8 DONE 11.4s

      """)
    #expect(b.steps.map(\.vertex) == [8, 9])
    #expect(b.steps[0].outputLineCount == 2)
    #expect(b.steps[0].duration == 11.4)
    #expect(b.outcome == .success)
  }

  @Test func statusLinesGiveContextSizeImageAndBaseDigest() throws {
    let b = try onlyBuild(
      """
      #4 [internal] load build context
      #4 transferring context: 48.20kB 0.1s done
      #4 DONE 0.1s

      #5 [1/2] FROM docker.io/library/alpine:3.20
      #5 resolve docker.io/library/alpine:3.20@sha256:\(String(repeating: "ab", count: 32)) 0.0s done
      #5 DONE 0.0s

      #6 exporting to image
      #6 writing image sha256:\(String(repeating: "cd", count: 32)) done
      #6 naming to docker.io/acme/app:1.0 done
      #6 DONE 0.2s

      """)
    #expect(b.contextTransferBytes == 48_200)
    #expect(
      b.steps[1].resolvedReference == "docker.io/library/alpine:3.20@sha256:"
        + String(repeating: "ab", count: 32))
    #expect(b.imageNames == ["docker.io/acme/app:1.0"])
    #expect(b.imageDigest == "sha256:" + String(repeating: "cd", count: 32))
  }

  @Test func oldFormatDigestLineIsTheVertexDigest() throws {
    let digest = "sha256:" + String(repeating: "0f", count: 32)
    let b = try onlyBuild(
      "#1 [internal] load .dockerignore\n#1 \(digest)\n#1 transferring context: 2B done\n#1 DONE 0.0s\n"
    )
    #expect(b.steps[0].digest == digest)
    #expect(b.steps.count == 1)
  }

  @Test func warnLinesBecomeWarnings() throws {
    let b = try onlyBuild(
      "#1 [internal] load build definition from Dockerfile\n#1 WARN: JSONArgsRecommended: JSON arguments recommended (line 4)\n#1 DONE 0.0s\n"
    )
    #expect(b.warnings == ["JSONArgsRecommended: JSON arguments recommended (line 4)"])
  }

  @Test func builderAndDriverComeFromTheZeroLine() throws {
    let b = try onlyBuild(
      "#0 building with \"ci\" instance using docker-container driver\n\n#1 [internal] load .dockerignore\n#1 DONE 0.0s\n"
    )
    #expect(b.builderName == "ci")
    #expect(b.driver == "docker-container")
  }

  @Test func failureTrailersAreRecognised() throws {
    let b = try onlyBuild(
      """
      #9 [2/3] RUN ./test.sh
      #9 0.412 FAIL: TestParse
      #9 ERROR: process "/bin/sh -c ./test.sh" did not complete successfully: exit code: 1
      ------
       > [2/3] RUN ./test.sh:
      0.412 FAIL: TestParse
      ------

       1 warning found (use docker --debug to expand):
       - JSONArgsRecommended: JSON arguments recommended for CMD (line 4)
      Dockerfile:3
      --------------------
         1 |     FROM alpine:3.20
         3 | >>> RUN ./test.sh
      --------------------
      ERROR: failed to build: failed to solve: process "/bin/sh -c ./test.sh" did not complete successfully: exit code: 1

      """)
    #expect(b.unrecognizedLineCount == 0)
    #expect(
      b.errorMessage
        == "failed to build: failed to solve: process \"/bin/sh -c ./test.sh\" did not complete successfully: exit code: 1"
    )
    #expect(b.warnings == ["JSONArgsRecommended: JSON arguments recommended for CMD (line 4)"])
    #expect(b.outcome == .failed)
  }

  @Test func truncatedLogLeavesTheVertexUnfinishedAndTheOutcomeUnknown() throws {
    let b = try onlyBuild(
      "#1 [internal] load .dockerignore\n#1 DONE 0.0s\n\n#2 [2/3] RUN make\n#2 1.0 compiling\n#2 2.0 linki"
    )
    #expect(b.steps[1].status == .unfinished)
    #expect(b.outcome == .unknown)
  }
}

@Suite struct BuildSplittingTests {
  @Test func eachZeroLineStartsABuild() {
    let one =
      "#0 building with \"default\" instance using docker driver\n\n#1 [internal] load .dockerignore\n#1 DONE 0.0s\n\n"
    let log = parse(one + one.replacingOccurrences(of: ".dockerignore", with: "build context"))
    #expect(log.builds.count == 2)
    #expect(
      log.builds.map { $0.steps.map(\.name) } == [
        ["[internal] load .dockerignore"], ["[internal] load build context"],
      ])
  }

  @Test func vertexOneAgainAfterAFinishedBuildStartsAnother() {
    let one =
      "#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n\n#2 [1/2] FROM docker.io/local/busybox:1\n#2 DONE 0.1s\n\n"
    let two = one.replacingOccurrences(of: "0.1s", with: "0.3s")
    let log = parse(one + two)
    #expect(log.builds.count == 2)
    #expect(log.builds[1].steps[1].duration == 0.3)
  }

  @Test func aLogPrintedTwiceIsOneBuild() {
    let one =
      "#0 building with \"x\" instance using docker driver\n\n#1 [1/2] RUN a\n#1 ERROR: boom\nERROR: failed to solve: boom\n"
    let log = parse(one + "docker stdout: " + one)
    #expect(log.builds.count == 1)
  }

  @Test func bootDisplayBeforeTheZeroLineBelongsToTheBuild() {
    let log = parse(
      "#1 [internal] booting buildkit\n#1 DONE 5.0s\n\n#0 building with \"b\" instance using docker-container driver\n\n#1 [internal] load .dockerignore\n#1 DONE 0.0s\n"
    )
    #expect(log.builds.count == 1)
  }

  @Test func noBuildInPlainText() {
    let log = parse("hello\nworld\n")
    #expect(log.builds.isEmpty)
    #expect(log.unrecognizedLineCount == 2)
  }
}

@Suite struct DecorationTests {
  @Test func githubActionsTimestampsAreStrippedAndGiveWallTime() throws {
    let b = try onlyBuild(
      "2025-03-01T10:00:00.0000000Z #1 [2/2] RUN make\n2025-03-01T10:00:07.5000000Z #1 DONE 7.5s\n2025-03-01T10:00:07.6000000Z\n"
    )
    #expect(b.steps[0].duration == 7.5)
    #expect(b.startedAt == Date(timeIntervalSince1970: 1_740_823_200))
    #expect(b.wallSeconds.map { abs($0 - 7.6) < 0.001 } == true)
    #expect(b.steps[0].completedAt == Date(timeIntervalSince1970: 1_740_823_207.5))
  }

  @Test func ansiAndCarriageReturnsAreStripped() throws {
    let b = try onlyBuild("\u{1B}[36m#1 [2/2] RUN make\u{1B}[0m\r\n#1 DONE 1.0s\r\n")
    #expect(b.steps[0].name == "[2/2] RUN make")
    #expect(b.steps[0].duration == 1.0)
  }

  @Test func ghRunViewColumnsSeparateJobs() {
    let log = parse(
      "build a\tBuild\t2025-11-08T21:56:32.0602943Z #15 ERROR: not found\nbuild b\tBuild\t2025-11-08T21:56:33.0Z #12 ERROR: not found\nbuild a\tBuild\t2025-11-08T21:56:34.0Z ERROR: failed to solve: x\n"
    )
    #expect(log.builds.count == 2)
    #expect(log.builds.map(\.job) == ["build a", "build b"])
  }

  @Test func wrapperPrefixesAreStripped() throws {
    for prefix in ["[error] ", " DEBUG [38b78d1e] \t", "Trace: "] {
      let b = try onlyBuild("\(prefix)#1 [1/1] RUN x\n\(prefix)#1 DONE 1.0s\n")
      #expect(b.steps.first?.name == "[1/1] RUN x", "\(prefix)")
    }
  }

  @Test func gitlabSectionMarkersAreStripped() throws {
    let log = parse(
      "section_start:1594830697:build\r\u{1B}[0K#1 [1/1] RUN x\n#1 DONE 1.0s\nsection_end:1594830698:build\r\u{1B}[0K\n"
    )
    #expect(log.builds.first?.steps.first?.name == "[1/1] RUN x")
    #expect(log.unrecognizedLineCount == 0)
  }

  @Test func invalidUTF8IsReadWithReplacement() throws {
    var bytes =
      Array("#1 [1/1] RUN x\n#1 0.1 caf".utf8) + [0xE9] + Array("\nnot utf8 \u{FF}".utf8) + [
        0xFF, 0x0A,
      ]
    bytes += Array("#1 DONE 1.0s\n".utf8)
    let log = LogParser.parse(bytes)
    #expect(log.builds.count == 1)
    #expect(log.builds[0].steps[0].outputTail.first?.hasPrefix("caf\u{FFFD}") == true)
  }

  @Test func aHugeLineIsCutNotKept() {
    let parser = LogParser()
    parser.feed(Array("#1 [1/1] RUN x\n#1 0.1 ".utf8))
    let block = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
    for _ in 0..<10 { parser.feed(block) }
    parser.feed(Array("\n#1 DONE 1.0s\n".utf8))
    let log = parser.finish()
    #expect(log.cutLineCount == 1)
    #expect(log.builds.first?.steps.first?.status == .done)
    #expect(
      (log.builds.first?.steps.first?.outputTail.first?.utf8.count ?? 0) <= OutputTail.maxLineBytes)
  }

  @Test func chunkBoundariesDoNotChangeTheResult() throws {
    let text = Array(
      try String(contentsOf: Fixtures.url("docker20-parallel-stages.log"), encoding: .utf8).utf8)
    let whole = LogParser.parse(text)
    let parser = LogParser()
    var i = 0
    while i < text.count {
      let n = min(7, text.count - i)
      parser.feed(Array(text[i..<(i + n)]))
      i += n
    }
    #expect(parser.finish() == whole)
  }
}

@Suite struct ByteSpanTests {
  @Test(arguments: [
    ([UInt8]("plain ascii".utf8), true), ([UInt8]("café ━ 🚀".utf8), true), ([0x63, 0xE9], false),
    ([0xFF, 0xFE], false), ([0xED, 0xA0, 0x80], false), ([0xE2, 0x94], false),
    ([0xC0, 0xAF], false),
  ])
  func validatesUTF8(_ bytes: [UInt8], _ valid: Bool) {
    bytes.withUnsafeBufferPointer { b in
      let span = ByteSpan(base: b.baseAddress!, count: b.count)
      #expect(span.isValidUTF8 == valid)
      #expect(span.hasNonASCII == bytes.contains { $0 >= 0x80 })
    }
  }

  @Test func countsInvalidLines() {
    let log = LogParser.parse(
      Array("#1 [1/1] RUN x\n#1 0.1 ok\n".utf8) + [
        0x23, 0x31, 0x20, 0x30, 0x2E, 0x32, 0x20, 0xE9, 0x0A,
      ] + Array("#1 DONE 1.0s\n".utf8))
    #expect(log.invalidUTF8LineCount == 1)
  }
}
