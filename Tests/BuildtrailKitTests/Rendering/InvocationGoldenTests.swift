import BuildStore
import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// `show` and `why` for builds recorded with build arguments and a failed cache import: the real
/// Docker 20.10 logs of Fixtures/build-args, recorded with their Dockerfile as a snapshot input.
@Suite struct InvocationGoldenTests {
  let terminal = Terminal(useColor: false, width: 100)

  static func history() throws -> BuildStore {
    let store = try BuildStore.inMemory()
    let fixtures = CLI.repositoryRoot.appendingPathComponent(
      "Tests/BuildLogTests/Fixtures/build-args")
    let dockerfile = try Data(contentsOf: fixtures.appendingPathComponent("Dockerfile"))
    let input = InputFact(
      path: "Dockerfile", role: .dockerfile,
      sha256: "0dbdd4ae81bd657c49f650c349aa2682c3715f08d833eb3075ecf43222b1b88a",
      bytes: dockerfile.count,
      content: dockerfile)
    let runs = [
      ("01-git-sha-3f2a.log", "3f2a9c1d0e"), ("02-git-sha-9c1d.log", "9c1d7e2f4a"),
      ("05-cache-from-import-failed.log", "9c1d7e2f4a"),
    ]
    for (i, (file, sha)) in runs.enumerated() {
      var metadata = RecordMetadata(
        labels: [:],
        context: ContextFacts(
          path: ".", dockerfilePath: "Dockerfile", files: 3, bytes: 120, entries: []),
        inputs: [input])
      metadata.buildArguments = BuildArgumentReader.facts(
        ["GIT_SHA=\(sha)", "NPM_TOKEN=hunter2"], source: .option, environment: [:])
      _ = try Recorder(store: store).record(
        logAt: fixtures.appendingPathComponent(file).path, metadata: metadata,
        now: Date(timeIntervalSince1970: 1_764_000_000 + Double(i) * 3600))
    }
    return store
  }

  @Test func showListsArgumentsAndTheFailedImport() throws {
    let view = try BuildView(store: try Self.history(), terminal: terminal, format: .table)
    try Golden.check(try view.render(buildID: 3, step: nil), "show-build-args.table")
  }

  @Test func whyNamesTheChangedArgument() throws {
    let store = try Self.history()
    let explanation = try CacheExplainer(store: store, environment: [:]).explain(buildID: 2)
    try Golden.check(
      ExplanationRenderer(format: .table, terminal: terminal).render(explanation),
      "why-build-arg.table")
  }
}
