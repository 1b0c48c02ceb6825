import Foundation
import Testing

@testable import BuildStore
@testable import BuildtrailKit
@testable import BuildtrailRendering

/// The pip scenario without Docker: the logs real BuildKit printed for each commit of
/// `Tests/Scenarios/pip-history.sh` (Fixtures/pip-history) are recorded with `record LOG --context .`
/// after the same commit is made again, so git, the input snapshots and the context lists are real.
@Suite(.serialized) struct PipScenarioTests {
  static let script = CLI.repositoryRoot.appendingPathComponent("Tests/Scenarios/pip-history.sh")
    .path
  static let fixtures = CLI.repositoryRoot.appendingPathComponent(
    "Tests/BuildLogTests/Fixtures/pip-history")

  static func record() throws -> ExplainFixtureTests.History {
    let root = try scratchDirectory()
    let project = root.appendingPathComponent("flask-app")
    let db = root.appendingPathComponent("history.db").path
    _ = try DockerTests.ScenarioTests.shell([script, "init", project.path])
    let logs = try FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter {
      $0.hasSuffix(".log")
    }.sorted()
    #expect(logs.count == 8)
    for log in logs {
      let step = String(log.dropFirst(3).dropLast(4))
      if step != "initial" {
        _ = try DockerTests.ScenarioTests.shell([script, "apply", project.path, step])
      }
      let r = try CLI.run(
        ["record", fixtures.appendingPathComponent(log).path, "--db", db, "--context", "."],
        in: project)
      try #require(r.status == 0, "\(log): \(r.stderr)")
    }
    return ExplainFixtureTests.History(db: db, project: project, root: root)
  }

  static func failure(_ why: [String: Any]) throws -> [String: Any] {
    try #require(why["failure"] as? [String: Any], "no failure in \(why["verdict"] ?? "")")
  }

  @Test func reorderedRequirementsChangeNoPackage() throws {
    let history = try Self.record()
    let why = try ExplainFixtureTests.why(history, 3)
    #expect(ExplainFixtureTests.causes(why) == ["dependencies"])
    #expect(
      (why["verdict"] as? String)?.contains(
        "requirements.txt changed, but no package changed (reordered)") == true)
    let cause = try #require(
      (why["root_misses"] as? [[String: Any]])?.first?["cause"] as? [String: Any])
    #expect(cause["rewrite"] as? [String] == ["reordered"])
    #expect((cause["changes"] as? [Any])?.isEmpty == true)
    #expect(why["failure"] == nil)
    // An added package is still a package change.
    let added = try ExplainFixtureTests.why(history, 4)
    #expect(
      (added["verdict"] as? String)?.contains("requirements.txt changed: +flask-caching 2.1.0")
        == true)
  }

  @Test func aRequirementOfAnAddedPackageCannotBeFound() throws {
    let history = try Self.record()
    let why = try ExplainFixtureTests.why(history, 5)
    #expect(
      (why["verdict"] as? String)?.hasPrefix(
        "failed at [4/6] RUN pip install --no-cache-dir -r requirements.txt: No matching distribution found for yarl-ng>=1.9"
      )
        == true)
    let failure = try Self.failure(why)
    #expect(
      (failure["step"] as? [String: Any])?["name"] as? String
        == "[4/6] RUN pip install --no-cache-dir -r requirements.txt")
    #expect(failure["tool"] as? String == "pip")
    #expect(
      failure["signature"] as? String == "pip: No matching distribution found for yarl-ng>=N.N")
    #expect(
      failure["error_lines"] as? [String] == [
        "ERROR: Could not find a version that satisfies the requirement yarl-ng>=1.9 (from aiohttp-extras) (from versions: none)",
        "ERROR: No matching distribution found for yarl-ng>=1.9",
      ])
    #expect(failure["exit_code"] as? Int == 1)
    let change = try #require(failure["related_change"] as? [String: Any])
    #expect(change["kind"] as? String == "missing-requirement")
    #expect(change["file"] as? String == "requirements.txt")
    #expect(change["package"] as? String == "aiohttp-extras")
    #expect(change["inferred"] as? Bool == false)
    #expect(
      change["summary"] as? String
        == "requirements.txt added aiohttp-extras 0.4.0, which requires yarl-ng>=1.9: no version of it can be found"
    )
    #expect(failure["repeats"] == nil)

    // The next build fails the same way: since build 5. Its pip step ran again because it failed in
    // build 5 (COPY requirements.txt was cached from there), not because the cache was lost.
    let next = try ExplainFixtureTests.why(history, 6)
    #expect(ExplainFixtureTests.causes(next) == ["failed-earlier"])
    let root = try #require(
      (next["root_misses"] as? [[String: Any]])?.first?["cause"] as? [String: Any])
    #expect(root["build"] as? Int == 5)
    #expect(
      root["summary"] as? String
        == "this step failed in build 5 (d542dec0), and a failed step leaves nothing in the cache")
    let again = try Self.failure(next)
    let repeats = try #require(again["repeats"] as? [String: Any])
    #expect(repeats["since_build"] as? Int == 5)
    #expect(repeats["builds"] as? Int == 2)
    #expect((again["related_change"] as? [String: Any])?["package"] as? String == "aiohttp-extras")
  }

  @Test func anImportNoManifestDeclares() throws {
    let history = try Self.record()
    let failure = try Self.failure(try ExplainFixtureTests.why(history, 8))
    #expect(failure["message"] as? String == "ModuleNotFoundError: No module named 'redis'")
    #expect(
      (failure["error_lines"] as? [String])?.last == "ModuleNotFoundError: No module named 'redis'")
    let change = try #require(failure["related_change"] as? [String: Any])
    #expect(change["kind"] as? String == "undeclared-import")
    #expect(change["file"] as? String == "app/main.py")
    #expect(change["line"] as? Int == 4)
    #expect(
      change["summary"] as? String
        == "app/main.py imports redis (line 4), which no manifest or lockfile declares (requirements.txt)"
    )
  }

  @Test func withoutTheCloneOnlyWhatWasRecordedIsClaimed() throws {
    let history = try Self.record()
    try FileManager.default.removeItem(at: history.project.appendingPathComponent(".git"))
    // requirements.txt was recorded with each build: the tie to the added package still holds.
    let pip = try Self.failure(try ExplainFixtureTests.why(history, 5))
    #expect((pip["related_change"] as? [String: Any])?["kind"] as? String == "missing-requirement")
    // app/main.py's text was not recorded: no claim about what it imports.
    let python = try Self.failure(try ExplainFixtureTests.why(history, 8))
    #expect(python["related_change"] == nil)
    #expect(
      python["signature"] as? String == "python: ModuleNotFoundError: No module named 'redis'")
  }

  @Test func anOlderHistoryComputesFailuresOnRead() throws {
    let history = try Self.record()
    let why = try CLI.run(["why", "6", "--db", history.db, "--format", "json"]).stdout
    let failures = try CLI.run(["failures", "--db", history.db]).stdout
    // As a history written before schema 7 holds them: no stored signature.
    try BuildStore(path: history.db).write { db in
      try BuildStore.transformRecords(db) { _, record in
        record.failure = nil
        return true
      }
    }
    #expect(try BuildStore(path: history.db).failures(buildIDs: Array(1...8)).isEmpty)
    #expect(try CLI.run(["why", "6", "--db", history.db, "--format", "json"]).stdout == why)
    #expect(try CLI.run(["failures", "--db", history.db]).stdout == failures)
  }

  @Test func failuresListsEachRunAndItsFix() throws {
    let history = try Self.record()
    let r = try CLI.run(["failures", "--db", history.db, "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let runs = try #require(json["failures"] as? [[String: Any]])
    #expect(runs.count == 2)
    #expect(runs.map { $0["first_build"] as? Int } == [8, 5])
    #expect(runs.map { $0["builds"] as? Int } == [1, 2])
    #expect(runs.map { $0["failing"] as? Bool } == [true, false])
    #expect(runs[1]["fixed_at"] as? Int == 7)
    #expect(runs[1]["tool"] as? String == "pip")
    let table = try CLI.run(["failures", "--db", history.db])
    try Golden.check(table.stdout, "failures-pip.table")
  }

  @Test func tablesMatchTheirGoldenFiles() throws {
    let history = try Self.record()
    for (build, name) in [(3, "why-pip-3.table"), (6, "why-pip-6.table"), (8, "why-pip-8.table")] {
      let r = try CLI.run(["why", String(build), "--db", history.db])
      #expect(r.status == 0, "\(r.stderr)")
      try Golden.check(r.stdout, name)
    }
  }

  @Test func signaturesAreStoredAndReadTheSameAsComputed() throws {
    let history = try Self.record()
    let store = try BuildStore(path: history.db)
    let stored = try store.failures(buildIDs: Array(1...8))
    #expect(stored.keys.sorted() == [5, 6, 8])
    let computing = FailureHistory(store: store)
    for id in stored.keys {
      let detail = try #require(try store.build(id: id))
      #expect(try computing.computedFailure(of: detail) == stored[id], "build \(id)")
    }
    // Export and import carry them.
    let file = history.root.appendingPathComponent("export.jsonl").path
    #expect(try CLI.run(["export", "--db", history.db, "--output", file]).status == 0)
    let copy = history.root.appendingPathComponent("copy.db").path
    #expect(try CLI.run(["import", file, "--db", copy]).status == 0)
    #expect(try BuildStore(path: copy).failures(buildIDs: Array(1...8)) == stored)
    let before = try CLI.run(["why", "6", "--db", history.db, "--format", "json"]).stdout
    let after = try CLI.run(["why", "6", "--db", copy, "--format", "json"]).stdout
    #expect(before == after)
    // Deleting a build deletes its failure.
    #expect(try CLI.run(["delete", "8", "--db", copy]).status == 0)
    #expect(try BuildStore(path: copy).failure(buildID: 8) == nil)
  }
}
