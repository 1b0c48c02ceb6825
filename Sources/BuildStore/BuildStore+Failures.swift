import Foundation
import GRDB

extension BuildStore {
  /// The failure recorded for build `buildID`; nil when it did not fail, or was recorded before
  /// failure signatures were kept (schema 0006).
  public func failure(buildID: Int64) throws -> StoredFailure? {
    try failures(buildIDs: [buildID])[buildID]
  }

  /// The failures recorded for these builds, by build id (builds without one are left out).
  public func failures(buildIDs: [Int64]) throws -> [Int64: StoredFailure] {
    guard !buildIDs.isEmpty else { return [:] }
    return try read { db in try Self.failures(buildIDs: buildIDs, db) }
  }

  static func failures(buildIDs: [Int64], _ db: Database) throws -> [Int64: StoredFailure] {
    var result: [Int64: StoredFailure] = [:]
    for chunk in stride(from: 0, to: buildIDs.count, by: 500) {
      let ids = Array(buildIDs[chunk..<min(chunk + 500, buildIDs.count)])
      let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT build_id, step_position, tool, message, signature, lines, exit_code
          FROM build_failure WHERE build_id IN (\(marks))
          """, arguments: StatementArguments(ids))
      for row in rows {
        let text: String = row[5]
        let lines = (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
        result[row[0]] = StoredFailure(
          stepPosition: row[1], tool: row[2], message: row[3], signature: row[4], lines: lines,
          exitCode: row[6])
      }
    }
    return result
  }

  /// Stores a build's failure, in the transaction that records the build.
  static func insertFailure(_ failure: StoredFailure?, buildID: Int64, _ db: Database) throws {
    guard let failure else { return }
    let lines = String(
      decoding: (try? JSONEncoder().encode(failure.lines)) ?? Data("[]".utf8), as: UTF8.self)
    try run(
      db,
      sql: """
        INSERT INTO build_failure (build_id, step_position, tool, message, signature, lines, exit_code)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        buildID, failure.stepPosition, failure.tool, failure.message, failure.signature, lines,
        failure.exitCode,
      ])
  }
}
