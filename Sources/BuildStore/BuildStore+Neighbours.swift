import Foundation
import GRDB

extension BuildStore {
  /// The builds recorded just before and just after build `id` (by record order) with the same
  /// branch, target and service (a missing one matching only builds without one); nil at either end,
  /// and both nil when `id` is not in the history.
  public func neighbours(of id: Int64) throws -> (previous: Int64?, next: Int64?) {
    try read { db in
      let same = """
        FROM build b, build t WHERE t.id = ? AND b.id != t.id
        AND b.git_branch IS t.git_branch AND b.target IS t.target AND b.service IS t.service
        """
      let previous = try Int64.fetchOne(
        db,
        sql: """
          SELECT b.id \(same)
          AND (b.recorded_ms < t.recorded_ms OR (b.recorded_ms = t.recorded_ms AND b.id < t.id))
          ORDER BY b.recorded_ms DESC, b.id DESC LIMIT 1
          """, arguments: [id])
      let next = try Int64.fetchOne(
        db,
        sql: """
          SELECT b.id \(same)
          AND (b.recorded_ms > t.recorded_ms OR (b.recorded_ms = t.recorded_ms AND b.id > t.id))
          ORDER BY b.recorded_ms ASC, b.id ASC LIMIT 1
          """, arguments: [id])
      return (previous, next)
    }
  }
}
