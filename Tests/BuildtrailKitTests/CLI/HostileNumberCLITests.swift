import Foundation
import GRDB
import Testing

/// Numbers out of range, in a log, a flag or an old database, never crash a command.
@Suite struct HostileNumberCLITests {
  static let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/BuildLogTests/Fixtures")

  func history(_ logs: [String]) throws -> (dir: URL, db: String) {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    for log in logs {
      let r = try CLI.run([
        "record", Self.fixtures.appendingPathComponent(log).path, "--db", db, "--no-metadata",
      ])
      #expect(r.status == 0, "\(r.stderr)")
    }
    return (dir, db)
  }

  @Test func aRefusedDurationIsAWarningAndTheBuildIsUnknown() throws {
    let dir = try scratchDirectory()
    let log = dir.appendingPathComponent("nan.log")
    try Data(
      "#1 [1/2] FROM x\n#1 DONE 0.1s\n#2 [2/2] RUN make\n#2 DONE nan s\n#3 [3/3] RUN y\n#3 DONE 0.2s\n"
        .utf8
    ).write(to: log)
    let r = try CLI.run([
      "record", log.path, "--db", dir.appendingPathComponent("h.db").path, "--no-metadata",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(
      r.stderr.contains(
        "buildtrail: warning: 1 line of \(log.path) (line 4) holds a number out of range"))
    #expect(r.stderr.contains("not stored, counted as unrecognised"))
    #expect(r.stdout.contains("recorded build 1: unknown"))
  }

  @Test func aDatabaseWithInfiniteDurationsStillRenders() throws {
    let (_, db) = try history(["docker20-multistage-cold.log", "docker20-multistage-warm.log"])
    try DatabaseQueue(path: db).write { db in
      try db.execute(
        sql: "UPDATE build SET step_seconds = 1e999, wall_seconds = 1e999 WHERE id = 2")
      try db.execute(sql: "UPDATE build SET step_seconds = -1e999 WHERE id = 1")
    }
    let commands = [
      ["builds"], ["builds", "--format", "json"], ["builds", "--format", "csv"], ["show"],
      ["show", "1"],
      ["show", "--format", "json"], ["diff", "1", "2"], ["diff", "1", "2", "--format", "json"],
      ["why", "2"],
      ["trend"], ["regressions"], ["check", "2"],
    ]
    for command in commands {
      let r = try CLI.run(command + ["--db", db])
      #expect(
        !r.stderr.contains("Fatal error") && !r.stderr.contains("crashed"),
        "\(command): \(r.stderr)")
      #expect(
        r.status == 0 || (command.first == "check" && r.status == 1), "\(command): \(r.stderr)")
    }
    let builds = try CLI.run(["builds", "--db", db])
    #expect(builds.stdout.split(separator: "\n").count >= 3, "\(builds.stdout)")

    // Export reads those durations as show does, so the copy shows the same.
    let copy = db + ".copy.db"
    let exported = try CLI.run(["export", "--db", db])
    #expect(exported.status == 0, "\(exported.stderr)")
    #expect(exported.stdout.split(separator: "\n").count == 2)
    let imported = try CLI.run(["import", "-", "--db", copy], stdin: Data(exported.stdout.utf8))
    #expect(imported.status == 0, "\(imported.stderr)")
    for id in ["1", "2"] {
      #expect(
        try CLI.run(["show", id, "--format", "json", "--db", copy]).stdout
          == (try CLI.run(["show", id, "--format", "json", "--db", db]).stdout))
    }
  }

  @Test func aDamagedDatabaseIsRefusedOnImportWithoutCrashing() throws {
    let (_, db) = try history(["docker20-multistage-cold.log"])
    try DatabaseQueue(path: db).write { db in
      try db.execute(sql: "UPDATE build SET steps_total = 'many'")
    }
    let r = try CLI.run(["import", db, "--db", db + ".target.db"])
    #expect(r.status == 1)
    #expect(r.errorLines.count == 1, "\(r.stderr)")
    #expect(r.stderr.contains("build.steps_total holds text"), "\(r.stderr)")
  }

  @Test(arguments: [
    (
      ["check", "--min-cache-hit", "1e300"],
      "--min-cache-hit takes a percentage such as 20% (from 0% to 100%) or a fraction such as 0.2, got '1e300'"
    ),
    (
      ["check", "--min-cache-hit", "nan"],
      "--min-cache-hit takes a percentage such as 20% (from 0% to 100%) or a fraction such as 0.2, got 'nan'"
    ),
    (
      ["check", "--min-cache-hit", "101%"],
      "--min-cache-hit takes a percentage such as 20% (from 0% to 100%) or a fraction such as 0.2, got '101%'"
    ),
    (
      ["check", "--min-cache-hit=-5%"],
      "--min-cache-hit takes a percentage such as 20% (from 0% to 100%) or a fraction such as 0.2, got '-5%'"
    ),
    (
      ["check", "--max-slowdown", "inf"],
      "--max-slowdown takes a percentage such as 20% (from 0% to 100000%) or a fraction such as 0.2, got 'inf'"
    ),
    (
      ["check", "--max-slowdown", "1e300%"],
      "--max-slowdown takes a percentage such as 20% (from 0% to 100000%) or a fraction such as 0.2, got '1e300%'"
    ),
    (
      ["check", "--max-slowdown=-1%"],
      "--max-slowdown takes a percentage such as 20% (from 0% to 100000%) or a fraction such as 0.2, got '-1%'"
    ),
    (["check", "--window", "0"], "--window takes a whole number from 1 to 100000, got 0"),
    (
      ["check", "--window", "9223372036854775807"],
      "--window takes a whole number from 1 to 100000, got 9223372036854775807"
    ),
    (["builds", "--limit=-1"], "--limit takes a whole number from 1 to 100000, got -1"),
    (["builds", "--limit", "100001"], "--limit takes a whole number from 1 to 100000, got 100001"),
    (["trend", "--last", "0"], "--last takes a whole number from 1 to 100000, got 0"),
    (
      ["report", "--html", "x.html", "--last", "9223372036854775807"],
      "--last takes a whole number from 1 to 100000"
    ),
    (["regressions", "--window", "0"], "--window takes a whole number from 1 to 100000, got 0"),
    (["broke", "--limit", "0"], "--limit takes a whole number from 1 to 100000, got 0"),
  ])
  func numericFlagsOutOfRangeAreOneLineUsageErrors(_ arguments: [String], _ message: String) throws
  {
    let dir = try scratchDirectory()
    let r = try CLI.run(arguments + ["--db", dir.appendingPathComponent("h.db").path], in: dir)
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").first?.contains(message) == true, "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.html").path))
  }

  @Test func percentagesInRangeAreAccepted() throws {
    let (_, db) = try history(["docker20-multistage-cold.log"])
    let r = try CLI.run(["check", "--db", db, "--max-slowdown", "20.5%", "--min-cache-hit", "0"])
    #expect(r.status == 0, "\(r.stderr)")
  }
}
