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
      clauses.append("recorded_at >= ?")
      arguments.append(UTCTimestamp.string(from: since))
    }
    return try read { db in
      try Int64.fetchAll(
        db, sql: "SELECT id FROM build WHERE \(clauses.joined(separator: " AND ")) ORDER BY id",
        arguments: StatementArguments(arguments))
    }
  }

  /// Everything stored about build `id`, as plain values for `export`; nil when there is no such build.
  public func portableBuild(id: Int64) throws -> PortableBuild? {
    guard let detail = try build(id: id) else { return nil }
    return try read { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT \(BuildRow.columns) FROM build WHERE id = ?", arguments: [id])
      else { return nil }
      let entries = try Row.fetchAll(
        db, sql: "SELECT name, files, bytes FROM context_entry WHERE build_id = ? ORDER BY name",
        arguments: [id]
      ).map { ContextEntry(name: $0[0], files: $0[1], bytes: $0[2]) }
      let blob = try Self.outputBlob(buildID: id, db)
      var outputs: [Int: [String]] = [:]
      for step in detail.steps {
        if let lines = blob?.lines(at: step.position), !lines.isEmpty {
          outputs[step.position] = lines
        }
      }
      let inputs = try detail.inputs.map {
        PortableBuild.Input(
          path: $0.path, role: $0.role, sha256: $0.sha256, bytes: $0.bytes,
          content: try Self.inputContent(sha256: $0.sha256, db))
      }
      // Durations an older version stored as infinite read as the summary reads them.
      var buildRow = BuildRow(row)
      buildRow.wallSeconds = detail.summary.wallSeconds
      buildRow.stepSeconds = detail.summary.stepSeconds
      var portable = PortableBuild(
        id: id, row: buildRow, labels: detail.labels, warnings: detail.warnings,
        baseImages: detail.baseImages, contextEntries: entries, steps: detail.steps,
        outputs: outputs, inputs: inputs,
        contextManifest: try Self.contextManifest(buildID: id, db))
      portable.buildArguments = detail.buildArguments
      portable.cachePlumbing = detail.cachePlumbing
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
        results.append(try Self.insertPortable(build, db))
      }
      return results
    }
  }

  private static func insertPortable(_ b: PortableBuild, _ db: Database) throws -> RecordResult {
    if let id = try Int64.fetchOne(
      db, sql: "SELECT id FROM build WHERE log_sha256 = ? AND build_index = ?",
      arguments: [b.row.logSHA256, b.row.buildIndex])
    {
      return .alreadyRecorded(id: id)
    }
    let id = try b.row.insert(db, id: b.id)
    try insertSteps(b.steps, outputs: OutputBlob(lines: b.outputs), buildID: id, db)
    try insertFacts(
      buildID: id, baseImages: b.baseImages, warnings: b.warnings, labels: b.labels,
      entries: b.contextEntries, db)
    for input in b.inputs {
      // Contents are shared by hash: one whose bytes do not have its hash is not taken.
      let content = input.content.flatMap { SHA256Digest.hex(of: $0) == input.sha256 ? $0 : nil }
      try insertInput(
        buildID: id, path: input.path, role: input.role, sha256: input.sha256, bytes: input.bytes,
        content: content, db)
    }
    if let manifest = b.contextManifest {
      try insertContextTree(ContextTree(manifestText: manifest), buildID: id, db)
    }
    try insertInvocation(buildID: id, arguments: b.buildArguments, plumbing: b.cachePlumbing, db)
    return .recorded(id: id)
  }
}
