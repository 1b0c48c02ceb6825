import Foundation
import GRDB
import Testing

/// `prune`, `delete` and `vacuum` on real recorded histories: builds go, the garbage they leave goes
/// with them, and what stays reads as before.
@Suite(.serialized) struct MaintenanceCommandTests {
  static func counts(_ db: String) throws -> [String: Int] {
    try DatabaseQueue(path: db).read { db in
      var counts: [String: Int] = [:]
      for table in ["build", "build_record", "input_content", "context_node"] {
        counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")
      }
      return counts
    }
  }

  static func json(_ arguments: [String]) throws -> [String: Any] {
    let r = try CLI.run(arguments + ["--format", "json"])
    try #require(r.status == 0, "\(arguments.joined(separator: " ")): \(r.stderr)")
    return try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  @Test func pruneKeepsTheNewestOfABranchAndRemovesTheirGarbage() throws {
    let history = try ExplainFixtureTests.record()
    let db = history.db
    try HistoryTransferTests.record(HistoryTransferTests.logs, into: db, branch: "feature")
    let uv = try #require(try CLI.builds(db: db).last?["branch"] as? String)
    let uvIDs = try CLI.builds(db: db).filter { $0["branch"] as? String == uv }.compactMap {
      $0["id"] as? Int
    }.sorted()
    try #require(uvIDs.count >= 9)
    let before = try Self.counts(db)

    let dry = try Self.json(["prune", "--keep", "3", "--branch", uv, "--dry-run", "--db", db])
    let listed = ((dry["prune"] as? [String: Any])?["builds"] as? [[String: Any]])?.compactMap {
      $0["id"] as? Int
    }
    #expect(listed == Array(uvIDs.dropLast(3)))
    #expect(try Self.counts(db) == before)

    let pruned = try #require(
      try Self.json(["prune", "--keep", "3", "--branch", uv, "--db", db])["prune"] as? [String: Any]
    )
    let cleanup = try #require(pruned["cleanup"] as? [String: Any])
    #expect(cleanup["deleted_builds"] as? [Int] == Array(uvIDs.dropLast(3)))
    let after = try Self.counts(db)
    #expect(after["build"] == before["build"]! - (uvIDs.count - 3))
    #expect((cleanup["input_blobs"] as? Int ?? 0) > 0)
    #expect((cleanup["context_nodes"] as? Int ?? 0) > 0)
    #expect((cleanup["input_blob_bytes"] as? Int ?? 0) > 0)
    #expect(
      after["input_content"] == before["input_content"]! - (cleanup["input_blobs"] as? Int ?? -1))
    #expect(
      after["context_node"] == before["context_node"]! - (cleanup["context_nodes"] as? Int ?? -1))
    #expect(after["build_record"] == after["build"])

    // What stays reads whole: its steps, its inputs' content and its context file list.
    for id in uvIDs.suffix(3) {
      let show = try CLI.run(["show", String(id), "--db", db, "--format", "json"])
      #expect(show.status == 0 && show.stdout.contains("\"steps\""))
      let line = try CLI.run(["export", String(id), "--db", db])
      #expect(line.stdout.contains("\"context_manifest\":{\"text\":\""), "build \(id)")
      #expect(line.stdout.components(separatedBy: "\"content\":\"").count > 2, "build \(id)")
    }
    #expect(try CLI.run(["why", String(uvIDs.last!), "--db", db]).status == 0)
    #expect(
      try DatabaseQueue(path: db).read { try Row.fetchAll($0, sql: "PRAGMA foreign_key_check") }
        .isEmpty)

    // A second prune finds nothing more; --keep-days goes by age, on the branch given.
    let again = try CLI.run(["prune", "--keep", "3", "--branch", uv, "--db", db])
    #expect(again.stdout == "deleted 0 builds\n")
    #expect(try CLI.run(["prune", "--keep-days", "1", "--db", db]).stdout == "deleted 0 builds\n")
    let feature = try Self.json(["prune", "--keep-days", "0", "--branch", "feature", "--db", db])
    #expect(
      ((feature["prune"] as? [String: Any])?["builds"] as? [Any])?.count
        == HistoryTransferTests.logs.count)
    #expect(
      try CLI.builds(db: db).compactMap { $0["id"] as? Int }.sorted() == Array(uvIDs.suffix(3)))
  }

  @Test func pruneTakesExactlyOneRule() throws {
    let db = try scratchDirectory().appendingPathComponent("h.db").path
    for arguments in [
      ["prune"], ["prune", "--keep", "1", "--keep-days", "3"], ["prune", "--keep", "-1"],
    ] {
      let r = try CLI.run(arguments + ["--db", db])
      #expect(r.status == 64, "\(arguments)")
      #expect(r.stderr.contains("--keep"), "\(arguments): \(r.stderr)")
    }
  }

  @Test func deleteIsAllOrNothing() throws {
    let db = try scratchDirectory().appendingPathComponent("h.db").path
    try HistoryTransferTests.record(HistoryTransferTests.logs, into: db)
    let before = try Self.counts(db)
    let unknown = try CLI.run(["delete", "2", "99", "100", "--db", db])
    #expect(unknown.status == 1)
    #expect(
      unknown.errorLines == [
        "buildtrail: error: no build 99, 100 in the history; `buildtrail builds` lists the recorded ones"
      ])
    #expect(try Self.counts(db) == before)

    let r = try CLI.run(["delete", "2", "4", "--db", db])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("deleted 2 builds (2, 4)"))
    #expect(try CLI.builds(db: db).compactMap { $0["id"] as? Int }.sorted() == [1, 3, 5])
    #expect(try Self.counts(db)["build_record"]! == before["build_record"]! - 2)
    for id in [1, 3, 5] {
      #expect(try CLI.run(["show", String(id), "--db", db]).status == 0, "build \(id)")
    }
    #expect(try CLI.run(["show", "3", "--db", db]).status == 0)
  }

  @Test func vacuumGivesBackFreePagesAndKeepsEveryBuildReadable() throws {
    let db = try scratchDirectory().appendingPathComponent("h.db").path
    try HistoryTransferTests.record(HistoryTransferTests.logs, into: db)
    let shows = try (1...5).map {
      try CLI.run(["show", String($0), "--db", db, "--format", "json"])
    }
    #expect(try CLI.run(["delete", "1", "2", "--db", db]).status == 0)
    let vacuum = try #require(try Self.json(["vacuum", "--db", db])["vacuum"] as? [String: Any])
    #expect((vacuum["bytes_after"] as? Int ?? .max) < (vacuum["bytes_before"] as? Int ?? 0))
    #expect(vacuum["outputs_recompressed"] as? Int == 0)
    for id in 3...5 {
      let after = try CLI.run(["show", String(id), "--db", db, "--format", "json"])
      #expect(after.stdout == shows[id - 1].stdout, "build \(id)")
    }
    let again = try CLI.run(["vacuum", "--db", db])
    #expect(again.stdout.hasPrefix("vacuumed \(db): "), "\(again.stdout)")
    #expect(!again.stdout.contains("compressed"))
  }
}
