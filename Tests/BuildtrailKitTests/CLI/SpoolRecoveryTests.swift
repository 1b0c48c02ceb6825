import Foundation
import Testing

/// What `record --` keeps on disk (`DB.spool`) and how `recover` and the next `record` record it.
@Suite struct SpoolRecoveryTests {
  let fixture = CLI.repositoryRoot.appendingPathComponent(
    "Tests/BuildLogTests/Fixtures/docker20-multistage-cold.log")

  func spools(_ db: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: db + ".spool")) ?? []).filter {
      !$0.hasPrefix(".")
    }
  }

  @Test func recoverWithNothingToDoSaysSo() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    let r = try CLI.run(["recover", "--db", db])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "nothing to recover in \(db).spool\n")
    let json = try CLI.run(["recover", "--db", db, "--format", "json"])
    #expect(json.stdout == "{\n  \"spools\" : [\n\n  ]\n}\n")
    #expect(!FileManager.default.fileExists(atPath: db), "recover made a database for nothing")
  }

  @Test func aCrashingRecorderLeavesTheLogForRecoverAndTheBuildKeepsItsCode() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    let log = try String(contentsOf: fixture, encoding: .utf8)
    let r = try CLI.run(
      [
        "record", "--db", db, "--no-metadata", "--label", "run=crash", "--", "sh", "-c",
        "cat '\(fixture.path)'; exit 3",
      ],
      environment: ["BUILDTRAIL_TEST_CRASH_RECORDER": "1"])
    #expect(r.status == 3)
    #expect(r.stdout == log)
    #expect(r.stderr.contains("buildtrail: warning: recording was killed by signal"), "\(r.stderr)")
    #expect(
      r.stderr.contains("will be recorded by the next `buildtrail record` or `buildtrail recover`"))
    let kept = spools(db)
    #expect(kept.count == 1)
    let backup = dir.appendingPathComponent("backup")
    try FileManager.default.copyItem(atPath: db + ".spool/" + kept[0], toPath: backup.path)

    // The variable is honoured only by the recording child of `record --`, not by `recover`.
    let recovered = try CLI.run(
      ["recover", "--db", db], environment: ["BUILDTRAIL_TEST_CRASH_RECORDER": "1"])
    #expect(recovered.status == 0, "\(recovered.stderr)")
    #expect(
      recovered.stdout.hasPrefix("recovered \(db).spool/\(kept[0]): recorded build 1: failed"),
      "\(recovered.stdout)")
    let builds = try CLI.builds(db: db)
    #expect(builds.count == 1)
    #expect(builds.first?["exit_code"] as? Int == 3)
    #expect(builds.first?["outcome"] as? String == "failed")
    #expect(builds.first?["wall_seconds"] as? Double != nil, "the build's own times are kept")
    let labelled = try CLI.run(["builds", "--db", db, "--label", "run=crash", "--format", "csv"])
    #expect(labelled.stdout.split(separator: "\n").count == 2, "\(labelled.stdout)")
    #expect(spools(db).isEmpty)

    // A recorder killed after its commit but before deleting the spool: recording it again stores nothing.
    try FileManager.default.copyItem(atPath: backup.path, toPath: db + ".spool/" + kept[0])
    let again = try CLI.run(["recover", "--db", db])
    #expect(
      again.stdout.contains("already recorded as build 1 (same log); nothing changed"),
      "\(again.stdout)")
    #expect(try CLI.builds(db: db).count == 1)
    #expect(spools(db).isEmpty)
  }

  @Test func aWrapperKilledMidBuildLeavesASpoolThatTheNextRecordRecordsAsUnknown() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    for next in ["command", "file"] {
      let wrapper = try BackgroundRun([
        "record", "--db", db, "--no-metadata", "--target", "app", "--", "sh", "-c",
        "printf '#1 [1/2] RUN make\\n#1 0.100 compiling\\n'; exec sleep 30",
      ])
      while spools(db).isEmpty && wrapper.process.isRunning { usleep(10_000) }
      Thread.sleep(forTimeInterval: 0.5)
      let build = wrapper.children()
      #expect(build.count == 1)
      kill(wrapper.pid, SIGKILL)
      for pid in build { kill(pid, SIGKILL) }
      _ = wrapper.finish()
      #expect(spools(db).count == 1)

      let r =
        next == "command"
        ? try CLI.run(["record", "--db", db, "--no-metadata", "--", "cat", fixture.path])
        : try CLI.run(["record", "--db", db, "--no-metadata", fixture.path])
      #expect(r.status == 0, "\(r.stderr)")
      #expect(r.stderr.contains("buildtrail: recovered \(db).spool/"), "\(r.stderr)")
      #expect(r.stderr.contains("unknown"), "\(r.stderr)")
      #expect(spools(db).isEmpty)
    }
    // The build that has just run is recorded first, then what was left behind (newest first here).
    let builds = try CLI.builds(db: db)
    #expect(
      builds.map { $0["outcome"] as? String } == ["unknown", "success", "unknown", "success"])
    #expect(builds.map { $0["target"] as? String } == ["app", nil, "app", nil])
  }

  @Test func aLeftoverThatKeepsCrashingItsRecorderIsPassedOverAndNeverBlocksNewBuilds() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    _ = try CLI.run(
      ["record", "--db", db, "--no-metadata", "--", "cat", fixture.path],
      environment: ["BUILDTRAIL_TEST_CRASH_RECORDER": "1"])
    let kept = spools(db)
    try #require(kept.count == 1)
    // Three recorders started on it and died (as a log that crashes the parser would make them).
    try Data("xxx".utf8).write(to: URL(fileURLWithPath: db + ".spool/" + kept[0] + "/attempts"))

    let other = CLI.repositoryRoot.appendingPathComponent(
      "Tests/BuildLogTests/Fixtures/docker20-multistage-warm.log")
    let r = try CLI.run(["record", "--db", db, "--no-metadata", other.path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("3 earlier attempts did not finish"), "\(r.stderr)")
    #expect(try CLI.builds(db: db).count == 1)
    #expect(spools(db) == kept)

    let recovered = try CLI.run(["recover", "--db", db])
    #expect(recovered.status == 0, "\(recovered.stderr)")
    #expect(try CLI.builds(db: db).count == 2)
    #expect(spools(db).isEmpty)
  }

  @Test func recoverLeavesTheSpoolOfARunningBuildAlone() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    let gate = dir.appendingPathComponent("go")
    let wrapper = try BackgroundRun([
      "record", "--db", db, "--no-metadata", "--", "sh", "-c",
      "cat '\(fixture.path)'; while [ ! -e '\(gate.path)' ]; do sleep 0.05; done",
    ])
    while spools(db).isEmpty && wrapper.process.isRunning { usleep(10_000) }
    Thread.sleep(forTimeInterval: 0.3)
    let r = try CLI.run(["recover", "--db", db])
    #expect(r.stdout == "nothing to recover in \(db).spool\n")
    #expect(spools(db).count == 1)
    try Data().write(to: gate)
    let result = wrapper.finish()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try CLI.builds(db: db).count == 1)
    #expect(spools(db).isEmpty)
  }
}
