import BuildLog
import Foundation
import GRDB

extension BuildStore {
  /// Reads build records, keeping the records it decompressed so that records compressed against
  /// the same base decompress it once.
  struct RecordReader {
    private var raw: [Int64: Data] = [:]
    var keys: [StepCoding.NameKey: String] = [:]

    /// The records of `ids` that exist and decode.
    mutating func records(_ ids: [Int64], _ db: Database) throws -> [Int64: BuildRecord] {
      var result: [Int64: BuildRecord] = [:]
      for chunk in stride(from: 0, to: ids.count, by: 500) {
        let part = Array(ids[chunk..<min(chunk + 500, ids.count)])
        let marks = Array(repeating: "?", count: part.count).joined(separator: ",")
        let rows = try Row.fetchAll(
          db, sql: "SELECT build_id, base_id, data FROM build_record WHERE build_id IN (\(marks))",
          arguments: StatementArguments(part))
        for row in rows {
          let id: Int64 = row[0]
          guard let data = try decompress(row[2], base: row[1], db),
            let record = BuildRecord(encoded: data, keys: &keys)
          else { continue }
          result[id] = record
        }
      }
      return result
    }

    mutating func record(_ id: Int64, _ db: Database) throws -> BuildRecord? {
      try records([id], db)[id]
    }

    /// The encoded (uncompressed) record of build `id`.
    mutating func encoded(_ id: Int64, _ db: Database) throws -> Data? {
      if let known = raw[id] { return known }
      guard
        let row = try Row.fetchOne(
          db.cachedStatement(sql: "SELECT base_id, data FROM build_record WHERE build_id = ?"),
          arguments: [id])
      else { return nil }
      let data = try decompress(row[1], base: row[0], db)
      raw[id] = data
      return data
    }

    private mutating func decompress(_ data: Data?, base: Int64?, _ db: Database) throws -> Data? {
      guard let data else { return nil }
      guard let base else { return RecordCodec.decompress(data, base: nil) }
      guard let dictionary = try encoded(base, db) else { return nil }
      return RecordCodec.decompress(data, base: dictionary)
    }
  }

  /// How much smaller than on its own a record compressed against a base must be to be kept so.
  static let deltaWorth = 0.75
  /// The longest chain of records compressed one against the next: reading a record decompresses at
  /// most this many others.
  static let maxChain = 16

  /// Stores (or replaces) the record of build `buildID`: compressed on its own, or against the
  /// record of one of the newest other builds with the same target when that is much smaller (the
  /// smallest of them; against the newest stored on its own when their chains are already
  /// ``maxChain`` long).
  static func writeRecord(_ encoded: Data, buildID: Int64, target: String?, _ db: Database) throws {
    let alone = RecordCodec.compress(encoded, base: nil)
    var data = alone
    var baseID: Int64?
    var reader = RecordReader()
    for base in try baseCandidates(buildID: buildID, target: target, db) {
      guard let dictionary = try reader.encoded(base, db) else { continue }
      let delta = RecordCodec.compress(encoded, base: dictionary)
      if delta.count < data.count, Double(delta.count) < Double(alone.count) * deltaWorth {
        data = delta
        baseID = base
      }
    }
    try run(
      db,
      sql: "INSERT OR REPLACE INTO build_record (build_id, base_id, data) VALUES (?, ?, ?)",
      arguments: [buildID, baseID, data])
  }

  /// How many of the newest records of a target a new record is tried against.
  static let baseChoices = 3

  private static func baseCandidates(buildID: Int64, target: String?, _ db: Database) throws
    -> [Int64]
  {
    let newest = try Int64.fetchAll(
      db.cachedStatement(
        sql: """
          SELECT r.build_id FROM build_record r JOIN build b ON b.id = r.build_id
          WHERE b.target IS ? AND r.build_id <> ? ORDER BY r.build_id DESC LIMIT ?
          """), arguments: [target, buildID, baseChoices])
    let base = try db.cachedStatement(sql: "SELECT base_id FROM build_record WHERE build_id = ?")
    let short = try newest.filter { candidate in
      var depth = 0
      var next: Int64? = candidate
      while let id = next, depth <= maxChain {
        next = try Int64.fetchOne(base, arguments: [id])
        depth += 1
      }
      return depth < maxChain
    }
    if !short.isEmpty || newest.isEmpty { return short }
    return try Int64.fetchAll(
      db.cachedStatement(
        sql: """
          SELECT r.build_id FROM build_record r JOIN build b ON b.id = r.build_id
          WHERE r.base_id IS NULL AND b.target IS ? AND r.build_id <> ?
          ORDER BY r.build_id DESC LIMIT 1
          """), arguments: [target, buildID])
  }

  /// The records compressed against any of `ids` (builds about to be deleted), decompressed, with
  /// their build's target: rewrite them with ``rewriteRecords(_:_:)`` once the builds are gone.
  static func dependentRecords(of ids: Set<Int64>, _ db: Database) throws
    -> [(id: Int64, target: String?, encoded: Data)]
  {
    var reader = RecordReader()
    var result: [(id: Int64, target: String?, encoded: Data)] = []
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT r.build_id, r.base_id, b.target FROM build_record r JOIN build b ON b.id = r.build_id
        WHERE r.base_id IS NOT NULL ORDER BY r.build_id
        """)
    {
      let id: Int64 = row[0]
      let base: Int64 = row[1]
      guard ids.contains(base), !ids.contains(id) else { continue }
      guard let encoded = try reader.encoded(id, db) else {
        throw StoreError.damagedRecord(buildID: id)
      }
      result.append((id, row[2], encoded))
    }
    return result
  }

  /// Rewrites records whose base was deleted: the first of each target on its own, the others
  /// against it when that is much smaller.
  static func rewriteRecords(
    _ records: [(id: Int64, target: String?, encoded: Data)], _ db: Database
  ) throws {
    var keyframes: [String?: (id: Int64, encoded: Data)] = [:]
    for record in records {
      let alone = RecordCodec.compress(record.encoded, base: nil)
      var data = alone
      var baseID: Int64?
      if let keyframe = keyframes[record.target] {
        let delta = RecordCodec.compress(record.encoded, base: keyframe.encoded)
        if Double(delta.count) < Double(alone.count) * deltaWorth {
          data = delta
          baseID = keyframe.id
        }
      } else {
        keyframes[record.target] = (record.id, record.encoded)
      }
      try run(
        db, sql: "UPDATE build_record SET base_id = ?, data = ? WHERE build_id = ?",
        arguments: [baseID, data, record.id])
    }
  }
}
