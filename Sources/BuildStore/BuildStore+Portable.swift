import BuildLog
import Foundation
import GRDB

extension BuildStore {
  /// The ids of the builds recorded on `branch` (any when nil) since `since` (any time when nil), oldest id first.
  public func buildIDs(branch: String? = nil, since: Date? = nil) throws -> [Int64] {
    var clauses = ["1"]
    var arguments: [(any DatabaseValueConvertible)?] = []
    if let branch {
      clauses.append("git_branch = ?")
      arguments.append(branch)
    }
    if let since {
      clauses.append("recorded_ms >= ?")
      arguments.append(UTCTimestamp.milliseconds(of: since))
    }
    return try read { db in
      try Int64.fetchAll(
        db, sql: "SELECT id FROM build WHERE \(clauses.joined(separator: " AND ")) ORDER BY id",
        arguments: StatementArguments(arguments))
    }
  }

  /// Everything stored about build `id`, as plain values for `export`; nil when there is no such build.
  public func portableBuild(id: Int64) throws -> PortableBuild? {
    try read { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT \(BuildRow.columns) FROM build WHERE id = ?", arguments: [id])
      else { return nil }
      var reader = RecordReader()
      guard let record = try reader.record(id, db) else {
        throw StoreError.damagedRecord(buildID: id)
      }
      var buildRow = BuildRow(row)
      record.apply(to: &buildRow)
      let inputs = try record.inputs.map {
        PortableBuild.Input(
          path: $0.path, role: $0.role, sha256: $0.sha256, bytes: $0.bytes,
          content: try Self.inputContent(sha256: $0.sha256, db))
      }
      var outputs: [Int: [String]] = [:]
      for position in record.outputs.keys { outputs[position] = record.lines(at: position) }
      var portable = PortableBuild(
        id: id, row: buildRow, labels: try Self.labels(id, db), warnings: record.warnings,
        baseImages: record.baseImages,
        contextEntries: record.contextEntries.sorted { $0.name < $1.name }, steps: record.steps,
        outputs: outputs, inputs: inputs,
        contextManifest: try Self.contextManifest(buildID: id, record: record, db),
        failure: record.failure)
      portable.buildArguments = record.buildArguments
      portable.cachePlumbing = record.cachePlumbing
      return portable
    }
  }

  /// Records builds read from another history, all in one transaction: all of them or none.
  ///
  /// `next` gives the builds one at a time, nil after the last; an error it throws undoes the whole
  /// import. A build already stored (same log content and position) is skipped; a new one keeps its
  /// id when that id is free here.
  public func importBuilds(_ next: () throws -> PortableBuild?) throws -> [RecordResult] {
    try write { db in
      var results: [RecordResult] = []
      while let build = try next() {
        results.append(try Self.insertBuild(build, db))
      }
      return results
    }
  }
}
