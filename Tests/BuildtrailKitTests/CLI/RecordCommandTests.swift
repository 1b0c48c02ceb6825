import Foundation
import Testing

@Suite struct RecordCommandTests {
  let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/BuildLogTests/Fixtures")

  @Test func theSameLogTwiceIsOneBuildAndTheHashIsTheFilesSHA256() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    // A log larger than one read chunk, so hashing runs beside parsing.
    var big = try Data(contentsOf: fixtures.appendingPathComponent("docker20-parallel-stages.log"))
    var padding = "#99 [extra 1/1] RUN pad\n"
    for i in 0..<40_000 {
      padding += "#99 0.\(String(format: "%03d", i % 1000)) padding line \(i)\n"
    }
    big.append(Data((padding + "#99 DONE 1.0s\n").utf8))
    let log = dir.appendingPathComponent("big.log")
    try big.write(to: log)
    let first = try CLI.run(["record", log.path, "--db", db, "--no-metadata"])
    #expect(first.stdout.hasPrefix("recorded build 1: success"))
    let again = try CLI.run(["record", log.path, "--db", db, "--no-metadata"])
    #expect(again.status == 0)
    #expect(again.stdout.hasPrefix("already recorded as build 1 (same log); nothing changed"))
    let shown = try JSONSerialization.jsonObject(
      with: Data(try CLI.run(["show", "--db", db, "--format", "json"]).stdout.utf8))
    let sha = ((shown as? [String: Any])?["build"] as? [String: Any])?["log_sha256"] as? String
    let expected = try CLI.runExecutable(URL(fileURLWithPath: "/usr/bin/sha256sum"), [log.path])
      .stdout.prefix(64)
    #expect(sha == String(expected))
  }

  @Test func standardInputIsRecorded() throws {
    let dir = try scratchDirectory()
    let log = try Data(contentsOf: fixtures.appendingPathComponent("docker20-multistage-warm.log"))
    let r = try CLI.run(
      ["record", "-", "--db", dir.appendingPathComponent("h.db").path, "--no-metadata"], stdin: log)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "recorded build 1: success, 10 of 10 steps cached, 0.0s in steps [plain]\n")
  }

  static let corpus028 = CLI.repositoryRoot.deletingLastPathComponent().appendingPathComponent(
    "shared/corpus/028-gha-raw-ansi-three-sequential-builds.log")

  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: corpus028.path),
      "../shared/corpus is missing (.ci/run runs beside it)"))
  func aLogWithThreeBuildsRecordsThree() throws {
    let dir = try scratchDirectory()
    let corpus = Self.corpus028
    let r = try CLI.run([
      "record", corpus.path, "--db", dir.appendingPathComponent("h.db").path, "--no-metadata",
      "--format", "json",
    ])
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    #expect((json?["builds"] as? [[String: Any]])?.map { $0["id"] as? Int } == [1, 2, 3])
  }

  @Test func labelsTargetAndOverridesAreKept() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    let r = try CLI.run([
      "record", fixtures.appendingPathComponent("docker20-multistage-cold.log").path, "--db", db,
      "--no-metadata",
      "--label", "team=backend", "--label", "env=ci", "--target", "prod", "--commit", "abc123",
      "--branch", "release",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let list = try CLI.run([
      "builds", "--db", db, "--branch", "release", "--target", "prod", "--label", "team=backend",
      "--format", "csv",
    ])
    #expect(list.stdout.split(separator: "\n").count == 2)
    #expect(list.stdout.contains(",release,abc123,prod,success,"))
    let none = try CLI.run(["builds", "--db", db, "--label", "team=frontend", "--format", "json"])
    #expect(none.stdout == "{\n  \"builds\" : [\n\n  ]\n}\n")
  }

  @Test func ciEnvironmentIsRecorded() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    let r = try CLI.run(
      ["record", fixtures.appendingPathComponent("docker20-multistage-cold.log").path, "--db", db],
      in: dir,
      environment: [
        "GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": "987", "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "acme/app", "GITHUB_SHA": "0123abcd", "GITHUB_REF_NAME": "main",
        "GITHUB_JOB": "build",
      ])
    #expect(r.status == 0, "\(r.stderr)")
    let shown = try JSONSerialization.jsonObject(
      with: Data(try CLI.run(["show", "--db", db, "--format", "json"]).stdout.utf8))
    let build = (shown as? [String: Any])?["build"] as? [String: Any]
    let ci = build?["ci"] as? [String: Any]
    #expect(ci?["provider"] as? String == "github-actions")
    #expect(ci?["run_id"] as? String == "987")
    #expect(ci?["url"] as? String == "https://github.com/acme/app/actions/runs/987")
    #expect((build?["git"] as? [String: Any])?["commit"] as? String == "0123abcd")
  }
}

@Suite struct WrappedCommandTests {
  @Test func aStoppedBuildIsRecordedAsCanceled() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = [
      "record", "--db", db, "--no-metadata", "--", "sh", "-c",
      "printf '#1 [1/2] RUN make\\n#1 0.100 compiling\\n'; sleep 30",
    ]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = Pipe()
    try process.run()
    Thread.sleep(forTimeInterval: 1.0)
    let start = Date()
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    #expect(Date().timeIntervalSince(start) < 10)
    #expect(process.terminationStatus == 143)
    let list = try CLI.run(["builds", "--db", db, "--format", "csv"])
    #expect(
      list.stdout.split(separator: "\n").last?.contains(",canceled,") == true, "\(list.stdout)")
  }

  @Test func theBuildsOutputPassesThroughUnchanged() throws {
    let dir = try scratchDirectory()
    let script =
      "printf '#1 [1/1] RUN x\\n'; printf 'to stderr\\n' >&2; printf '#1 DONE 0.5s\\n'; exit 3"
    let r = try CLI.run([
      "record", "--db", dir.appendingPathComponent("h.db").path, "--no-metadata", "--", "sh", "-c",
      script,
    ])
    #expect(r.status == 3)
    #expect(r.stdout == "#1 [1/1] RUN x\n#1 DONE 0.5s\n")
    #expect(r.stderr.hasPrefix("to stderr\n"))
    #expect(r.stderr.contains("buildtrail: recorded build 1: failed"))
  }
}

@Suite struct ClosedOutputTests {
  @Test func theBuildIsRecordedWhenItsReaderGoesAway() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    // `head -n 1` exits after one line; buildtrail must keep reading the build and record it.
    let build = dir.appendingPathComponent("build.sh")
    try Data(
      "printf '#1 [1/1] RUN x\\n'; sleep 0.3; i=0; while [ $i -lt 2000 ]; do i=$((i+1)); printf '#1 0.1 line %s\\n' $i; done; printf '#1 DONE 0.5s\\n'\n"
        .utf8
    ).write(to: build)
    let shell =
      "set -o pipefail; '\(CLI.binary.path)' record --db '\(db)' --no-metadata -- sh '\(build.path)' | head -n 1"
    let r = try CLI.runExecutable(URL(fileURLWithPath: "/bin/bash"), ["-c", shell])
    #expect(r.stdout == "#1 [1/1] RUN x\n")
    let list = try CLI.run(["builds", "--db", db, "--format", "csv"])
    #expect(list.stdout.contains(",success,"), "\(list.stdout) \(r.stderr)")
  }
}

@Suite struct UnusableDatabaseDuringABuildTests {
  @Test func theBuildStillRunsAndItsExitCodeWins() throws {
    let dir = try scratchDirectory()
    let file = dir.appendingPathComponent("not-a-folder")
    try Data("x".utf8).write(to: file)
    // Neither the database nor its spool folder can be made under a file.
    let db = file.appendingPathComponent("history.db").path
    for code in [3, 0] {
      let r = try CLI.run([
        "record", "--db", db, "--no-metadata", "--", "sh", "-c", "echo building; exit \(code)",
      ])
      #expect(r.status == Int32(code))
      #expect(r.stdout == "building\n")
      #expect(r.errorLines.isEmpty, "\(r.stderr)")
      #expect(
        r.stderr
          == "buildtrail: warning: cannot keep the build's log in \(db).spool (Not a directory); the build was not recorded\n"
      )
    }
  }

  @Test func aDatabaseThatCannotBeOpenedKeepsTheLogForLater() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db")
    try FileManager.default.createDirectory(at: db, withIntermediateDirectories: true)
    let r = try CLI.run([
      "record", "--db", db.path, "--no-metadata", "--", "sh", "-c", "echo building; exit 3",
    ])
    #expect(r.status == 3)
    #expect(r.stdout == "building\n")
    #expect(r.errorLines.count == 1, "\(r.stderr)")
    #expect(
      r.stderr.contains(
        "buildtrail: warning: recording failed; the build's log is kept in \(db.path).spool/"))
    #expect(
      ((try? FileManager.default.contentsOfDirectory(atPath: db.path + ".spool")) ?? []).count == 1)
  }

  @Test func aSpoolWriteErrorStopsSpoolingButNotTheBuild() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    // A 4 KiB file size limit makes the spool's writes fail (EFBIG) a few lines into the build.
    let build = "i=0; while [ $i -lt 500 ]; do i=$((i+1)); echo \"#1 0.1 line $i\"; done; exit 3"
    let shell =
      "ulimit -f 4; exec '\(CLI.binary.path)' record --db '\(db)' --no-metadata -- sh -c '\(build)'"
    let r = try CLI.runExecutable(URL(fileURLWithPath: "/bin/bash"), ["-c", shell])
    #expect(r.status == 3)
    #expect(r.stdout.split(separator: "\n").count == 500)
    #expect(r.stdout.hasSuffix("#1 0.1 line 500\n"))
    let notes = r.stderr.split(separator: "\n").filter { $0.hasPrefix("buildtrail:") }
    #expect(notes.count == 1, "\(r.stderr)")
    #expect(
      notes.first?.hasPrefix("buildtrail: warning: cannot write the build's log to \(db).spool/")
        == true)
    #expect(
      notes.first?.hasSuffix(" (File too large); the build was not recorded") == true, "\(r.stderr)"
    )
    #expect(((try? FileManager.default.contentsOfDirectory(atPath: db + ".spool")) ?? []).isEmpty)
  }
}
