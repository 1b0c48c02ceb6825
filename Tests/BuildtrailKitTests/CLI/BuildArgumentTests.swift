import Foundation
import Testing

/// Build arguments recorded with builds and `why`'s `build-arg` cause, on logs the real BuildKit of
/// Docker 20.10 printed (Fixtures/build-args): a Dockerfile whose `ARG GIT_SHA` (line 5) sits before three
/// steps, built with two values and then the second value again; and one whose `ARG BUILD_DATE` (line 7)
/// is used by no step, built four times with a new date.
@Suite struct BuildArgumentTests {
  static let fixtures = CLI.repositoryRoot.appendingPathComponent(
    "Tests/BuildLogTests/Fixtures/build-args")

  /// A copy of the fixtures outside any git clone, and a history beside it.
  static func project() throws -> (dir: URL, db: String) {
    let root = try scratchDirectory()
    let dir = root.appendingPathComponent("project")
    try FileManager.default.copyItem(at: fixtures, to: dir)
    return (dir, root.appendingPathComponent("history.db").path)
  }

  static func record(_ log: String, _ extra: [String], in p: (dir: URL, db: String)) throws {
    let r = try CLI.run(["record", log, "--db", p.db, "--context", "."] + extra, in: p.dir)
    try #require(r.status == 0, "\(log): \(r.stderr)")
  }

  static func json(_ arguments: [String], db: String) throws -> [String: Any] {
    let r = try CLI.run(arguments + ["--db", db, "--format", "json"])
    try #require(r.status == 0, "\(arguments): \(r.stderr)")
    return try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  static func rootCauses(_ build: Int, db: String) throws -> [[String: Any]] {
    let why = try #require(try json(["why", String(build)], db: db)["why"] as? [String: Any])
    return (why["root_misses"] as? [[String: Any]] ?? []).compactMap {
      $0["cause"] as? [String: Any]
    }
  }

  @Test func aChangedGitShaIsTheCauseAndASecretKeepsOnlyItsHash() throws {
    let p = try Self.project()
    try Self.record(
      "01-git-sha-3f2a.log",
      ["--build-arg", "GIT_SHA=3f2a9c1d0e", "--build-arg", "NPM_TOKEN=hunter2"], in: p)
    try Self.record(
      "02-git-sha-9c1d.log",
      ["--build-arg", "GIT_SHA=9c1d7e2f4a", "--build-arg", "NPM_TOKEN=hunter2"], in: p)
    try Self.record(
      "03-git-sha-9c1d-again.log",
      ["--build-arg", "GIT_SHA=9c1d7e2f4a", "--build-arg", "NPM_TOKEN=hunter2"], in: p)

    let causes = try Self.rootCauses(2, db: p.db)
    try #require(causes.count == 1)
    #expect(causes[0]["kind"] as? String == "build-arg")
    #expect(
      causes[0]["summary"] as? String
        == "ARG GIT_SHA changed (3f2a9c1d0e → 9c1d7e2f4a); it is declared at line 5, before 3 steps that ran"
    )
    let change = try #require(causes[0]["build_arg"] as? [String: Any])
    #expect(change["name"] as? String == "GIT_SHA")
    #expect(
      change["before"] as? String == "3f2a9c1d0e" && change["after"] as? String == "9c1d7e2f4a")
    #expect(
      change["line"] as? Int == 5 && change["steps_ran"] as? Int == 3
        && change["inferred"] as? Bool == false)
    #expect((causes[0]["advice"] as? String)?.contains("declare ARG GIT_SHA just before") == true)
    // The same value again: everything cached, nothing to explain.
    #expect(try Self.rootCauses(3, db: p.db).isEmpty)

    let show = try #require(try Self.json(["show", "2"], db: p.db)["build"] as? [String: Any])
    let arguments = try #require(show["build_arguments"] as? [[String: Any]])
    #expect(arguments.map { $0["name"] as? String } == ["GIT_SHA", "NPM_TOKEN"])
    #expect(
      arguments[0]["value"] as? String == "9c1d7e2f4a" && arguments[0]["secret"] as? Bool == false)
    let digest = "sha256:f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7"
    #expect(arguments[1]["value"] as? String == digest && arguments[1]["secret"] as? Bool == true)
    #expect(arguments[1]["source"] as? String == "option")
    // The secret's value is nowhere in the history.
    let bytes = try Data(contentsOf: URL(fileURLWithPath: p.db))
    #expect(bytes.range(of: Data("hunter2".utf8)) == nil)
    let table = try CLI.run(["why", "2", "--db", p.db])
    #expect(
      table.stdout.contains("    change   declare ARG GIT_SHA just before the steps that need it"))
  }

  @Test func anArgThatChangesEveryBuildIsInferredFromTheHistory() throws {
    let p = try Self.project()
    for n in 1...4 {
      try Self.record("stable-0\(n)-build-date.log", ["-f", "Dockerfile.stable"], in: p)
    }
    // Two builds are too few to call it a pattern: the cache was lost, as far as anyone knows.
    #expect(try Self.rootCauses(2, db: p.db).map { $0["kind"] as? String } == ["cache-lost"])
    let causes = try Self.rootCauses(4, db: p.db)
    try #require(causes.count == 1)
    #expect(causes[0]["kind"] as? String == "build-arg")
    let change = try #require(causes[0]["build_arg"] as? [String: Any])
    #expect(change["name"] as? String == "BUILD_DATE" && change["line"] as? Int == 7)
    #expect(change["inferred"] as? Bool == true)
    #expect(change["missed_builds"] as? Int == 4 && change["compared_builds"] as? Int == 4)
    #expect(
      (causes[0]["summary"] as? String)?.hasPrefix("ARG BUILD_DATE probably changes on every build")
        == true)
  }

  @Test func recordedValuesThatStayTheSameAreNotACause() throws {
    let p = try Self.project()
    for n in 1...4 {
      try Self.record(
        "stable-0\(n)-build-date.log",
        ["-f", "Dockerfile.stable", "--build-arg", "BUILD_DATE=2026-12-01"], in: p)
    }
    // Recorded and equal: no inference either; the evidence says no input changed.
    #expect(try Self.rootCauses(4, db: p.db).map { $0["kind"] as? String } == ["cache-lost"])
  }

  /// `record -- docker build …` with a stand-in `docker` that prints a real log: the wrapped command's
  /// `--build-arg GIT_SHA` (read from the environment) and `--no-cache` are recorded.
  @Test func theWrappedCommandsArgumentsAndNoCacheAreRecorded() throws {
    let p = try Self.project()
    let bin = p.dir.deletingLastPathComponent().appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    let docker = bin.appendingPathComponent("docker")
    try Data("#!/bin/sh\n[ \"$1\" = build ] || exit 1\ncat \"$FAKE_DOCKER_LOG\"\n".utf8).write(
      to: docker)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: docker.path)
    func wrapped(_ log: String, _ flags: [String]) throws {
      let r = try CLI.run(
        [
          "record", "--db", p.db, "--", docker.path, "build", "--progress=plain", "--build-arg",
          "GIT_SHA",
        ] + flags
          + ["."],
        in: p.dir,
        environment: [
          "FAKE_DOCKER_LOG": p.dir.appendingPathComponent(log).path, "GIT_SHA": "9c1d7e2f4a",
        ])
      try #require(r.status == 0, "\(log): \(r.stderr)")
    }
    try wrapped("03-git-sha-9c1d-again.log", [])
    try wrapped("04-no-cache.log", ["--no-cache"])
    let causes = try Self.rootCauses(2, db: p.db)
    #expect(causes.map { $0["kind"] as? String } == ["no-cache"])
    #expect(
      causes.first?["summary"] as? String
        == "the build ran with --no-cache: no step could use the cache")
    let show = try #require(try Self.json(["show", "2"], db: p.db)["build"] as? [String: Any])
    let arguments = try #require(show["build_arguments"] as? [[String: Any]])
    #expect(arguments.count == 1)
    #expect(arguments.first?["value"] as? String == "9c1d7e2f4a")
    #expect(
      arguments.first?["from_environment"] as? Bool == true
        && arguments.first?["source"] as? String == "command")
    let plumbing = try #require(show["cache_plumbing"] as? [String: Any])
    #expect(plumbing["command_known"] as? Bool == true && plumbing["no_cache"] as? Bool == true)
  }

  @Test func exportAndImportKeepArgumentsAndPlumbing() throws {
    let p = try Self.project()
    try Self.record(
      "01-git-sha-3f2a.log", ["--build-arg", "GIT_SHA=3f2a9c1d0e", "--build-arg", "DB_PASSWORD"],
      in: p)
    try Self.record(
      "05-cache-from-import-failed.log", ["--build-arg", "GIT_SHA=9c1d7e2f4a"], in: p)
    let export = try CLI.run(["export", "--db", p.db])
    try #require(export.status == 0, "\(export.stderr)")
    let copy = p.dir.deletingLastPathComponent().appendingPathComponent("copy.db").path
    let imported = try CLI.run(["import", "-", "--db", copy], stdin: Data(export.stdout.utf8))
    try #require(imported.status == 0, "\(imported.stderr)")
    for id in ["1", "2"] {
      let before = try CLI.run(["show", id, "--db", p.db, "--format", "json"])
      let after = try CLI.run(["show", id, "--db", copy, "--format", "json"])
      #expect(before.stdout == after.stdout, "build \(id)")
      #expect(before.stdout.contains("build_arguments"))
    }
    let show = try #require(try Self.json(["show", "2"], db: copy)["build"] as? [String: Any])
    let imports = (show["cache_plumbing"] as? [String: Any])?["cache_imports"] as? [[String: Any]]
    #expect(imports?.first?["outcome"] as? String == "failed")
    // The unset secret: named without a value, the environment had none.
    let first = try #require(try Self.json(["show", "1"], db: copy)["build"] as? [String: Any])
    let password = (first["build_arguments"] as? [[String: Any]])?.first {
      $0["name"] as? String == "DB_PASSWORD"
    }
    #expect(password?["secret"] as? Bool == true && password?["from_environment"] as? Bool == true)
    #expect(password?.keys.contains("value") == false)
  }

  @Test func aBuildArgWithoutANameIsRefused() throws {
    let p = try Self.project()
    let r = try CLI.run(
      ["record", "01-git-sha-3f2a.log", "--db", p.db, "--build-arg", "=x"], in: p.dir)
    #expect(r.status != 0)
    #expect(r.stderr.contains("--build-arg takes NAME=VALUE or NAME, got '=x'"))
  }
}
