import BuildLog
import Foundation
import Testing

/// The corpus tty logs: every fact their `.json` `expect` gives.
@Suite(.enabled(if: Corpus.isAvailable, Corpus.missing)) struct TTYConformanceTests {
  @Test(arguments: ["014", "016", "023", "025"])
  func corpusLog(_ id: String) throws {
    let (log, expect) = try ReaderTestDriver.corpus(id)
    let lines = ReaderTestDriver.lines(log)
    let builds = ReaderTestDriver.run(TTYReader(), lines: lines).builds

    let headers = try #require(expect["headers"] as? [String])
    let headerLines = lines.filter { $0.hasPrefix("[+] Building") }.map(Self.trimTrailing)
    #expect(headerLines == headers)
    #expect(builds.count == 1)
    let build = try #require(builds.first)
    #expect(build.format == .tty)

    let steps = try #require(expect["steps"] as? [[String: Any]])
    #expect(build.steps.count == steps.count)
    #expect(build.steps.count == expect["step_count"] as? Int)
    for (index, (step, want)) in zip(build.steps, steps).enumerated() {
      #expect(step.vertex == index + 1)
      #expect(step.name == want["name"] as? String)
      #expect(step.duration == want["seconds"] as? Double, "\(step.name)")
      #expect(step.status.rawValue == want["status"] as? String, "\(step.name)")
    }
    #expect(build.steps.filter { $0.status == .cached }.count == expect["cached_count"] as? Int)
    #expect(
      build.steps.filter { $0.status == .error }.map(\.name) == expect["error_steps"] as? [String])
    #expect(
      build.steps.filter { $0.status == .canceled }.map(\.name) == expect["canceled_steps"]
        as? [String])
    #expect(build.outcome.rawValue == expect["outcome"] as? String)
  }

  @Test func composeBuilderAndImages() throws {
    let (log, _) = try ReaderTestDriver.corpus("014")
    let build = try #require(ReaderTestDriver.run(TTYReader(), text: log).first)
    #expect(build.builderName == "desktop-linux")
    #expect(build.driver == "docker")
    #expect(build.imageNames == ["docker.io/library/nephtalie_desmornes_da_tp2-backend"])
    #expect(
      build.imageDigest == "sha256:62cb6df64961c9b50abc0ced7bcb90c7823fb541c5b2ce5e0717bddc84b9fd74"
    )
    let bytes: Int64 = 98_310_000 + 143_230_000
    #expect(build.contextTransferBytes == bytes)
    #expect(build.firstLine == 2)
    #expect(build.lastLine == 48)
  }

  @Test func errorTrailersOf023() throws {
    let (log, _) = try ReaderTestDriver.corpus("023")
    let lines = ReaderTestDriver.lines(log)
    let (builds, accepted) = ReaderTestDriver.run(TTYReader(), lines: lines)
    #expect(accepted.allSatisfy { $0 })
    let build = try #require(builds.first)
    let step = try #require(build.steps.first)
    #expect(step.outputLineCount == 6)
    #expect(step.outputTail.first == "Resolved 259 packages in 8.54s")
    #expect(step.outputTail.last == "  Caused by: No space left on device (os error 28)")
    #expect(step.errorText == step.outputTail.joined(separator: "\n"))
    #expect(
      build.errorMessage
        == "failed to solve: process \"/bin/sh -c uv pip install --system -r requirements.txt\" did not complete successfully: exit code: 2"
    )
  }

  @Test func unrelatedLinesAroundTheFrame() throws {
    let (log, _) = try ReaderTestDriver.corpus("025")
    let lines = ReaderTestDriver.lines(log)
    let (builds, accepted) = ReaderTestDriver.run(TTYReader(), lines: lines)
    #expect(accepted.first == false)
    #expect(accepted.dropFirst().allSatisfy { $0 })
    #expect(builds.first?.imageNames == ["docker.io/dockerlabs/ssh-option"])
  }

  private static func trimTrailing(_ s: String) -> String {
    var s = Substring(s)
    while s.last?.isWhitespace == true { s = s.dropLast() }
    return String(s)
  }
}
