import Foundation
import GRDB

extension BuildStore {
  /// The failure recorded for build `buildID`; nil when it did not fail, or was recorded before
  /// failure signatures were kept (schema 7).
  public func failure(buildID: Int64) throws -> StoredFailure? {
    try failures(buildIDs: [buildID])[buildID]
  }

  /// The failures recorded for these builds, by build id (builds without one are left out).
  public func failures(buildIDs: [Int64]) throws -> [Int64: StoredFailure] {
    guard !buildIDs.isEmpty else { return [:] }
    return try read { db in try Self.failures(buildIDs: buildIDs, db) }
  }

  static func failures(buildIDs: [Int64], _ db: Database) throws -> [Int64: StoredFailure] {
    var reader = RecordReader()
    return try reader.records(buildIDs, db).compactMapValues(\.failure)
  }
}
