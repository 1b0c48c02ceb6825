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
      clauses.append("b.recorded_ms < ?")
      arguments.append(UTCTimestamp.milliseconds(of: recordedBefore))
    }
    if let keepNewest {
      clauses.append(
        """
        b.id NOT IN (SELECT id FROM build WHERE \(branch == nil ? "1" : "git_branch = ?")
          ORDER BY recorded_ms DESC, id DESC LIMIT ?)
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
      let dependents = try Self.dependentRecords(of: Set(unique), db)
      for id in unique {
        try db.execute(sql: "DELETE FROM build WHERE id = ?", arguments: [id])
      }
      try Self.rewriteRecords(dependents, db)
      var report = try Self.collectGarbage(db)
      report.deletedBuilds = unique
      report.freedBytes = try Self.freeBytes(db) - freeBefore
      return report
    }
  }

  /// Collects the garbage, then rewrites the file without its free pages (SQLite `VACUUM`).
  public func vacuum() throws -> VacuumReport {
    let before = try read { try Self.fileBytes($0) }
    let (cleanup, recompressed) = try write { db in
      let freeBefore = try Self.freeBytes(db)
      var report = try Self.collectGarbage(db)
      report.freedBytes = try Self.freeBytes(db) - freeBefore
      return (report, 0)
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

  /// Removes what no build refers to: input contents no build's record lists, and context tree
  /// nodes no build's root reaches. The one place that knows what refers to what; every deletion
  /// ends here.
  static func collectGarbage(_ db: Database) throws -> CleanupReport {
    var report = CleanupReport()
    var reader = RecordReader()
    var used = Set<String>()
    let ids = try Int64.fetchAll(db, sql: "SELECT id FROM build")
    for chunk in stride(from: 0, to: ids.count, by: 500) {
      let part = Array(ids[chunk..<min(chunk + 500, ids.count)])
      let records = try reader.records(part, db)
      for id in part {
        guard let record = records[id] else { throw StoreError.damagedRecord(buildID: id) }
        for input in record.inputs { used.insert(input.sha256) }
      }
    }
    (report.inputBlobs, report.inputBlobBytes) = try collectInputContents(used: used, db)

    var reachable = Set<Data>()
    var pending = try Data.fetchAll(
      db, sql: "SELECT DISTINCT context_root FROM build WHERE context_root IS NOT NULL")
    let node = try db.makeStatement(sql: "SELECT data FROM context_node WHERE hash = ?")
    while let hash = pending.popLast() {
      guard reachable.insert(hash).inserted, let data = try Data.fetchOne(node, arguments: [hash])
      else { continue }
      pending += ContextTree.children(of: data)
    }
    let deleteNode = try db.makeStatement(sql: "DELETE FROM context_node WHERE hash = ?")
    for row in try Row.fetchAll(db, sql: "SELECT hash, length(data) FROM context_node") {
      let hash: Data = row[0]
      guard !reachable.contains(hash) else { continue }
      try deleteNode.execute(arguments: [hash])
      report.contextNodes += 1
      report.contextNodeBytes += row[1] as Int64
    }
    return report
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
