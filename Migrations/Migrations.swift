import GRDB

/// The schema's migrations, applied in order by GRDB's `DatabaseMigrator`.
///
/// Each is an SQL file in `Migrations/SQL/`, embedded in the binary at build time, and never
/// edited once it has landed: a schema change is a new numbered file, registered here.
public enum BuildtrailMigrations {
  /// The migrations as (identifier, SQL), oldest first.
  public static let all: [(identifier: String, sql: String)] = [
    ("0001_initial", String(decoding: PackageResources._001_initial_sql, as: UTF8.self)),
    ("0002_context_manifest", String(decoding: PackageResources._002_context_manifest_sql, as: UTF8.self)),
    ("0003_branch_time_index", String(decoding: PackageResources._003_branch_time_index_sql, as: UTF8.self)),
  ]

  /// A migrator that applies ``all``.
  public static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    for migration in all {
      migrator.registerMigration(migration.identifier) { db in
        try db.execute(sql: migration.sql)
      }
    }
    return migrator
  }
}
