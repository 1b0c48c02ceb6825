import BuildLog
import Foundation
import Testing

/// The corpus legacy-builder logs: every fact their `.json` `expect` gives.
@Suite(.enabled(if: Corpus.isAvailable, Corpus.missing)) struct LegacyConformanceTests {
  @Test(arguments: ["010", "013", "022"])
  func corpusLog(_ id: String) throws {
    let (log, expect) = try ReaderTestDriver.corpus(id)
    let builds = ReaderTestDriver.run(LegacyReader(), text: log)
    let outcome = try #require(expect["outcome"] as? String)
    #expect((expect["durations"] as? [String: Any])?.isEmpty == true)
    if let services = expect["services"] as? [String: [String: Any]] {
      #expect(builds.count == services.count)
      for (service, facts) in services {
        let build = try #require(
          builds.first { $0.steps.first?.name.hasPrefix("[\(service) ") == true })
        check(build, facts, outcome: outcome)
      }
    } else {
      #expect(builds.count == 1)
      check(try #require(builds.first), expect, outcome: outcome)
    }
  }

  private func check(_ build: ParsedBuild, _ facts: [String: Any], outcome: String) {
    #expect(build.format == .legacy)
    #expect(build.steps.count == facts["step_count"] as? Int)
    #expect(
      build.steps.filter { $0.status == .cached }.map(\.vertex) == facts["cached_steps"] as? [Int])
    #expect(
      build.steps.filter { $0.status == .error }.map(\.vertex) == facts["error_steps"] as? [Int])
    if let total = facts["step_total"] as? Int {
      #expect(build.steps.allSatisfy { $0.name.hasPrefix("[\($0.vertex)/\(total)] ") })
    }
    #expect(build.steps.allSatisfy { $0.duration == nil })
    #expect(build.outcome.rawValue == outcome)
  }

  @Test func step0AndWrappedWarningOf010() throws {
    let (log, _) = try ReaderTestDriver.corpus("010")
    let lines = ReaderTestDriver.lines(log)
    let (builds, accepted) = ReaderTestDriver.run(LegacyReader(), lines: lines)
    #expect(accepted.first == false)
    #expect(accepted.dropFirst().allSatisfy { $0 })
    let build = try #require(builds.first)
    #expect(build.steps.map(\.vertex) == [0, 1, 2, 3])
    #expect(
      build.steps.map(\.name) == [
        "FROM ivotron/hakyll", "COPY build /root/src/", "WORKDIR /root/src",
        "ENTRYPOINT /root/src/build",
      ])
    #expect(build.steps.first?.status == .done)
    #expect(build.contextTransferBytes == 3072)
    #expect(build.imageDigest == "1a2f38fe9045")
    #expect(build.warnings.count == 1)
    #expect(
      build.warnings.first?.hasPrefix(
        "SECURITY WARNING: You are building a Docker image from Windows against a Linux")
        == true)
    #expect(
      build.warnings.first?.hasSuffix("reset permissions for sensitive files and directories.")
        == true)
    #expect(build.firstLine == 6 && build.lastLine == 19)
  }

  @Test func failureOf013() throws {
    let (log, _) = try ReaderTestDriver.corpus("013")
    let lines = ReaderTestDriver.lines(log)
    let (builds, accepted) = ReaderTestDriver.run(LegacyReader(), lines: lines)
    #expect(accepted.suffix(2) == [false, false])
    let build = try #require(builds.first)
    #expect(build.contextTransferBytes == 34_300)
    #expect(
      build.steps[0].name
        == "[1/10] FROM hub.graviti.cn/prediction-challenge/simulator-base:1.0 AS simulator-build-env"
    )
    #expect(build.steps.prefix(4).allSatisfy { $0.status == .done })
    let failed = build.steps[4]
    #expect(failed.outputLineCount == 31)
    #expect(failed.outputTail.first == "-- The CXX compiler identification is GNU 7.5.0")
    #expect(
      failed.outputTail.last
        == "CMake Generate step failed.  Build files cannot be regenerated correctly.")
    let message =
      "The command '/bin/sh -c cd /prediction-challenge/simulator_src/build && cmake .. && make' returned a non-zero code: 1"
    #expect(failed.errorText == message)
    #expect(build.errorMessage == message)
    #expect(build.lastLine == lines.count - 2)
  }

  @Test func composeServicesOf022() throws {
    let (log, _) = try ReaderTestDriver.corpus("022")
    let builds = ReaderTestDriver.run(LegacyReader(), text: log)
    #expect(builds.map(\.job) == [nil, nil])
    #expect(builds.first?.steps.first?.name == "[db 1/5] FROM postgres:latest")
    #expect(
      builds.last?.steps.last?.name == "[web 4/4] ENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]")
    #expect(builds.map(\.imageNames) == [["dockerize_db:latest"], ["dockerize_web:latest"]])
    #expect(builds.map(\.imageDigest) == ["a6f3db3b079f", "de7a907976f3"])
    #expect(builds.map(\.firstLine) == [2, 22])
    #expect(builds.map(\.lastLine) == [19, 35])
  }
}
