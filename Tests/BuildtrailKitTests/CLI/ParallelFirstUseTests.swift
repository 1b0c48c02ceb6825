import Foundation
import Testing

/// Many CI jobs opening one history at once, as a shared runner does: the first use of a new file
/// migrates it under an exclusive lock, and every writer's build is stored once.
@Suite(.serialized) struct ParallelFirstUseTests {
  /// Runs `script` with bash (the binary as $1) and returns its status and output.
  static func bash(_ script: String, in dir: URL) throws -> CLI.Result {
    try CLI.runExecutable(
      URL(fileURLWithPath: "/bin/bash"), ["-c", script, "bash", CLI.binary.path], in: dir)
  }

  @Test func eightProcessesOpenANewFileTogetherTenTimes() throws {
    let dir = try scratchDirectory()
    let fixture = CLI.repositoryRoot.appendingPathComponent(
      "Tests/BuildLogTests/Fixtures/docker20-multistage-cold.log"
    ).path
    for round in 1...10 {
      let db = dir.appendingPathComponent("round-\(round).db").path
      // Four record and four read-only commands start at once on a file that does not exist yet. A
      // read-only command that starts before any record created the file says so; nothing else fails.
      let r = try Self.bash(
        """
        for i in 1 2 3 4; do
          ( { cat '\(fixture)'; echo "# job $i"; } | "$1" record - --no-metadata --db '\(db)' >/dev/null 2>err-\(round)-r$i || echo "record $i failed: $(cat err-\(round)-r$i)" ) &
          ( "$1" builds --db '\(db)' >/dev/null 2>err-\(round)-b$i || grep -q '^buildtrail: error: no history at ' err-\(round)-b$i || echo "builds $i failed: $(cat err-\(round)-b$i)" ) &
        done
        wait
        """, in: dir)
      #expect(r.stdout.isEmpty, "round \(round): \(r.stdout)")
      #expect(try CLI.builds(db: db).count == 4, "round \(round)")
    }
  }

  @Test func sixteenWritersRecordTwentyFiveBuildsEachIntoANewFile() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("history.db").path
    let fixture = CLI.repositoryRoot.appendingPathComponent(
      "Tests/BuildLogTests/Fixtures/docker20-multistage-warm.log"
    ).path
    let r = try Self.bash(
      """
      for w in $(seq 1 16); do
        (
          for b in $(seq 1 25); do
            { cat '\(fixture)'; echo "# writer $w build $b"; } > log-$w-$b
            "$1" record log-$w-$b --no-metadata --db '\(db)' >/dev/null 2>err-$w-$b || echo "writer $w build $b failed: $(cat err-$w-$b)"
          done
        ) &
      done
      wait
      """, in: dir)
    #expect(r.stdout.isEmpty, "\(r.stdout)")
    let builds = try CLI.builds(db: db)
    #expect(builds.count == 400)
    #expect(Set(builds.compactMap { $0["id"] as? Int }).count == 400)
    let check = try CLI.runExecutable(
      URL(fileURLWithPath: "/usr/bin/env"),
      [
        "python3", "-c",
        "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])",
        db,
      ])
    #expect(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
  }
}
