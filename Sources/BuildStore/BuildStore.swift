import BuildLog
import BuildtrailMigrations
import Foundation
import GRDB

/// The build history in one SQLite file: migrates on open, records builds all-or-nothing, answers queries.
public struct BuildStore: Sendable {
  let writer: any DatabaseWriter
  /// The database file, or `:memory:`.
  public let path: String

  /// Opens (creating if needed) the history at `path` and brings its schema up to date.
  ///
  /// Any number of processes may open the same new or old file at once: the schema is migrated under
  /// an exclusive lock, retried while another process holds it.
  /// - Parameters:
  ///   - busyTimeout: how long to wait for another process's write to finish.
  ///   - concurrentReads: for a long-running service: the file is put in WAL mode and read through a
  ///     pool of connections, so reads never wait for a write (writes still go one at a time).
  /// - Throws: ``StoreError`` naming the file and the fix when it is not SQLite, newer, locked or unwritable.
  public init(path: String, busyTimeout: TimeInterval = 60, concurrentReads: Bool = false) throws {
    guard !path.isEmpty else {
      throw StoreError.cannotOpen(path: path, reason: "the path is empty")
    }
    self.path = path
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
      do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      } catch {
        throw StoreError.cannotOpen(path: path, reason: "cannot create folder \(folder)")
      }
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(busyTimeout)
    configuration.foreignKeysEnabled = true
    do {
      let writer: any DatabaseWriter =
        concurrentReads
        ? try DatabasePool(path: path, configuration: configuration)
        : try DatabaseQueue(path: path, configuration: configuration)
      self.writer = writer
      try Self.migrate(writer, path: path)
    } catch let error as StoreError {
      throw error
    } catch let error as DatabaseError {
      throw Self.storeError(error, path: path)
    }
  }

  /// A history held in memory, for tests.
  public static func inMemory() throws -> BuildStore {
    try BuildStore(writer: DatabaseQueue())
  }

  private init(writer: DatabaseQueue) throws {
    self.writer = writer
    self.path = ":memory:"
    try Self.migrate(writer, path: path)
  }

  private static func migrate(_ writer: any DatabaseWriter, path: String) throws {
    var attempt = 0
    while true {
      do {
        try BuildtrailMigrations.migrate(writer, backfills: backfills)
        return
      } catch BuildtrailMigrations.Failure.newer(let unknown) {
        throw StoreError.newerSchema(path: path, unknownMigrations: unknown)
      } catch BuildtrailMigrations.Failure.failed(let migration, let message) {
        throw StoreError.schema(path: path, migration: migration, message: message)
      } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < 3 {
        attempt += 1
      }
    }
  }

  static func storeError(_ error: DatabaseError, path: String) -> StoreError {
    switch error.resultCode {
    case .SQLITE_NOTADB, .SQLITE_CORRUPT: return .notADatabase(path: path)
    case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path)
    case .SQLITE_READONLY: return .readOnly(path: path)
    case .SQLITE_CANTOPEN:
      return .cannotOpen(path: path, reason: "the file cannot be created or opened")
    case .SQLITE_FULL: return .full(path: path)
    default: return .failed(path: path, message: error.message ?? "\(error.resultCode)")
    }
  }

  /// Runs `body` in an immediate transaction: it takes the write lock before its first read, so that
  /// concurrent writers wait on the busy timeout instead of failing on a lock upgrade.
  func write<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try writer.writeWithoutTransaction { db in
        var result: T?
        try db.inTransaction(.immediate) {
          result = try body(db)
          return .commit
        }
        guard let result else { preconditionFailure("a committed transaction ran its body") }
        return result
      }
    } catch let error as DatabaseError {
      throw Self.storeError(error, path: path)
    }
  }

  func read<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try writer.read(body)
    } catch let error as DatabaseError {
      throw Self.storeError(error, path: path)
    }
  }

  /// Runs a statement from the connection's statement cache: recording many steps prepares each SQL once.
  static func run(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments())
    throws
  {
    try db.cachedStatement(sql: sql).execute(arguments: arguments)
  }

  static func sha256Hex(_ data: Data) -> String {
    SHA256Digest.hex(of: data)
  }
}

extension BuildStore {
  /// A stored hash as hex: its bytes when stored as a blob, else the text as it is.
  static func hex(_ value: DatabaseValue) -> String {
    switch value.storage {
    case .blob(let raw): lowercaseHex(raw)
    case .string(let text): text
    default: ""
    }
  }
}
