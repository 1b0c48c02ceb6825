import GRDB

/// The schema's migrations, applied in order.
///
/// Each is an SQL file in `Migrations/SQL/`, embedded in the binary at build time, and never
/// edited once it has landed: a schema change is a new numbered file, registered here. Applied
/// migrations are listed in `grdb_migrations`, the table GRDB's migrator keeps, so histories written
/// by earlier versions read as they are.
public enum BuildtrailMigrations {
  /// The migrations as (identifier, SQL), oldest first.
  public static let all: [(identifier: String, sql: String)] = [
    ("0001_initial", String(decoding: PackageResources._001_initial_sql, as: UTF8.self)),
    (
      "0002_context_manifest",
      String(decoding: PackageResources._002_context_manifest_sql, as: UTF8.self)
    ),
    (
      "0003_branch_time_index",
      String(decoding: PackageResources._003_branch_time_index_sql, as: UTF8.self)
    ),
    (
      "0004_compact_history",
      String(decoding: PackageResources._004_compact_history_sql, as: UTF8.self)
    ),
    ("0005_build_record", String(decoding: PackageResources._005_build_record_sql, as: UTF8.self)),
    ("0006_slim_build", String(decoding: PackageResources._006_slim_build_sql, as: UTF8.self)),
    (
      "0007_failure_signature",
      String(decoding: PackageResources._007_failure_signature_sql, as: UTF8.self)
    ),
    (
      "0008_build_arguments",
      String(decoding: PackageResources._008_build_arguments_sql, as: UTF8.self)
    ),
    (
      "0009_build_service", String(decoding: PackageResources._009_build_service_sql, as: UTF8.self)
    ),
    ("0010_slim_records", String(decoding: PackageResources._010_slim_records_sql, as: UTF8.self)),
  ]

  /// Work in Swift that a migration needs after its SQL, by migration identifier: moving rows into a
  /// form SQL cannot compute. It runs in the same transaction.
  public typealias Backfill = @Sendable (Database) throws -> Void

  /// Why a history's schema cannot be brought up to date.
  public enum Failure: Error, Equatable {
    /// The history lists migrations this build does not know: a newer buildtrail wrote it.
    case newer([String])
    /// A migration failed: its identifier and SQLite's message.
    case failed(String, String)
  }

  /// The identifiers of the migrations applied to `db`, in order.
  public static func applied(_ db: Database) throws -> [String] {
    // Not `db.tableExists`: its schema cache may predate another process's migration.
    let exists = try Bool.fetchOne(
      db,
      sql:
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'grdb_migrations'"
    )
    guard exists == true else { return [] }
    return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
  }

  /// Brings the schema up to date in one exclusive transaction, so that any number of processes can
  /// open a new or old history at once: the first applies the migrations, the others wait for it on
  /// the busy timeout and then find nothing left to do.
  ///
  /// Foreign keys are off while the migrations run (they rebuild tables) and checked before commit.
  public static func migrate(_ writer: any DatabaseWriter, backfills: [String: Backfill] = [:])
    throws
  {
    let current = try writer.read { db in try applied(db) }
    let known = all.map(\.identifier)
    let unknown = current.filter { !known.contains($0) }
    if !unknown.isEmpty { throw Failure.newer(unknown.sorted()) }
    if current.count == known.count { return }
    try writer.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA foreign_keys = OFF")
      defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
      try db.inTransaction(.exclusive) {
        db.clearSchemaCache()
        let done = try applied(db)
        let unknown = done.filter { !known.contains($0) }
        if !unknown.isEmpty { throw Failure.newer(unknown.sorted()) }
        try db.execute(
          sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        for migration in all where !done.contains(migration.identifier) {
          do {
            try db.execute(sql: migration.sql)
            try backfills[migration.identifier]?(db)
          } catch let error as DatabaseError {
            throw Failure.failed(migration.identifier, error.message ?? "\(error.resultCode)")
          }
          try db.execute(
            sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)",
            arguments: [migration.identifier])
        }
        if try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") != nil {
          throw Failure.failed(all.last!.identifier, "foreign key check failed after migrating")
        }
        return .commit
      }
    }
  }
}
