import BuildStore
import Foundation
import GRDB
import Testing

/// A history written by buildtrail at schema 8 (`Tests/BuildLogTests/Fixtures/schema8`, made by its
/// `make-history.sh`: failures, build arguments with a secret, cache plumbing and imports, inputs,
/// context lists small and large) migrated to schema 10: every build shows and exports as it did.
@Suite struct SchemaTenMigrationTests {
  static let fixtures = CLI.repositoryRoot.appendingPathComponent(
    "Tests/BuildLogTests/Fixtures/schema8")

  static func lines(_ name: String) throws -> [Substring] {
    try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8).split(
      separator: "\n")
  }

  static func same(_ a: Substring, _ b: Substring) throws -> Bool {
    let left = try JSONSerialization.jsonObject(with: Data(a.utf8)) as? NSObject
    let right = try JSONSerialization.jsonObject(with: Data(b.utf8)) as? NSObject
    return left != nil && left == right
  }

  @Test func aSchema8HistoryShowsAndExportsTheSameAfterMigrating() throws {
    let db = try scratchDirectory().appendingPathComponent("history.db").path
    try FileManager.default.copyItem(
      atPath: Self.fixtures.appendingPathComponent("history.db").path, toPath: db)
    let shown = try Self.lines("show.jsonl")
    #expect(shown.count == 19)
    for (index, expected) in shown.enumerated() {
      let r = try CLI.run(["show", String(index + 1), "--db", db, "--format", "json"])
      try #require(r.status == 0, "show \(index + 1): \(r.stderr)")
      #expect(try Self.same(r.stdout[...], expected), "show \(index + 1)")
    }
    let exported = try CLI.run(["export", "--db", db])
    try #require(exported.status == 0, "\(exported.stderr)")
    let expected = try Self.lines("export.jsonl")
    let lines = exported.stdout.split(separator: "\n")
    #expect(lines.count == expected.count)
    for (line, want) in zip(lines, expected) {
      #expect(try Self.same(line, want), "\(line.prefix(120))")
    }

    let store = try BuildStore(path: db)
    #expect(try store.failures(buildIDs: Array(1...19)).keys.sorted() == [10, 12, 19])
    try DatabaseQueue(path: db).read { db in
      let tables = try String.fetchAll(
        db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      #expect(
        tables == [
          "build", "build_label", "build_record", "context_node", "grdb_migrations",
          "input_content",
        ])
      #expect(
        try Int.fetchOne(db, sql: "SELECT count(*) FROM build WHERE typeof(git_commit) = 'blob'")
          == 16)
      #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
      #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
    }
  }
}
