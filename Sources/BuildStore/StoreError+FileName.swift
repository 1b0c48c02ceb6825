import Foundation

extension StoreError {
  /// The same error naming only the database's file name, not its folder: what a service tells
  /// its clients, who have no use for the server's file layout.
  public var namingFileOnly: StoreError {
    func name(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }
    switch self {
    case .notADatabase(let path): return .notADatabase(path: name(path))
    case .newerSchema(let path, let unknown):
      return .newerSchema(path: name(path), unknownMigrations: unknown)
    case .locked(let path): return .locked(path: name(path))
    case .cannotOpen(let path, let reason): return .cannotOpen(path: name(path), reason: reason)
    case .readOnly(let path): return .readOnly(path: name(path))
    case .emptyHistory(let path): return .emptyHistory(path: name(path))
    case .schema(let path, let migration, let message):
      return .schema(path: name(path), migration: migration, message: message)
    case .full(let path): return .full(path: name(path))
    case .failed(let path, let message): return .failed(path: name(path), message: message)
    case .noSuchBuild, .damagedRecord: return self
    }
  }
}
