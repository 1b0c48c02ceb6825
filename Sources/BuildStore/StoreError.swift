import Foundation

/// Why the store could not be opened, written or read; each message names the file.
public enum StoreError: Error, LocalizedError, Equatable, Codable {
  case notADatabase(path: String)
  case newerSchema(path: String, unknownMigrations: [String])
  case locked(path: String)
  case cannotOpen(path: String, reason: String)
  case readOnly(path: String)
  case noSuchBuild(String)
  case emptyHistory(path: String)
  case schema(path: String, migration: String, message: String)
  case full(path: String)
  case failed(path: String, message: String)
  /// A build's stored record does not decode (the file was damaged or edited by hand).
  case damagedRecord(buildID: Int64)

  /// The problem, naming the file; front ends add the fix in their own terms (a flag, a route).
  public var errorDescription: String? {
    switch self {
    case .notADatabase(let path):
      return "\(path) is not a SQLite database"
    case .newerSchema(let path, let unknown):
      return
        "\(path) was written by a newer buildtrail (schema \(unknown.joined(separator: ", "))); upgrade buildtrail to read it"
    case .locked(let path):
      return "\(path) is locked by another process; retry when it finishes"
    case .cannotOpen(let path, let reason):
      return "cannot open database \(path): \(reason); check that its folder exists and is writable"
    case .readOnly(let path):
      return "cannot write database \(path): it or its folder is read-only; make it writable"
    case .emptyHistory(let path):
      return "the history \(path) has no builds yet"
    case .schema(let path, let migration, let message):
      return
        "cannot bring the schema of \(path) up to date: migration \(migration) failed (\(message)); report this with the file"
    case .full(let path):
      return "cannot write database \(path): the disk is full; free space"
    case .failed(let path, let message):
      return "database \(path) failed: \(message)"
    case .damagedRecord(let id):
      return "the stored record of build \(id) is damaged"
    case .noSuchBuild(let what):
      return "no build \(what) in the history"
    }
  }
}
