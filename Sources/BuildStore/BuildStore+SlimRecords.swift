import BuildLog
import Foundation
import GRDB

extension BuildStore {
  /// Schema 10: moves each build's failure, build arguments and cache plumbing into its record,
  /// stores git commits as bytes, input contents by the bytes of their hash and context nodes
  /// compressed, then drops the tables the facts came from.
  @Sendable static func slimRecords(_ db: Database) throws {
    var commits: [(id: Int64, commit: any DatabaseValueConvertible)] = []
    for row in try Row.fetchAll(
      db, sql: "SELECT id, git_commit FROM build WHERE typeof(git_commit) = 'text'")
    {
      guard let text = String.fromDatabaseValue(row[1]),
        let stored = BuildRow.storedCommit(text), stored is Data
      else { continue }
      commits.append((row[0], stored))
    }
    for (id, commit) in commits {
      try run(db, sql: "UPDATE build SET git_commit = ? WHERE id = ?", arguments: [commit, id])
    }
    try moveInputBlobs(db)
    let nodes = try Row.fetchAll(db, sql: "SELECT hash, data FROM context_node")
    for node in nodes {
      guard let data = Data.fromDatabaseValue(node[1]), data.first != 3 else { continue }
      let stored = ContextTree.stored(data)
      if stored != data {
        try run(
          db, sql: "UPDATE context_node SET data = ? WHERE hash = ?", arguments: [stored, node[0]])
      }
    }
    let additions = try LegacyInvocationReader.invocations(db)
    if !additions.isEmpty {
      try transformRecords(db) { id, record in
        guard let addition = additions[id] else { return false }
        record.failure = addition.failure
        record.buildArguments = addition.arguments
        record.cachePlumbing = addition.plumbing
        return true
      }
    }
    for table in ["build_failure", "build_argument", "build_cache_plumbing", "build_cache_import"] {
      try db.execute(sql: "DROP TABLE \(table)")
    }
  }

  private static func moveInputBlobs(_ db: Database) throws {
    for row in try Row.fetchAll(db, sql: "SELECT sha256, bytes, content, codec FROM input_blob") {
      guard let sha = String.fromDatabaseValue(row[0]) else { continue }
      let content = Data.fromDatabaseValue(row[2])
      let zlib = String.fromDatabaseValue(row[3]) == "zlib" && content != nil
      try run(
        db,
        sql: "INSERT OR IGNORE INTO input_content (sha256, bytes, codec, data) VALUES (?, ?, ?, ?)",
        arguments: [
          inputKey(sha), Int64.fromDatabaseValue(row[1]) ?? 0,
          (zlib ? InputCodec.zlib : .plain).rawValue, content,
        ])
    }
    try db.execute(sql: "DROP TABLE input_blob")
  }

  /// Changes records in place: `change` edits the record of a build and says whether it did. A
  /// record is compressed against its base's encoded bytes, so every record whose base changed is
  /// compressed again, against the same base: records are visited from each chain's first, base
  /// before dependents. A record that does not decode is left as it is.
  static func transformRecords(
    _ db: Database, _ change: (Int64, inout BuildRecord) -> Bool
  ) throws {
    var dependents: [Int64: [Int64]] = [:]
    var firsts: [Int64] = []
    for row in try Row.fetchAll(db, sql: "SELECT build_id, base_id FROM build_record") {
      let id: Int64 = row[0]
      if let base = Int64.fromDatabaseValue(row[1]) {
        dependents[base, default: []].append(id)
      } else {
        firsts.append(id)
      }
    }
    let fetch = try db.makeStatement(sql: "SELECT data FROM build_record WHERE build_id = ?")
    let update = try db.makeStatement(sql: "UPDATE build_record SET data = ? WHERE build_id = ?")
    var pending: [(id: Int64, base: (old: Data, new: Data, changed: Bool)?)] = firsts.map {
      ($0, nil)
    }
    var keys: [StepCoding.NameKey: String] = [:]
    while let (id, base) = pending.popLast() {
      guard let stored = try Data.fetchOne(fetch, arguments: [id]),
        let old = RecordCodec.decompress(stored, base: base?.old)
      else { continue }
      var new = old
      if var record = BuildRecord(encoded: old, keys: &keys), change(id, &record) {
        new = record.encoded()
      }
      let changed = new != old
      if changed || base?.changed == true {
        try update.execute(arguments: [RecordCodec.compress(new, base: base?.new), id])
      }
      for dependent in dependents[id] ?? [] {
        pending.append((dependent, (old, new, changed)))
      }
    }
  }
}
