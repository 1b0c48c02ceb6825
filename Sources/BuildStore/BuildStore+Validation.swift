import GRDB

private let text = ["text"]
private let textOrNull = ["text", "null"]
private let int = ["integer"]
private let intOrNull = ["integer", "null"]
private let number = ["integer", "real"]
private let numberOrNull = ["integer", "real", "null"]

extension BuildStore {
  typealias ColumnTypes = [(table: String, columns: [(name: String, types: [String])])]

  /// The storage classes each column may hold, as SQLite's `typeof` names them. Reading a value of
  /// another class would stop the process, so a history from elsewhere (`import OTHER.db`) is
  /// checked against this list first.
  static let columnTypes: ColumnTypes = {
    return [
      (
        "build",
        [
          ("id", int), ("log_sha256", ["blob", "text"]), ("build_index", int),
          ("recorded_ms", int), ("started_ms", intOrNull), ("ended_ms", intOrNull),
          ("outcome", text), ("exit_code", intOrNull), ("wall_seconds", numberOrNull),
          ("step_seconds", number), ("log_format", text), ("target", textOrNull),
          ("image_name", textOrNull), ("steps_total", int), ("steps_cached", int),
          ("steps_executed", int), ("steps_failed", int),
          ("git_commit", ["text", "blob", "null"]),
          ("git_branch", textOrNull), ("git_subject", textOrNull), ("ci_provider", textOrNull),
          ("ci_url", textOrNull), ("context_root", ["blob", "null"]),
        ]
      ),
      ("build_record", [("build_id", int), ("base_id", intOrNull), ("data", ["blob"])]),
      ("build_label", [("build_id", int), ("key", text), ("value", text)]),
      (
        "input_content",
        [
          ("sha256", ["blob", "text"]), ("bytes", int), ("codec", int),
          ("base", ["blob", "text", "null"]), ("data", ["blob", "null"]),
        ]
      ),
      ("context_node", [("hash", ["blob"]), ("data", ["blob"])]),
    ]
  }()

  /// The same for the tables of schema 5, which the migration to schema 6 reads.
  static let legacyColumnTypes: ColumnTypes = {
    return [
      (
        "build",
        [
          ("id", int), ("log_sha256", text), ("build_index", int), ("recorded_at", text),
          ("started_at", textOrNull), ("ended_at", textOrNull), ("outcome", text),
          ("exit_code", intOrNull),
          ("wall_seconds", numberOrNull), ("step_seconds", number), ("log_format", text),
          ("builder_name", textOrNull), ("driver", textOrNull), ("image_name", textOrNull),
          ("image_digest", textOrNull), ("context_transfer_bytes", intOrNull),
          ("context_files", intOrNull),
          ("context_bytes", intOrNull), ("context_path", textOrNull),
          ("dockerfile_path", textOrNull),
          ("target", textOrNull), ("error_message", textOrNull), ("steps_total", int),
          ("steps_cached", int),
          ("steps_executed", int), ("steps_failed", int), ("unrecognized_lines", int),
          ("log_path", textOrNull),
          ("log_bytes", intOrNull), ("log_lines", intOrNull), ("job", textOrNull),
          ("command", textOrNull),
          ("git_commit", textOrNull), ("git_branch", textOrNull), ("git_subject", textOrNull),
          ("git_committed_at", textOrNull), ("git_dirty", intOrNull), ("git_shallow", intOrNull),
          ("git_root", textOrNull), ("ci_provider", textOrNull), ("ci_run_id", textOrNull),
          ("ci_job_id", textOrNull), ("ci_url", textOrNull),
          ("context_manifest_sha256", textOrNull),
          ("context_root", ["blob", "null"]), ("context_truncated", intOrNull),
        ]
      ),
      (
        "step",
        [
          ("build_id", int), ("position", int), ("vertex", int), ("name_id", int), ("status", text),
          ("duration_seconds", numberOrNull), ("started_ms", intOrNull),
          ("completed_ms", intOrNull),
          ("output_lines", int), ("error_text", textOrNull), ("digest", ["blob", "text", "null"]),
        ]
      ),
      (
        "step_name",
        [
          ("name", text), ("step_key", textOrNull), ("kind", text), ("service", textOrNull),
          ("platform", textOrNull), ("stage", textOrNull), ("step_index", intOrNull),
          ("step_total", intOrNull),
        ]
      ),
      ("build_output", [("build_id", int), ("codec", text), ("data", ["blob", "text"])]),
      (
        "base_image",
        [
          ("build_id", int), ("position", intOrNull), ("stage", textOrNull), ("reference", text),
          ("digest", textOrNull), ("source", text),
        ]
      ),
      ("warning", [("build_id", int), ("position", int), ("text", text)]),
      ("build_label", [("build_id", int), ("key", text), ("value", text)]),
      (
        "build_input",
        [("build_id", int), ("path", text), ("role", text), ("sha256", ["blob", "text"])]
      ),
      (
        "input_blob",
        [("sha256", text), ("bytes", int), ("content", ["blob", "text", "null"]), ("codec", text)]
      ),
      ("context_entry", [("build_id", int), ("name", text), ("files", int), ("bytes", int)]),
      ("context_node", [("hash", ["blob"]), ("data", ["blob"])]),
    ]
  }()

  /// The first column holding a value of a class buildtrail does not read there (`build.step_seconds
  /// holds text`), or nil when every value can be read.
  public func columnTypeProblem() throws -> String? {
    try read { db in try Self.columnTypeProblem(Self.columnTypes, db) }
  }

  static func columnTypeProblem(_ types: ColumnTypes, _ db: Database) throws -> String? {
    for (table, columns) in types {
      for column in columns {
        let allowed = column.types.map { "'\($0)'" }.joined(separator: ", ")
        if let found = try String.fetchOne(
          db,
          sql:
            "SELECT typeof(\(column.name)) FROM \(table) WHERE typeof(\(column.name)) NOT IN (\(allowed)) LIMIT 1"
        ) {
          return "\(table).\(column.name) holds \(found)"
        }
      }
    }
    return nil
  }
}
