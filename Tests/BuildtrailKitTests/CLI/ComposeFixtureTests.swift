import Foundation
import Testing

/// The compose v1 history of Tests/Scenarios/compose-history.sh as real BuildKit printed it
/// (Fixtures/compose-history, made with Debian's docker-compose 1.29), recorded from the files with
/// `record LOG --compose-file docker-compose.yml` after each step, so git, each service's inputs and
/// context lists are real. Each log holds two builds: backend, then worker.
@Suite(.serialized) struct ComposeFixtureTests {
  static let fixtures = CLI.repositoryRoot.appendingPathComponent(
    "Tests/BuildLogTests/Fixtures/compose-history")
  static let script = CLI.repositoryRoot.appendingPathComponent(
    "Tests/Scenarios/compose-history.sh"
  ).path

  /// Each build in order: its service, its baseline, its root misses' cause kinds and a text its
  /// verdict contains. `commandKnown`: recorded through `record --`, so `--no-cache` is known; from
  /// the files alone it cannot be told from a lost cache, and a note says so.
  static func expected(commandKnown: Bool) -> [(
    build: Int, service: String, baseline: Int?, causes: [String], verdict: String
  )] {
    let noCache: (causes: [String], verdict: String) =
      commandKnown
      ? (["no-cache"], "the build ran with --no-cache")
      : (["cache-lost"], "no input changed: the builder's cache was lost")
    return [
      (1, "backend", nil, ["no-baseline", "no-baseline"], "no earlier build to compare with"),
      (2, "worker", nil, ["no-baseline"], "no earlier build to compare with"),
      (
        3, "backend", 1, ["dependencies"], "backend/requirements.txt changed: httpx 0.27.0 → 0.28.1"
      ),
      (4, "worker", 2, [], "no step lost its cache"),
      (5, "backend", 3, [], "no step lost its cache"),
      (6, "worker", 4, ["dependencies"], "worker/requirements.txt changed: +redis 5.0.4"),
      (7, "backend", 5, ["files"], "1 file changed under COPY . /app: app/main.py"),
      (8, "worker", 6, [], "no step lost its cache"),
      (9, "backend", 7, [], "no step lost its cache"),
      // admit-docs: the worker's context now holds docs/, which no COPY selects.
      (10, "worker", 8, [], "no step lost its cache"),
      (11, "backend", 9, noCache.causes, noCache.verdict),
      (12, "worker", 10, noCache.causes, noCache.verdict),
      (13, "backend", 11, ["cache-lost"], "no input changed: the builder's cache was lost"),
      (14, "worker", 12, ["cache-lost"], "no input changed: the builder's cache was lost"),
    ]
  }

  static func why(db: String, _ build: Int) throws -> [String: Any] {
    let r = try CLI.run(["why", String(build), "--db", db, "--format", "json"])
    try #require(r.status == 0, Comment(rawValue: "why \(build): \(r.stderr)"))
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    return try #require(json?["why"] as? [String: Any])
  }

  /// Checks every build's service, baseline, causes and verdict; `evidence` is what `why` used.
  static func check(db: String, evidence: String, commandKnown: Bool) throws {
    let expected = expected(commandKnown: commandKnown)
    let builds = try CLI.builds(db: db).reversed()
    #expect(builds.map { $0["service"] as? String } == expected.map(\.service))
    for (build, service, baseline, causes, text) in expected {
      let why = try why(db: db, build)
      let roots = why["root_misses"] as? [[String: Any]] ?? []
      let verdict = why["verdict"] as? String ?? ""
      #expect(
        roots.compactMap { ($0["cause"] as? [String: Any])?["kind"] as? String } == causes,
        "build \(build) (\(service)): \(verdict)")
      #expect(verdict.contains(text), "build \(build) (\(service)): \(verdict)")
      #expect(
        (why["baseline"] as? [String: Any])?["id"] as? Int == baseline,
        "build \(build) (\(service))")
      if baseline != nil {
        #expect(why["evidence"] as? String == evidence, "build \(build) (\(service))")
      }
      let notes = why["notes"] as? [String] ?? []
      let noted = notes.contains { $0.hasPrefix("the build command was not recorded") }
      #expect(noted == (!commandKnown && causes == ["cache-lost"]), "build \(build): \(notes)")
    }
  }

  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/bin/git")))
  func explainsEachServiceFromTheRecordedLogs() throws {
    let root = try scratchDirectory()
    let project = root.appendingPathComponent("project")
    let db = root.appendingPathComponent("history.db").path
    _ = try DockerTests.ScenarioTests.shell([Self.script, "init", project.path])
    let steps = try DockerTests.ScenarioTests.shell([Self.script, "steps"]).stdout
      .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    for (n, step) in steps.enumerated() {
      _ = try DockerTests.ScenarioTests.shell([Self.script, "apply", project.path, step[0]])
      let log = Self.fixtures.appendingPathComponent(String(format: "%02d-%@.log", n, step[0])).path
      var arguments = ["record", log, "--db", db, "--compose-file", "docker-compose.yml"]
      let r = try CLI.run(arguments, in: project)
      try #require(r.status == 0, Comment(rawValue: "\(log): \(r.stderr)"))
    }
    try Self.check(db: db, evidence: "git", commandKnown: false)
  }
}
