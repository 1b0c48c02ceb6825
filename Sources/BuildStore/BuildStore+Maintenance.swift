import Foundation
import GRDB

extension BuildStore {
  /// The builds `prune` deletes, oldest id first: those recorded before `recordedBefore`, and those
  /// not among the newest `keepNewest`; both only on `branch` when given (the newest are counted on
  /// that branch), over the whole history otherwise. Nil conditions do not apply.
  public func pruneCandidates(recordedBefore: Date?, keepNewest: Int?, branch: String?) throws
    -> [BuildSummary]
  {
    var clauses = ["1"]
    var arguments: [(any DatabaseValueConvertible)?] = []
    if let branch {
      clauses.append("b.git_branch = ?")
      arguments.append(branch)
    }
    if let recordedBefore {
      clauses.append("b.recorded_at < ?")
      arguments.append(UTCTimestamp.string(from: recordedBefore))
    }
    if let keepNewest {
      clauses.append(
        """
        b.id NOT IN (SELECT id FROM build WHERE \(branch == nil ? "1" : "git_branch = ?")
          ORDER BY recorded_at DESC, id DESC LIMIT ?)
        """)
      if let branch { arguments.append(branch) }
      arguments.append(max(keepNewest, 0))
    }
    return try read { db in
      try Row.fetchAll(
        db,
        sql:
          "SELECT \(Self.summaryColumns) FROM build b WHERE \(clauses.joined(separator: " AND ")) ORDER BY b.id",
        arguments: StatementArguments(arguments)
      ).map(Self.summary)
    }
  }

  /// Deletes builds `ids` with everything recorded for them, then what no build refers to any more.
  /// All or nothing: when an id is not in the history, nothing is deleted.
  /// - Throws: ``StoreError/noSuchBuild(_:)`` naming every unknown id.
  public func delete(buildIDs ids: [Int64]) throws -> CleanupReport {
    let unique = Array(Set(ids)).sorted()
    return try write { db in
      let missing = try unique.filter {
        try Int64.fetchOne(db, sql: "SELECT 1 FROM build WHERE id = ?", arguments: [$0]) == nil
      }
      guard missing.isEmpty else {
        throw StoreError.noSuchBuild(missing.map(String.init).joined(separator: ", "))
      }
      let freeBefore = try Self.freeBytes(db)
      for id in unique {
        try db.execute(sql: "DELETE FROM build WHERE id = ?", arguments: [id])
      }
      var report = try Self.collectGarbage(db)
      report.deletedBuilds = unique
      report.freedBytes = try Self.freeBytes(db) - freeBefore
      return report
    }
  }

  /// Collects the garbage, compresses the kept output still stored as plain JSON (schema 3's), then
  /// rewrites the file without its free pages (SQLite `VACUUM`).
  public func vacuum() throws -> VacuumReport {
    let before = try read { try Self.fileBytes($0) }
    let (cleanup, recompressed) = try write { db in
      let freeBefore = try Self.freeBytes(db)
      var report = try Self.collectGarbage(db)
      let recompressed = try Self.recompressOutputs(db)
      report.freedBytes = try Self.freeBytes(db) - freeBefore
      return (report, recompressed)
    }
    do {
      try writer.writeWithoutTransaction { try $0.execute(sql: "VACUUM") }
    } catch let error as DatabaseError {
      throw Self.storeError(error, path: path)
    }
    return VacuumReport(
      cleanup: cleanup, outputsRecompressed: recompressed, bytesBefore: before,
      bytesAfter: try read { try Self.fileBytes($0) })
  }

  /// Removes what no build refers to: step names no step uses, input blobs no build input and no
  /// pre-schema-4 context list names, and context tree nodes no build's root reaches.
  /// The one place that knows what refers to what; every deletion ends here.
  static func collectGarbage(_ db: Database) throws -> CleanupReport {
    var report = CleanupReport()
    try db.execute(sql: "DELETE FROM step_name WHERE id NOT IN (SELECT name_id FROM step)")
    report.stepNames = db.changesCount

    let unreferenced = """
      sha256 NOT IN (SELECT \(inputHex) FROM build_input i)
        AND sha256 NOT IN (SELECT context_manifest_sha256 FROM build WHERE context_manifest_sha256 IS NOT NULL)
      """
    if let row = try Row.fetchOne(
      db,
      sql:
        "SELECT count(*), coalesce(sum(length(content)), 0) FROM input_blob WHERE \(unreferenced)")
    {
      report.inputBlobs = row[0]
      report.inputBlobBytes = row[1]
    }
    if report.inputBlobs > 0 {
      try db.execute(sql: "DELETE FROM input_blob WHERE \(unreferenced)")
    }

    var reachable = Set<Data>()
    var pending = try Data.fetchAll(
      db, sql: "SELECT DISTINCT context_root FROM build WHERE context_root IS NOT NULL")
    let node = try db.makeStatement(sql: "SELECT data FROM context_node WHERE hash = ?")
    while let hash = pending.popLast() {
      guard reachable.insert(hash).inserted, let data = try Data.fetchOne(node, arguments: [hash])
      else { continue }
      pending += ContextTree.children(of: data)
    }
    let delete = try db.makeStatement(sql: "DELETE FROM context_node WHERE hash = ?")
    for row in try Row.fetchAll(db, sql: "SELECT hash, length(data) FROM context_node") {
      let hash: Data = row[0]
      guard !reachable.contains(hash) else { continue }
      try delete.execute(arguments: [hash])
      report.contextNodes += 1
      report.contextNodeBytes += row[1] as Int64
    }
    return report
  }

  /// Rewrites the kept-output blobs stored as plain JSON (migrated from schema 3) compressed; returns how many.
  static func recompressOutputs(_ db: Database) throws -> Int {
    let ids = try Int64.fetchAll(
      db, sql: "SELECT build_id FROM build_output WHERE codec <> 'zlib'")
    var count = 0
    for id in ids {
      guard let blob = try outputBlob(buildID: id, db) else { continue }
      let (codec, data) = blob.encoded()
      try db.execute(
        sql: "UPDATE build_output SET codec = ?, data = ? WHERE build_id = ?",
        arguments: [codec, data, id])
      count += 1
    }
    return count
  }

  private static func fileBytes(_ db: Database) throws -> Int64 {
    let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
    return pages * (try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0)
  }

  private static func freeBytes(_ db: Database) throws -> Int64 {
    let pages = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
    return pages * (try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0)
  }
}
