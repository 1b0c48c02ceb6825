import BuildLog
import Foundation
import Testing

/// One test per kind of legacy-builder line.
struct LegacyReaderTests {
  private func parse(_ lines: [String], timestamps: [Date?]? = nil) -> (
    builds: [ParsedBuild], accepted: [Bool]
  ) {
    ReaderTestDriver.run(LegacyReader(), lines: lines, timestamps: timestamps)
  }

  private let success = [
    "Sending build context to Docker daemon  3.58kB",
    "Step 1/4 : FROM alpine:3.20",
    " ---> 1d34ffeaf190",
    "Step 2/4 : RUN apk add --no-cache curl",
    " ---> Running in 4be1c9a2d7f0",
    "fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz",
    "",
    "OK: 12 MiB in 20 packages",
    " ---> Removed intermediate container 4be1c9a2d7f0",
    " ---> 7c2e0d9b11aa",
    "Step 3/4 : COPY app /app",
    " ---> Using cache",
    " ---> 5f1a88c0e2b3",
    "Step 4/4 : CMD [\"/app\"]",
    " ---> [Warning] The requested image's platform (linux/arm64) does not match",
    " ---> Running in 0a1b2c3d4e5f",
    "Removing intermediate container 0a1b2c3d4e5f",
    " ---> 9e8d7c6b5a41",
    "Successfully built 9e8d7c6b5a41",
    "Successfully tagged acme/app:dev",
    "Successfully tagged acme/app:latest",
  ]

  @Test func successfulBuild() throws {
    let (builds, accepted) = parse(success)
    #expect(accepted.allSatisfy { $0 })
    let build = try #require(builds.first)
    #expect(builds.count == 1)
    #expect(build.format == .legacy)
    #expect(build.contextTransferBytes == 3580)
    #expect(
      build.steps.map(\.name) == [
        "[1/4] FROM alpine:3.20", "[2/4] RUN apk add --no-cache curl", "[3/4] COPY app /app",
        "[4/4] CMD [\"/app\"]",
      ])
    #expect(build.steps.map(\.vertex) == [1, 2, 3, 4])
    #expect(build.steps.map(\.status) == [.done, .done, .cached, .done])
    #expect(build.steps.map(\.duration) == [nil, nil, nil, nil])
    #expect(build.steps[1].outputLineCount == 3)
    #expect(
      build.steps[1].outputTail == [
        "fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz", "",
        "OK: 12 MiB in 20 packages",
      ])
    #expect(build.steps[3].outputLineCount == 0)
    #expect(build.warnings == ["The requested image's platform (linux/arm64) does not match"])
    #expect(build.imageDigest == "9e8d7c6b5a41")
    #expect(build.imageNames == ["acme/app:dev", "acme/app:latest"])
    #expect(build.outcome == .success)
    #expect(build.firstLine == 1 && build.lastLine == 21)
  }

  @Test func contextSizes() {
    #expect(
      parse(["Sending build context to Docker daemon 3.072 kB", "Step 0 : FROM x"]).builds.first?
        .contextTransferBytes
        == 3072)
    #expect(
      parse(["Sending build context to Docker daemon  1.2MB", "Step 1/1 : FROM x"]).builds.first?
        .contextTransferBytes
        == 1_200_000)
    #expect(
      parse(["Sending build context to Docker daemon  512B", "Step 1/1 : FROM x"]).builds.first?
        .contextTransferBytes
        == 512)
    let repeated = parse([
      "Sending build context to Docker daemon  2kB", "Sending build context to Docker daemon",
      "Step 1/1 : FROM x",
    ])
    #expect(repeated.builds.count == 1)
    #expect(repeated.builds.first?.contextTransferBytes == 2000)
  }

  @Test func stepWithoutTotal() throws {
    let build = try #require(
      parse(["Step 0 : FROM busybox", " ---> 1234567890ab", "Step 1 : RUN true"]).builds.first)
    #expect(build.steps.map(\.name) == ["FROM busybox", "RUN true"])
    #expect(build.steps.map(\.status) == [.done, .unfinished])
    #expect(build.outcome == .unknown)
  }

  @Test func failedRun() throws {
    let (builds, accepted) = parse([
      "Step 1/3 : FROM alpine",
      " ---> 1d34ffeaf190",
      "Step 2/3 : RUN make",
      " ---> Running in 4be1c9a2d7f0",
      "make: *** No targets specified and no makefile found.  Stop.",
      "The command '/bin/sh -c make' returned a non-zero code: 2",
      "Total reclaimed space: 0B",
    ])
    #expect(accepted == [true, true, true, true, true, true, false])
    let build = try #require(builds.first)
    #expect(build.steps.map(\.status) == [.done, .error])
    #expect(build.steps[1].errorText == "The command '/bin/sh -c make' returned a non-zero code: 2")
    #expect(
      build.steps[1].outputTail == ["make: *** No targets specified and no makefile found.  Stop."])
    #expect(build.errorMessage == "The command '/bin/sh -c make' returned a non-zero code: 2")
    #expect(build.outcome == .failed)
    #expect(build.lastLine == 6)
  }

  @Test func copyFailure() throws {
    let build = try #require(
      parse([
        "Step 1/2 : FROM alpine", " ---> 1d34ffeaf190", "Step 2/2 : COPY missing /x",
        "COPY failed: file not found in build context or excluded by .dockerignore: stat missing: file does not exist",
      ]).builds.first)
    #expect(build.steps.map(\.status) == [.done, .error])
    #expect(build.outcome == .failed)
  }

  @Test func runningOutputMayLookLikeBuilderLines() throws {
    let (builds, accepted) = parse([
      "Step 1/2 : FROM python:3.12",
      " ---> 1d34ffeaf190",
      "Step 2/2 : RUN pip install foo",
      " ---> Running in 4be1c9a2d7f0",
      "Building wheels for collected packages: foo",
      "Building foo",
      "Successfully built foo",
      "Step 9/9 : not a step",
      "WARN[0000] from a program",
      "Successfully installed foo-1.0",
      "Removing intermediate container 4be1c9a2d7f0",
      " ---> 7c2e0d9b11aa",
      "Successfully built 7c2e0d9b11aa",
    ])
    #expect(accepted.allSatisfy { $0 })
    let build = try #require(builds.first)
    #expect(builds.count == 1)
    #expect(build.steps.count == 2)
    #expect(build.steps[1].outputLineCount == 6)
    #expect(build.imageDigest == "7c2e0d9b11aa")
    #expect(build.outcome == .success)
  }

  @Test func deprecatedBanner() throws {
    let (builds, accepted) = parse([
      "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.",
      "            Install the buildx component to build images with BuildKit:",
      "            https://docs.docker.com/go/buildx/",
      "",
      "Sending build context to Docker daemon  2.048kB",
      "Step 1/1 : FROM alpine",
      " ---> 1d34ffeaf190",
      "Successfully built 1d34ffeaf190",
    ])
    #expect(accepted.allSatisfy { $0 })
    #expect(builds.count == 1)
    #expect(builds.first?.firstLine == 5)
    #expect(builds.first?.warnings == [])
  }

  @Test func composeServicesNameSteps() throws {
    let (builds, accepted) = parse([
      "Building db",
      "Step 1/2 : FROM postgres",
      " ---> 53912975086f",
      "Step 2/2 : ENV A b",
      " ---> Running in 52fef8c86ea8",
      "Removing intermediate container 52fef8c86ea8",
      " ---> 8c3159f2887f",
      "Successfully built 8c3159f2887f",
      "Building web",
      "Step 1 : FROM openjdk:8",
      " ---> 27da2af61908",
      "Successfully built 27da2af61908",
    ])
    #expect(accepted.allSatisfy { $0 })
    #expect(
      builds.map { $0.steps.map(\.name) } == [
        ["[db 1/2] FROM postgres", "[db 2/2] ENV A b"], ["[web] FROM openjdk:8"],
      ])
    #expect(builds.map(\.job) == [nil, nil])
    #expect(builds.map(\.firstLine) == [2, 10])
  }

  @Test func restartedStepNumbersStartANewBuild() {
    let builds = parse([
      "Step 1/2 : FROM alpine", " ---> 1d34ffeaf190", "Step 2/2 : RUN true", " ---> 2d34ffeaf190",
      "Step 1/1 : FROM debian", " ---> 3d34ffeaf190",
    ]).builds
    #expect(builds.map(\.steps.count) == [2, 1])
    #expect(builds.map(\.outcome) == [.unknown, .unknown])
  }

  @Test func warnBannerGoesToTheNextBuild() throws {
    let (builds, accepted) = parse([
      "WARN[0000] SECURITY WARNING: a short warning",
      "Sending build context to Docker daemon  2kB",
      "Step 1/1 : FROM alpine",
    ])
    #expect(accepted.allSatisfy { $0 })
    #expect(builds.first?.warnings == ["SECURITY WARNING: a short warning"])
    #expect(builds.first?.firstLine == 2)
  }

  @Test func staleWarnBannersAreDropped() {
    let (builds, _) = parse([
      "WARN[0000] docker-compose.yml: the attribute `version` is obsolete",
      "something else",
      "WARN[0000] SECURITY WARNING: this one",
      "Step 1/1 : FROM alpine",
    ])
    #expect(builds.first?.warnings == ["SECURITY WARNING: this one"])
  }

  @Test func buildArgsWarning() {
    let builds = parse([
      "Step 1/1 : FROM alpine", " ---> 1d34ffeaf190",
      "[Warning] One or more build-args [FOO] were not consumed",
      "Successfully built 1d34ffeaf190",
    ]).builds
    #expect(builds.first?.warnings == ["[Warning] One or more build-args [FOO] were not consumed"])
    #expect(builds.first?.outcome == .success)
  }

  @Test func timestampsGiveDurations() throws {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    let lines = [
      "Step 1/2 : FROM alpine", " ---> 1d34ffeaf190", "Step 2/2 : RUN make",
      " ---> Running in 4be1c9a2d7f0", "ok",
      " ---> 7c2e0d9b11aa", "Successfully built 7c2e0d9b11aa",
    ]
    let times: [Date?] = [0, 0.5, 2, 2.1, 5, 7, 7.5].map { t0.addingTimeInterval($0) }
    let build = try #require(parse(lines, timestamps: times).builds.first)
    #expect(build.steps.map(\.duration) == [2, 5.5])
    #expect(build.steps.first?.startedAt == t0)
    #expect(build.steps.last?.completedAt == t0.addingTimeInterval(7.5))
    #expect(build.startedAt == t0)
    #expect(build.wallSeconds == 7.5)
  }

  @Test func unfinishedWhenTheLogEnds() throws {
    let build = try #require(
      parse([
        "Step 1/2 : FROM alpine", " ---> 1d34ffeaf190", "Step 2/2 : RUN make",
        " ---> Running in 4be1c9a2d7f0",
        "building",
      ]).builds.first)
    #expect(build.steps.map(\.status) == [.done, .unfinished])
    #expect(build.outcome == .unknown)
  }

  @Test func unrelatedLinesAreRejected() {
    let (builds, accepted) = parse([
      "[+] Building 1.0s (1/1) FINISHED",
      " => [1/1] FROM alpine   0.1s",
      "{\"vertexes\":[]}",
      "Successfully built foo bar",
      "Successfully tagged acme/app",
      " ---> 1d34ffeaf190",
      "The command '/bin/sh -c make' returned a non-zero code: 2",
      "Building wheel for foo (setup.py)",
      "",
    ])
    #expect(accepted.allSatisfy { !$0 })
    #expect(builds.isEmpty)
  }

  @Test func unrecognizedLinesInsideAnOpenBuild() throws {
    let reader = LegacyReader()
    #expect(reader.read("Step 1/2 : FROM alpine", lineNumber: 1, timestamp: nil))
    #expect(!reader.read("something odd", lineNumber: 2, timestamp: nil))
    #expect(reader.countUnrecognized(lineNumber: 2))
    #expect(reader.read("Successfully built 1d34ffeaf190", lineNumber: 3, timestamp: nil))
    #expect(!reader.read("Creating app_1 ... done", lineNumber: 4, timestamp: nil))
    #expect(!reader.countUnrecognized(lineNumber: 4))
    #expect(reader.finish().first?.unrecognizedLineCount == 1)
  }

  @Test func interruptedRunningStepStopsTakingLines() throws {
    let reader = LegacyReader()
    #expect(reader.read("Step 1/1 : RUN make", lineNumber: 1, timestamp: nil))
    #expect(reader.read(" ---> Running in 4be1c9a2d7f0", lineNumber: 2, timestamp: nil))
    #expect(reader.read("compiling", lineNumber: 3, timestamp: nil))
    // line 4 went to another reader (a `#1 …` line)
    #expect(!reader.read("some text", lineNumber: 5, timestamp: nil))
    #expect(reader.finish().first?.steps.first?.outputLineCount == 1)
  }

  @Test func outputTailIsBounded() throws {
    let lines =
      ["Step 1/1 : RUN yes", " ---> Running in 4be1c9a2d7f0"] + (1...1000).map { "y \($0)" }
    let step = try #require(parse(lines).builds.first?.steps.first)
    #expect(step.outputLineCount == 1000)
    #expect(step.outputTail.count == ParsedStep.outputTailLimit)
    #expect(step.outputTail.first == "y 801")
    #expect(step.outputTail.last == "y 1000")
  }
}
