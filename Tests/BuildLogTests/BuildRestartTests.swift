import Foundation
import Testing

@testable import BuildLog

/// A log splits into builds only where a build really restarts: a vertex reported again, a
/// `# syntax=` frontend and a deduplicated step stay in their build.
@Suite struct BuildRestartTests {
  @Test func syntaxFrontendAndRepeatedVerticesAreOneBuild() throws {
    let log = try LogParser.parse(
      fileAt: Fixtures.url("plain-syntax-frontend-repeated-vertices.log").path)
    try #require(log.builds.count == 1)
    let build = log.builds[0]
    #expect(build.steps.map(\.vertex) == Array(1...13))
    #expect(build.outcome == .success)
    #expect(log.unrecognizedLineCount == 0)
    let first = try #require(build.steps.first)
    #expect(first.name == "[internal] load build definition from Dockerfile")
    #expect(first.status == .done)
    #expect(first.doneDurations == [0.1, 0.1, 0.1])
    #expect(build.steps.first { $0.vertex == 3 }?.status == .cached)
    #expect(build.steps.first { $0.vertex == 3 }?.parsedName.kind == .frontend)
    #expect(build.steps.first { $0.vertex == 2 }?.parsedName.kind == .frontend)
    #expect(build.steps.first { $0.vertex == 4 }?.status == .done)
    #expect(build.steps.first { $0.vertex == 11 }?.duration == 4.6)
    #expect(build.imageNames == ["docker.io/acme/app:dev"])
  }

  /// Real Docker 20.10 logs (no `#0` line) one after the other: each restart at `#1` is a new build.
  @Test func consecutiveRealBuildsSplitAtEachRestart() throws {
    let names = [
      "docker20-multistage-cold.log", "docker20-multistage-warm.log",
      "docker20-multistage-after-change.log",
    ]
    let texts = try names.map { try Data(contentsOf: Fixtures.url($0)) }
    let alone = texts.map { LogParser.parse(Array($0)) }
    let log = LogParser.parse(Array(texts.reduce(Data(), +)))
    try #require(log.builds.count == 3)
    for (build, single) in zip(log.builds, alone) {
      #expect(build.steps.map(\.name) == single.builds.first?.steps.map(\.name))
      #expect(build.steps.map(\.status) == single.builds.first?.steps.map(\.status))
      #expect(build.outcome == single.builds.first?.outcome)
    }
  }

  static let everyLog: [URL] = MutationFuzzTests.logs.filter { $0.pathExtension == "log" }

  /// The rule on every corpus log and fixture: the log followed by a real Docker 20.10 build (which
  /// starts at `#1`, with no `#0` line) is the log's builds and that build, each with its own
  /// steps, whenever the log's last build ended (a cut log's build runs on into what follows).
  @Test(arguments: everyLog)
  func aLogThenARealBuildIsItsBuildsThenThatBuild(_ url: URL) throws {
    let bytes = Array(try Data(contentsOf: url))
    let follower =
      url.lastPathComponent.hasSuffix("-warm.log")
      ? "docker20-multistage-cold.log" : "docker20-multistage-warm.log"
    let next = Array(try Data(contentsOf: Fixtures.url(follower)))
    let once = LogParser.parse(bytes)
    let following = try #require(LogParser.parse(next).builds.first)
    guard let last = once.builds.last, last.outcome != .unknown else { return }
    var both = bytes
    if both.last != 0x0A { both.append(0x0A) }
    both += next
    let log = LogParser.parse(both)
    let name = url.lastPathComponent
    try #require(log.builds.count == once.builds.count + 1, "\(name)")
    for (a, b) in zip(log.builds, once.builds + [following]) {
      #expect(a.steps.map(\.name) == b.steps.map(\.name), "\(name)")
      #expect(a.steps.map(\.status) == b.steps.map(\.status), "\(name)")
      #expect(a.outcome == b.outcome, "\(name)")
    }
  }
}
