import Foundation
import Testing

@testable import BuildLog

/// Failed tty builds: an `ERROR` row fails the build with or without a `FINISHED` header, every
/// final error form is read, and `#N 0.804 …` lines inside the error block are the step's output.
@Suite struct TTYFailedFrameTests {
  /// Real Docker 20.10 (BuildKit v0.8) tty output, captured through a pseudo-terminal.
  @Test func realDocker20FailureKeepsItsErrorBlock() throws {
    let log = try LogParser.parse(fileAt: Fixtures.url("tty-docker20-failing-run.log").path)
    try #require(log.builds.count == 1)
    let build = log.builds[0]
    #expect(build.format == .tty)
    #expect(build.outcome == .failed)
    #expect(log.unrecognizedLineCount == 0)
    #expect(build.steps.count == 9)
    let failed = try #require(build.steps.last)
    #expect(failed.status == .error)
    #expect(failed.name.hasPrefix("[5/5] RUN sh greet.sh"))
    #expect(
      failed.outputTail == [
        "hello from greet", "Traceback (most recent call last):",
        "ModuleNotFoundError: No module named 'itsdangerous'",
      ])
    #expect(failed.errorText?.hasSuffix("No module named 'itsdangerous'") == true)
    #expect(
      build.errorMessage?.hasPrefix("executor failed running [/bin/sh -c sh greet.sh") == true)
    #expect(build.errorMessage?.hasSuffix("exit code: 3") == true)
  }

  @Test func errorRowWithoutFinishedHeaderIsAFailedBuild() throws {
    let log = try LogParser.parse(fileAt: Fixtures.url("tty-error-row-without-finished.log").path)
    try #require(log.builds.count == 1)
    let build = log.builds[0]
    #expect(build.outcome == .failed)
    #expect(log.unrecognizedLineCount == 0)
    #expect(
      build.steps.filter { $0.status == .error }.map(\.name) == [
        "[4/4] RUN python -c \"import app\""
      ])
    #expect(build.steps.filter { $0.status == .cached }.map(\.name) == ["[2/4] WORKDIR /app"])
    #expect(
      build.steps.last?.outputTail.last == "ModuleNotFoundError: No module named 'itsdangerous'")
    #expect(build.errorMessage?.hasPrefix("failed to solve: process \"/bin/sh -c python") == true)
  }

  @Test func frontendErrorAndNumberedErrorBlockLines() throws {
    let log = try LogParser.parse(fileAt: Fixtures.url("tty-frontend-error-docker20.log").path)
    try #require(log.builds.count == 1)
    let build = log.builds[0]
    #expect(build.format == .tty)
    #expect(build.outcome == .failed)
    #expect(log.unrecognizedLineCount == 0)
    let failed = try #require(build.steps.last)
    #expect(failed.status == .error)
    #expect(
      failed.outputTail == [
        "ERROR: Could not find a version that satisfies the requirement itsdangerous==9.9 (from versions: none)",
        "ERROR: No matching distribution found for itsdangerous==9.9",
      ])
    #expect(build.errorMessage?.hasPrefix("failed to solve with frontend dockerfile.v0: ") == true)
  }

  /// Every final line of a failed build, across buildx, compose and the Docker 20.10 CLI.
  @Test(arguments: [
    (
      "ERROR: failed to build: failed to solve: process \"/bin/sh -c x\" did not complete successfully: exit code: 1",
      "failed to build: failed to solve: process \"/bin/sh -c x\" did not complete successfully: exit code: 1"
    ),
    ("ERROR: failed to solve: x", "failed to solve: x"),
    ("ERROR: target web: failed to solve: x", "target web: failed to solve: x"),
    (
      "error: failed to solve: rpc error: code = Unknown desc = x",
      "failed to solve: rpc error: code = Unknown desc = x"
    ),
    (
      "failed to solve with frontend dockerfile.v0: failed to build LLB: x",
      "failed to solve with frontend dockerfile.v0: failed to build LLB: x"
    ),
    (
      "failed to solve: rpc error: code = Unknown desc = executor failed running [/bin/sh -c x]: exit code: 1",
      "failed to solve: rpc error: code = Unknown desc = executor failed running [/bin/sh -c x]: exit code: 1"
    ),
    (
      "executor failed running [/bin/sh -c x]: exit code: 2",
      "executor failed running [/bin/sh -c x]: exit code: 2"
    ),
    (
      "Error: failed to fetch an image or build from source: error building: failed to solve: x",
      "failed to fetch an image or build from source: error building: failed to solve: x"
    ),
  ])
  func finalErrorForms(_ line: String, _ message: String) {
    #expect(FinalErrorLine.message(Substring(line)) == message)
    let plain = "#1 [1/1] RUN x\n#1 ERROR: x\n" + line + "\n"
    let tty = "[+] Building 1.0s (1/1)\n => ERROR [1/1] RUN x   0.5s\n" + line + "\n"
    for text in [plain, tty] {
      let log = LogParser.parse(Array(text.utf8))
      #expect(log.builds.count == 1)
      #expect(log.builds.first?.errorMessage == message, "\(text)")
      #expect(log.builds.first?.outcome == .failed)
      #expect(log.unrecognizedLineCount == 0)
    }
  }

  @Test(arguments: [
    "error: invalid reference format", "ERROR: [internal] x", "Error: something else",
    "failed to fetch x",
  ])
  func otherLinesAreNotFinalErrors(_ line: String) {
    #expect(FinalErrorLine.message(Substring(line)) == nil)
  }
}
