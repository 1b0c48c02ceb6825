import BuildLog
import Foundation
import Testing

/// One test per kind of tty line.
struct TTYReaderTests {
  private func parse(_ lines: [String]) -> (builds: [ParsedBuild], accepted: [Bool]) {
    ReaderTestDriver.run(TTYReader(), lines: lines)
  }

  @Test func headerGivesBuilderAndDriver() throws {
    let (builds, accepted) = parse([
      "[+] Building 14.2s (2/2) FINISHED                                   docker:default",
      " => [internal] load build definition from Dockerfile                  0.0s",
      " => [1/1] FROM docker.io/library/alpine:3.20                           0.1s",
    ])
    #expect(accepted == [true, true, true])
    let build = try #require(builds.first)
    #expect(build.builderName == "default")
    #expect(build.driver == "docker")
    #expect(build.outcome == .success)
    #expect(build.steps.map(\.vertex) == [1, 2])
    #expect(build.steps.map(\.duration) == [0.0, 0.1])
    #expect(build.firstLine == 1 && build.lastLine == 3)
  }

  @Test func headerWithoutBuilderOrFinished() throws {
    let (builds, _) = parse([
      "[+] Building 3.0s (1/2)                                                        ",
      " => [1/2] FROM docker.io/library/alpine                                   0.5s",
      " => [2/2] RUN make                                                        2.4s",
    ])
    let build = try #require(builds.first)
    #expect(build.builderName == nil && build.driver == nil)
    #expect(build.outcome == .unknown)
    #expect(build.steps.map(\.status) == [.done, .done])
  }

  @Test func rowPrefixesGiveStatus() throws {
    let (builds, _) = parse([
      "[+] Building 9.9s (4/4) FINISHED",
      " => CACHED [2/5] WORKDIR /app                                 0.0s",
      " => ERROR [build 8/12] RUN make                               1.2s",
      " => CANCELED [lint 2/3] RUN golangci-lint run                 1.1s",
      " => [3/5] COPY . .                                            0.3s",
    ])
    let build = try #require(builds.first)
    #expect(
      build.steps.map(\.name) == [
        "[2/5] WORKDIR /app", "[build 8/12] RUN make", "[lint 2/3] RUN golangci-lint run",
        "[3/5] COPY . .",
      ])
    #expect(build.steps.map(\.status) == [.cached, .error, .canceled, .done])
    #expect(build.steps.map(\.duration) == [0.0, 1.2, 1.1, 0.3])
    #expect(build.outcome == .failed)
  }

  @Test func rowsWithoutDuration() throws {
    let unfinished = parse([
      "[+] Building 2.0s (1/3)",
      " => [1/3] FROM docker.io/library/alpine        0.5s",
      " => [2/3] RUN make",
      " => [3/3] COPY --from=build /app /app-with-a-very-long-name-truncated-by-the-termi",
    ]).builds
    #expect(unfinished.first?.steps.map(\.status) == [.done, .unfinished, .unfinished])
    #expect(unfinished.first?.steps.map(\.duration) == [0.5, nil, nil])
    let finished = parse([
      "[+] Building 2.0s (2/2) FINISHED", " => [1/2] FROM alpine", " => [2/2] RUN make   1.0s",
    ])
    .builds
    #expect(finished.first?.steps.map(\.status) == [.done, .done])
  }

  @Test func subRowsAreNotSteps() throws {
    let (builds, accepted) = parse([
      "[+] Building 1.0s (2/2) FINISHED",
      " => [internal] load build context                              0.1s",
      " => => transferring context: 48.20kB                           0.0s",
      " => exporting to image                                         0.2s",
      " => => exporting layers                                        0.1s",
      " => => writing image sha256:abcdef0123456789                   0.0s",
      " => => naming to docker.io/acme/app:1.0                        0.0s",
    ])
    #expect(accepted.allSatisfy { $0 })
    let build = try #require(builds.first)
    #expect(build.steps.count == 2)
    #expect(build.contextTransferBytes == 48_200)
    #expect(build.imageDigest == "sha256:abcdef0123456789")
    #expect(build.imageNames == ["docker.io/acme/app:1.0"])
  }

  @Test func liveLogLinesAreOutputOfTheStepAbove() throws {
    let (builds, _) = parse([
      "[+] Building 5.0s (2/3)",
      " => [1/3] FROM docker.io/library/alpine                      0.1s",
      " => [2/3] RUN apk add curl                                   4.2s",
      " => => # fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main",
      " => => # (1/5) Installing ca-certificates",
      " => => #",
    ])
    let step = try #require(builds.first?.steps.last)
    #expect(step.outputLineCount == 3)
    #expect(
      step.outputTail == [
        "fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main",
        "(1/5) Installing ca-certificates", "",
      ])
    #expect(builds.first?.steps.first?.outputLineCount == 0)
  }

  @Test func warningRowsAndSummary() throws {
    let (builds, accepted) = parse([
      "[+] Building 1.0s (2/2) FINISHED",
      " => [internal] load build definition from Dockerfile            0.0s",
      " => WARN: JSONArgsRecommended: JSON arguments recommended for CMD (line 4)   0.0s",
      " => [1/1] FROM alpine                                            0.0s",
      "",
      " 2 warnings found (use docker --debug to expand):",
      " - JSONArgsRecommended: JSON arguments recommended for CMD (line 4)",
      " - UndefinedVar: Usage of undefined variable '$FOO' (line 3)",
    ])
    #expect(accepted.allSatisfy { $0 })
    let build = try #require(builds.first)
    #expect(build.steps.count == 2)
    #expect(
      build.warnings == [
        "JSONArgsRecommended: JSON arguments recommended for CMD (line 4)",
        "UndefinedVar: Usage of undefined variable '$FOO' (line 3)",
      ])
    #expect(build.outcome == .success)
  }

  @Test func errorBlockSnippetAndFinalError() throws {
    let lines = [
      "[+] Building 3.1s (6/6) FINISHED                                 docker:default",
      " => [internal] load build definition from Dockerfile           0.0s",
      " => ERROR [2/3] RUN ./test.sh                                   0.5s",
      "------",
      " > [2/3] RUN ./test.sh:",
      "0.412 FAIL: TestParse",
      "0.413 exit status 1",
      "------",
      "Dockerfile:3",
      "--------------------",
      "   2 |     COPY test.sh .",
      "   3 | >>> RUN ./test.sh",
      "--------------------",
      "ERROR: failed to build: failed to solve: process \"/bin/sh -c ./test.sh\" did not complete successfully: exit code: 1",
      "make: *** [image] Error 1",
    ]
    let (builds, accepted) = parse(lines)
    #expect(accepted == Array(repeating: true, count: 14) + [false])
    let build = try #require(builds.first)
    #expect(build.outcome == .failed)
    #expect(
      build.errorMessage
        == "failed to build: failed to solve: process \"/bin/sh -c ./test.sh\" did not complete successfully: exit code: 1"
    )
    let step = build.steps[1]
    #expect(step.status == .error)
    #expect(step.outputTail == ["FAIL: TestParse", "exit status 1"])
    #expect(step.errorText == "FAIL: TestParse\nexit status 1")
    #expect(build.lastLine == 14)
  }

  @Test func finalErrorGivesErrorTextWithoutBlock() throws {
    let (builds, _) = parse([
      " => ERROR [2/2] RUN false                                     0.2s",
      "ERROR: failed to solve: process \"/bin/sh -c false\" did not complete successfully: exit code: 1",
    ])
    #expect(
      builds.first?.steps.first?.errorText
        == "process \"/bin/sh -c false\" did not complete successfully: exit code: 1"
    )
  }

  @Test func canceledBuild() throws {
    let (builds, _) = parse([
      "[+] Building 2.0s (2/3) FINISHED",
      " => [1/2] FROM alpine                                  0.1s",
      " => CANCELED [2/2] RUN sleep 100                       1.8s",
      "ERROR: failed to solve: Canceled: context canceled",
    ])
    #expect(builds.first?.outcome == .canceled)
  }

  @Test func trailersOnlyWhileActive() throws {
    let (builds, accepted) = parse([
      "[+] Building 1.0s (1/1) FINISHED",
      " => [1/1] FROM alpine                                  0.1s",
      "[+] Running 2/2",
      "",
      "ERROR: something else",
      "------",
    ])
    #expect(accepted == [true, true, false, false, false, false])
    #expect(builds.first?.errorMessage == nil)
    #expect(builds.first?.outcome == .success)
    #expect(builds.first?.unrecognizedLineCount == 0)
  }

  @Test func lastFrameReplacesEarlierFrames() throws {
    let (builds, _) = parse([
      "[+] Building 0.5s (1/3)",
      " => [1/3] FROM alpine                                  0.1s",
      " => [2/3] RUN make                                     0.3s",
      " => => # compiling",
      "[+] Building 1.6s (3/3)",
      " => [1/3] FROM alpine                                  0.1s",
      " => [2/3] RUN make                                     1.2s",
      " => => # compiling",
      " => => # linking",
      " => [3/3] COPY . .                                     0.1s",
      "[+] Building 1.7s (3/3) FINISHED",
      " => [1/3] FROM alpine                                  0.1s",
      " => [2/3] RUN make                                     1.2s",
      " => [3/3] COPY . .                                     0.1s",
    ])
    #expect(builds.count == 1)
    let build = try #require(builds.first)
    #expect(build.steps.map(\.duration) == [0.1, 1.2, 0.1])
    #expect(build.steps[1].outputLineCount == 0)
    #expect(build.outcome == .success)
    #expect(build.firstLine == 1 && build.lastLine == 14)
  }

  @Test func repeatedFinishedFrameIsTheSameBuild() throws {
    let frame = [
      "[+] Building 1.7s (2/2) FINISHED",
      " => [1/2] FROM alpine                                  0.1s",
      " => [2/2] RUN make                                     1.2s",
    ]
    #expect(parse(frame + frame).builds.count == 1)
  }

  @Test func newStepListAfterFinishedIsANewBuild() throws {
    let (builds, _) = parse([
      "[+] Building 1.7s (2/2) FINISHED",
      " => [1/2] FROM alpine                                  0.1s",
      " => [2/2] RUN make                                     1.2s",
      "[+] Building 2.7s (1/1) FINISHED",
      " => [1/1] FROM debian                                  2.5s",
    ])
    #expect(builds.count == 2)
    #expect(builds.map(\.steps.count) == [2, 1])
    #expect(builds.map(\.firstLine) == [1, 4])
    #expect(builds.first?.lastLine == 3)
  }

  @Test func elapsedGoingBackIsANewBuild() throws {
    let (builds, _) = parse([
      "[+] Building 9.0s (1/2)",
      " => [1/2] FROM alpine                                  0.1s",
      "[+] Building 0.2s (0/1)",
      " => [1/1] FROM alpine                                  0.1s",
    ])
    #expect(builds.count == 2)
  }

  @Test func unrelatedLinesAreRejected() {
    let (builds, accepted) = parse([
      "Step 1/2 : FROM alpine",
      "{\"vertexes\":[]}",
      "#1 [internal] load build definition",
      "just some text",
      "=>",
      "",
    ])
    #expect(accepted.allSatisfy { !$0 })
    #expect(builds.isEmpty)
  }

  @Test func unrecognizedLinesInsideAnUnfinishedFrame() throws {
    let reader = TTYReader()
    #expect(reader.read("[+] Building 1.0s (0/1)", lineNumber: 1, timestamp: nil))
    #expect(!reader.read("garbage", lineNumber: 2, timestamp: nil))
    #expect(reader.countUnrecognized(lineNumber: 2))
    #expect(reader.read(" => [1/1] FROM alpine   0.2s", lineNumber: 3, timestamp: nil))
    #expect(reader.finish().first?.unrecognizedLineCount == 1)
  }

  @Test func timestampsGiveWallClock() throws {
    let start = Date(timeIntervalSince1970: 1_700_000_000)
    let (builds, _) = ReaderTestDriver.run(
      TTYReader(), lines: ["[+] Building 1.0s (1/1) FINISHED", " => [1/1] FROM alpine   0.2s"],
      timestamps: [start, start.addingTimeInterval(1.5)])
    #expect(builds.first?.startedAt == start)
    #expect(builds.first?.wallSeconds == 1.5)
  }

  @Test func outputTailIsBounded() throws {
    var lines = ["[+] Building 1.0s (0/1)", " => [1/1] RUN yes   0.2s"]
    lines += (1...500).map { " => => # line \($0)" }
    let step = try #require(parse(lines).builds.first?.steps.first)
    #expect(step.outputLineCount == 500)
    #expect(step.outputTail.count == ParsedStep.outputTailLimit)
    #expect(step.outputTail.first == "line 301")
    #expect(step.outputTail.last == "line 500")
  }
}
