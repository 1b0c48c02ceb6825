import BuildtrailMigrations
import Foundation
import GRDB

extension BuildStore {
  /// The largest context file list kept in a build's record; a larger one is a ``ContextTree``.
  static let inlineManifestLimit = 12 * 1024

  /// The Swift steps of the schema's migrations.
  static let backfills: [String: BuildtrailMigrations.Backfill] = [
    "0005_build_record": moveIntoRecords,
    "0010_slim_records": slimRecords,
  ]

  /// Schema 5: moves every build's steps, output, images, warnings, inputs, context and cold row
  /// facts into its record, and stores its log hash as bytes, for schema 6 to drop the old tables.
  @Sendable static func moveIntoRecords(_ db: Database) throws {
    if let problem = try columnTypeProblem(legacyColumnTypes, db) {
      throw DatabaseError(resultCode: .SQLITE_MISMATCH, message: problem)
    }
    for row in try Row.fetchAll(
      db, sql: "SELECT id, target, log_sha256, step_seconds, context_root FROM build ORDER BY id")
    {
      let id: Int64 = row[0]
      guard var record = try LegacyBuildReader.record(id: id, db) else { continue }
      var root = row[4] as Data?
      if let manifest = try LegacyBuildReader.contextManifest(id: id, db) {
        if manifest.count <= inlineManifestLimit {
          record.manifest = manifest
          root = nil
        } else {
          let tree = ContextTree(manifestText: manifest)
          if root == nil { try insertNodes(tree, db) }
          root = tree.root
          record.contextTruncated = tree.truncated
        }
      } else {
        root = nil
      }
      let stored: Double = row[3]
      let stepSeconds =
        (0...1e15).contains(stored)
        ? stored
        : record.steps.compactMap(\.durationSeconds).filter { (0...1e15).contains($0) }.reduce(0, +)
      try writeRecord(record.encoded(), buildID: id, target: row[1], db)
      try run(
        db,
        sql: "UPDATE build SET log_sha256 = ?, context_root = ?, step_seconds = ? WHERE id = ?",
        arguments: [BuildRow.storedLogHash(hex(row[2])), root, stepSeconds, id])
    }
  }

  static func insertNodes(_ tree: ContextTree, _ db: Database) throws {
    for (hash, data) in tree.nodes {
      try run(
        db, sql: "INSERT OR IGNORE INTO context_node (hash, data) VALUES (?, ?)",
        arguments: [hash, ContextTree.stored(data)])
    }
  }
}
