import Foundation
import GRDB

extension BuildStore {
  /// Which of `sha256s` (lowercase hex) the history holds the content of: an upload then need not
  /// send those again. A hash recorded without its content (too large to keep) is not held.
  public func heldInputContents(_ sha256s: some Sequence<String>) throws -> Set<String> {
    try read { db in
      let statement = try db.cachedStatement(
        sql: "SELECT 1 FROM input_content WHERE sha256 = ? AND data IS NOT NULL")
      var held = Set<String>()
      for sha256 in Set(sha256s)
      where try Row.fetchOne(statement, arguments: [Self.inputKey(sha256)]) != nil {
        held.insert(sha256)
      }
      return held
    }
  }

  /// The content of the input whose SHA-256 is `sha256`, nil when the history does not hold it (or
  /// holds it damaged).
  public func heldInputContent(sha256: String) throws -> Data? {
    try read { db in try Self.inputContent(sha256: sha256, db) }
  }
}
