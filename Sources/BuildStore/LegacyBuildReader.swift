import BuildLog
import Foundation
import GRDB

/// Reads a build as schema 4 stored it (a wide `build` row, `step` rows with interned names, one
/// output blob, and tables of base images, warnings, inputs and context entries), for the migration
/// that moves it into a ``BuildRecord``.
enum LegacyBuildReader {
  /// The record of build `id`, with its row's context tree root (kept for large contexts).
  static func record(id: Int64, _ db: Database) throws -> BuildRecord? {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT \(BuildRow.legacyColumns) FROM build WHERE id = ?", arguments: [id])
    else { return nil }
    var record = BuildRecord(row: BuildRow(legacy: row))
    var keys: [Int64: String] = [:]
    record.steps = try Row.fetchAll(
      db,
      sql: """
        SELECT s.position, s.vertex, n.name, n.service, n.platform, n.stage, n.step_index,
          n.step_total, n.kind, n.step_key, s.status,
          CASE WHEN s.duration_seconds BETWEEN 0 AND 1e15 THEN s.duration_seconds END,
          s.started_ms, s.completed_ms, s.output_lines, s.error_text, s.digest, s.name_id
        FROM step s JOIN step_name n ON n.id = s.name_id WHERE s.build_id = ? ORDER BY s.position
        """, arguments: [id]
    ).map { step($0, keys: &keys) }
    if let output = try Row.fetchOne(
      db, sql: "SELECT codec, data FROM build_output WHERE build_id = ?", arguments: [id]),
      let outputs = outputs(codec: output[0], data: output[1])
    {
      record.outputs = outputs
    }
    record.baseImages = try Row.fetchAll(
      db,
      sql:
        "SELECT stage, reference, digest, source, position FROM base_image WHERE build_id = ? ORDER BY rowid",
      arguments: [id]
    ).map {
      StoredBaseImage(stage: $0[0], reference: $0[1], digest: $0[2], source: $0[3], position: $0[4])
    }
    record.warnings = try String.fetchAll(
      db, sql: "SELECT text FROM warning WHERE build_id = ? ORDER BY position", arguments: [id])
    record.contextEntries = try Row.fetchAll(
      db, sql: "SELECT name, files, bytes FROM context_entry WHERE build_id = ? ORDER BY name",
      arguments: [id]
    ).map { ContextEntry(name: $0[0], files: $0[1], bytes: $0[2]) }
    let hex = "(CASE WHEN typeof(i.sha256) = 'blob' THEN lower(hex(i.sha256)) ELSE i.sha256 END)"
    record.inputs = try Row.fetchAll(
      db,
      sql: """
        SELECT i.path, i.role, \(hex), coalesce(blob.bytes, 0) FROM build_input i
        LEFT JOIN input_blob blob ON blob.sha256 = \(hex) WHERE i.build_id = ? ORDER BY i.path
        """, arguments: [id]
    ).map {
      StoredInput(
        path: $0[0], role: InputFact.Role(rawValue: $0[1]) ?? .manifest, sha256: $0[2],
        bytes: $0[3])
    }
    return record
  }

  /// The context file list of build `id`: from its tree, or from the text list earlier schemas kept
  /// as an input blob.
  static func contextManifest(id: Int64, _ db: Database) throws -> Data? {
    guard
      let row = try Row.fetchOne(
        db,
        sql:
          "SELECT context_root, context_truncated, context_manifest_sha256 FROM build WHERE id = ?",
        arguments: [id])
    else { return nil }
    if let root = row[0] as Data? {
      let statement = try db.cachedStatement(sql: "SELECT data FROM context_node WHERE hash = ?")
      return try ContextTree.manifestText(root: root, truncated: row[1] ?? false) {
        try Data.fetchOne(statement, arguments: [$0])
      }
    }
    guard let sha = row[2] as String? else { return nil }
    guard
      let blob = try Row.fetchOne(
        db, sql: "SELECT content, codec FROM input_blob WHERE sha256 = ?", arguments: [sha]),
      let content = blob[0] as Data?
    else { return nil }
    return blob[1] == "zlib" ? Zlib.decompress(content) : content
  }

  /// Schema 4's kept output: a JSON object from step position to text, zlib-compressed (`zlib`) or
  /// not (`json`); nil when it does not decode.
  private static func outputs(codec: String, data: Data) -> [Int: String]? {
    let json = codec == "zlib" ? Zlib.decompress(data) : codec == "json" ? data : nil
    guard let json, let object = try? JSONDecoder().decode([String: String].self, from: json) else {
      return nil
    }
    var result: [Int: String] = [:]
    for (key, text) in object {
      if let position = Int(key) { result[position] = text }
    }
    return result
  }

  private static func step(_ r: Row, keys: inout [Int64: String]) -> StoredStep {
    let name: String = r[2]
    let service: String? = r[3]
    let nameID: Int64 = r[17]
    let key: String
    if let stored = r[9] as String? {
      key = stored
    } else if let known = keys[nameID] {
      key = known
    } else {
      key = StepName(name, services: Set([service].compactMap { $0 })).stableKey
      keys[nameID] = key
    }
    let digest: String? =
      switch (r[16] as DatabaseValue).storage {
      case .blob(let raw): "sha256:" + lowercaseHex(raw)
      case .string(let text): text
      default: nil
      }
    return StoredStep(
      position: r[0], vertex: r[1], name: name, service: service, platform: r[4], stage: r[5],
      index: r[6], total: r[7], kind: StepKind(rawValue: r[8]) ?? .other, key: key,
      status: StepStatus(rawValue: r[10]) ?? .unfinished, durationSeconds: r[11],
      startedAt: (r[12] as Int64?).map(UTCTimestamp.date(milliseconds:)),
      completedAt: (r[13] as Int64?).map(UTCTimestamp.date(milliseconds:)),
      outputLines: r[14], errorText: r[15], digest: digest)
  }
}
