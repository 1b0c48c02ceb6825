import BuildLog
import Foundation
import Testing

/// The hand-written rawjson fixtures, and one test per kind of rawjson line.
struct RawJSONReaderTests {
  private func parse(_ lines: [String]) -> (builds: [ParsedBuild], accepted: [Bool]) {
    ReaderTestDriver.run(RawJSONReader(), lines: lines)
  }

  private func time(_ text: String) throws -> Date {
    let ns = try #require(RawJSONReader.nanoseconds(text))
    return Date(timeIntervalSince1970: Double(ns) / 1e9)
  }

  @Test func successFixture() throws {
    let lines = ReaderTestDriver.lines(try ReaderTestDriver.fixture("rawjson-success.jsonl"))
    let (builds, accepted) = parse(lines)
    #expect(accepted.allSatisfy { $0 })
    #expect(builds.count == 1)
    let build = try #require(builds.first)
    #expect(build.format == .rawjson)
    #expect(build.outcome == .success)
    #expect(
      build.steps.map(\.name) == [
        "[internal] load build definition from Dockerfile",
        "[internal] load metadata for docker.io/library/alpine:3.20",
        "[internal] load .dockerignore",
        "[1/4] FROM docker.io/library/alpine:3.20@sha256:" + String(repeating: "c", count: 64),
        "[internal] load build context",
        "[2/4] RUN apk add --no-cache curl",
        "[3/4] COPY . /app",
        "[4/4] RUN make",
        "exporting to image",
      ])
    #expect(build.steps.map(\.vertex) == Array(1...9))
    #expect(
      build.steps.map(\.status) == [
        .done, .done, .done, .cached, .done, .cached, .done, .done, .done,
      ])
    #expect(build.steps.map(\.duration) == [0.05, 1.25, 0.03, 0, 0.12, 0, 0.12, 4.25, 0.612345678])
    #expect(
      build.steps.map(\.digest) == "123456789".map { "sha256:" + String(repeating: $0, count: 64) })
    let make = build.steps[7]
    #expect(make.outputLineCount == 5)
    #expect(
      make.outputTail == [
        "make: building", "step 1 of 3", "step 2 of 3", "step 3 of 3", "warning: something",
      ])
    #expect(make.startedAt == (try time("2025-03-01T10:00:02Z")))
    #expect(make.completedAt == (try time("2025-03-01T10:00:06.25Z")))
    #expect(
      build.steps.filter { $0.name != "[4/4] RUN make" }.allSatisfy { $0.outputLineCount == 0 })
    #expect(build.contextTransferBytes == 48_200)
    #expect(
      build.warnings == [
        "JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 9)"
      ])
    #expect(build.imageNames == ["docker.io/acme/app:1.0"])
    #expect(build.imageDigest == "sha256:" + String(repeating: "e", count: 64))
    #expect(build.startedAt == (try time("2025-03-01T10:00:00.1Z")))
    #expect(build.endedAt == (try time("2025-03-01T10:00:06.912345678Z")))
    #expect(build.errorMessage == nil)
    #expect(build.firstLine == 1 && build.lastLine == 23)
  }

  @Test func failureFixture() throws {
    let lines = ReaderTestDriver.lines(try ReaderTestDriver.fixture("rawjson-failure.jsonl"))
    let (builds, accepted) = parse(lines)
    #expect(accepted == Array(repeating: true, count: 15) + [false])
    #expect(builds.count == 1)
    let build = try #require(builds.first)
    #expect(build.outcome == .failed)
    let error = "process \"/bin/sh -c ./test.sh\" did not complete successfully: exit code: 1"
    #expect(build.errorMessage == "failed to build: failed to solve: " + error)
    #expect(
      build.steps.map(\.name) == [
        "[internal] load build definition from Dockerfile",
        "[internal] load metadata for docker.io/library/golang:1.22",
        "[build 1/3] FROM docker.io/library/golang:1.22@sha256:"
          + String(repeating: "d", count: 64),
        "[build 2/3] RUN ./test.sh",
        "[lint 1/1] RUN golangci-lint run",
      ])
    #expect(build.steps.map(\.status) == [.done, .done, .cached, .error, .canceled])
    #expect(build.steps.map(\.duration) == [0.04, 0.75, 0, 0.5, 0.52])
    #expect(build.steps[3].errorText == error)
    #expect(build.steps[3].outputTail == ["=== RUN TestParse", "FAIL: TestParse", "FAIL"])
    #expect(build.steps[4].errorText == nil)
    #expect(build.steps[4].outputLineCount == 1)
    #expect(build.contextTransferBytes == nil)
    #expect(build.lastLine == 15)
  }

  @Test func indentedFixture() throws {
    let lines = ReaderTestDriver.lines(try ReaderTestDriver.fixture("rawjson-indented.json"))
    let (builds, accepted) = parse(lines)
    #expect(accepted.allSatisfy { $0 })
    #expect(builds.count == 1)
    let build = try #require(builds.first)
    #expect(
      build.steps.map(\.name) == [
        "[internal] load build definition from Dockerfile",
        "[1/2] FROM docker.io/library/debian:12",
        "[2/2] RUN make && make install",
      ])
    #expect(build.steps.map(\.status) == [.done, .cached, .done])
    #expect(build.steps.map(\.duration) == [0.02, 0, 1.5])
    #expect(build.steps[2].outputTail == ["cc -o app main.c"])
    #expect(build.outcome == .success)
    #expect(build.firstLine == 1 && build.lastLine == lines.count)
    #expect(build.startedAt == (try time("2025-03-01T10:00:10.000000001Z")))
  }

  @Test func otherJSONIsRejected() {
    let (builds, accepted) = parse([
      "{\"level\":\"info\",\"msg\":\"hello\"}",
      "{\"vertexes\":[],\"extra\":1}",
      "{not json}",
      "{}",
      "{\"vertexes\":[{\"digest\":\"sha256:1\"}]",
      "ERROR: failed to solve: x",
      "",
    ])
    #expect(accepted.allSatisfy { !$0 })
    #expect(builds.isEmpty)
  }

  @Test func otherIndentedJSONIsRejectedAfterItsFirstLine() {
    let (builds, accepted) = parse([
      "{", "  \"schemaVersion\": 2,", "  \"mediaType\": \"x\"", "}", "{", "}",
    ])
    #expect(accepted == [true, false, false, false, true, true])
    #expect(builds.isEmpty)
  }

  @Test func logChunksSplitAnywhere() throws {
    let vertex =
      #"{"vertexes":[{"digest":"sha256:a","name":"[1/1] RUN x","started":"2025-03-01T10:00:00Z"}]}"#
    func log(_ text: [UInt8], stream: Int = 1) -> String {
      #"{"logs":[{"vertex":"sha256:a","stream":\#(stream),"data":"\#(Data(text).base64EncodedString())","timestamp":"2025-03-01T10:00:01Z"}]}"#
    }
    let euro = Array("€".utf8)
    let lines = [
      vertex, log(Array("caf".utf8) + [euro[0]]),
      log([euro[1], euro[2]] + Array("\nsecond\r\nthi".utf8)),
      log(Array("rd".utf8)),
    ]
    let step = try #require(parse(lines).builds.first?.steps.first)
    #expect(step.outputTail == ["caf€", "second", "third"])
    #expect(step.status == .unfinished)
    #expect(step.duration == nil)
  }

  @Test func rerunIntervalsAreMerged() throws {
    func update(_ started: String, _ completed: String) -> String {
      #"{"vertexes":[{"digest":"sha256:a","name":"x","started":"2025-03-01T10:00:\#(started)Z","completed":"2025-03-01T10:00:\#(completed)Z"}]}"#
    }
    let step = try #require(
      parse([update("00", "02"), update("01", "03"), update("10", "10.5")]).builds.first?.steps
        .first)
    #expect(step.duration == 3.5)
  }

  @Test func pendingVerticesAreNotStepsButKeepTheOutcomeOpen() throws {
    let build = try #require(
      parse([
        #"{"vertexes":[{"digest":"sha256:a","name":"a","started":"2025-03-01T10:00:00Z","completed":"2025-03-01T10:00:01Z"},{"digest":"sha256:b","name":"b"}]}"#
      ]).builds.first)
    #expect(build.steps.map(\.name) == ["a"])
    #expect(build.outcome == .unknown)
  }

  @Test func canceledOnly() throws {
    let build = try #require(
      parse([
        #"{"vertexes":[{"digest":"sha256:a","name":"a","started":"2025-03-01T10:00:00Z","completed":"2025-03-01T10:00:01Z","error":"context canceled"}]}"#,
        "ERROR: failed to solve: Canceled: context canceled",
      ]).builds.first)
    #expect(build.steps.first?.status == .canceled)
    #expect(build.outcome == .canceled)
  }

  @Test func newBuildAfterAFinalErrorOrOtherLines() {
    let done =
      #"{"vertexes":[{"digest":"sha256:a","name":"a","started":"2025-03-01T10:00:00Z","completed":"2025-03-01T10:00:01Z"}]}"#
    let running =
      #"{"vertexes":[{"digest":"sha256:b","name":"b","started":"2025-03-01T10:00:00Z"}]}"#
    #expect(parse([done, "ERROR: failed to solve: x", done]).builds.count == 2)
    let reader = RawJSONReader()
    #expect(reader.read(done, lineNumber: 1, timestamp: nil))
    #expect(
      !reader.read("$ docker buildx build --progress=rawjson .", lineNumber: 2, timestamp: nil))
    #expect(!reader.countUnrecognized(lineNumber: 2))
    #expect(reader.read(done, lineNumber: 3, timestamp: nil))
    #expect(reader.finish().map(\.firstLine) == [1, 3])
    let interrupted = RawJSONReader()
    #expect(interrupted.read(running, lineNumber: 1, timestamp: nil))
    #expect(!interrupted.read("stray line", lineNumber: 2, timestamp: nil))
    #expect(interrupted.countUnrecognized(lineNumber: 2))
    #expect(interrupted.read(done, lineNumber: 3, timestamp: nil))
    let builds = interrupted.finish()
    #expect(builds.count == 1)
    #expect(builds.first?.unrecognizedLineCount == 1)
  }

  @Test func oversizedIndentedObjectIsSkipped() {
    let big = String(repeating: "x", count: 1 << 20)
    var lines = ["{", "  \"logs\": ["]
    lines += (0..<17).map { _ in "    \"\(big)\"," }
    lines += [
      "  ]", "}",
      #"{"vertexes":[{"digest":"sha256:a","name":"a","started":"2025-03-01T10:00:00Z","completed":"2025-03-01T10:00:01Z"}]}"#,
    ]
    let (builds, accepted) = parse(lines)
    #expect(accepted.allSatisfy { $0 })
    #expect(builds.first?.steps.map(\.name) == ["a"])
  }

  @Test func rfc3339() {
    #expect(RawJSONReader.nanoseconds("1970-01-01T00:00:00Z") == 0)
    #expect(RawJSONReader.nanoseconds("1970-01-01T00:00:01.5Z") == 1_500_000_000)
    #expect(
      RawJSONReader.nanoseconds("2025-03-01T10:00:07.123456789Z") == 1_740_823_207_123_456_789)
    #expect(
      RawJSONReader.nanoseconds("2025-03-01T11:00:07.123456789+01:00") == 1_740_823_207_123_456_789)
    #expect(RawJSONReader.nanoseconds("2000-02-29T00:00:00Z") == 951_782_400_000_000_000)
    #expect(RawJSONReader.nanoseconds("2025-03-01 10:00:07") == nil)
    #expect(RawJSONReader.nanoseconds("2025-03-01T10:00:07.Z") == nil)
  }
}
