import BuildLog
import Foundation
import GRDB

extension BuildStore {
  // MARK: - Queries

  /// Durations outside 0…1e15 s (an infinity written by an older version) read as unknown; such a
  /// build's step total is the sum of its readable step durations.
  static let summaryColumns = """
    b.id, b.recorded_at, b.started_at, b.ended_at, b.outcome, b.exit_code,
    CASE WHEN b.wall_seconds BETWEEN 0 AND 1e15 THEN b.wall_seconds END,
    CASE WHEN b.step_seconds BETWEEN 0 AND 1e15 THEN b.step_seconds
      ELSE (SELECT COALESCE(SUM(s.duration_seconds), 0) FROM step s
        WHERE s.build_id = b.id AND s.duration_seconds BETWEEN 0 AND 1e15) END,
    b.log_format, b.git_branch, b.git_commit, b.git_subject, b.target, b.image_name, b.steps_total,
    b.steps_cached, b.steps_executed, b.steps_failed, b.ci_provider, b.ci_url
    """

  /// A build input's SHA-256 as hex: stored as 32 bytes since schema 4, as hex text before.
  static let inputHex =
    "(CASE WHEN typeof(i.sha256) = 'blob' THEN lower(hex(i.sha256)) ELSE i.sha256 END)"

  static let stepColumns = """
    s.position, s.vertex, n.name, n.service, n.platform, n.stage, n.step_index, n.step_total, n.kind, n.step_key,
    s.status, CASE WHEN s.duration_seconds BETWEEN 0 AND 1e15 THEN s.duration_seconds END, s.started_ms, s.completed_ms, s.output_lines, s.error_text, s.digest,
    s.name_id
    """

  /// A step read with ``stepColumns`` from offset `o`. `keys` keeps the keys read from names by name
  /// id, so that a query over many builds parses each distinct name once.
  static func step(_ r: Row, offset o: Int, keys: inout [Int64: String]) -> StoredStep {
    let name: String = r[o + 2]
    let service: String? = r[o + 3]
    let nameID: Int64 = r[o + 17]
    let key: String
    if let stored = r[o + 9] as String? {
      key = stored
    } else if let known = keys[nameID] {
      key = known
    } else {
      key = StepName(name, services: Set([service].compactMap { $0 })).stableKey
      keys[nameID] = key
    }
    let digest: String? =
      switch (r[o + 16] as DatabaseValue).storage {
      case .blob(let raw): "sha256:" + lowercaseHex(raw)
      case .string(let text): text
      default: nil
      }
    return StoredStep(
      position: r[o], vertex: r[o + 1], name: name, service: service, platform: r[o + 4],
      stage: r[o + 5],
      index: r[o + 6], total: r[o + 7], kind: StepKind(rawValue: r[o + 8]) ?? .other, key: key,
      status: StepStatus(rawValue: r[o + 10]) ?? .unfinished, durationSeconds: r[o + 11],
      startedAt: (r[o + 12] as Int64?).map(UTCTimestamp.date(milliseconds:)),
      completedAt: (r[o + 13] as Int64?).map(UTCTimestamp.date(milliseconds:)),
      outputLines: r[o + 14],
      errorText: r[o + 15], digest: digest)
  }

  static func summary(_ row: Row) -> BuildSummary {
    BuildSummary(
      id: row[0], recordedAt: UTCTimestamp.date(from: row[1]) ?? Date(timeIntervalSince1970: 0),
      startedAt: (row[2] as String?).flatMap(UTCTimestamp.date(from:)),
      endedAt: (row[3] as String?).flatMap(UTCTimestamp.date(from:)),
      outcome: BuildOutcome(rawValue: row[4]) ?? .unknown, exitCode: row[5], wallSeconds: row[6],
      stepSeconds: row[7],
      logFormat: LogFormat(rawValue: row[8]) ?? .plain, branch: row[9], commit: row[10],
      subject: row[11],
      target: row[12], imageName: row[13], stepsTotal: row[14], stepsCached: row[15],
      stepsExecuted: row[16],
      stepsFailed: row[17], ciProvider: row[18], ciURL: row[19])
  }

  /// The most recent builds matching `filter`, newest first.
  public func builds(_ filter: BuildFilter = BuildFilter()) throws -> [BuildSummary] {
    var query = SummaryQuery(limit: filter.limit)
    query.require("b.git_branch = ?", filter.branch)
    query.require("b.target = ?", filter.target)
    query.require("b.outcome = ?", filter.outcome?.rawValue)
    for (key, value) in filter.labels.sorted(by: { $0.key < $1.key }) {
      query.clauses.append(
        "EXISTS (SELECT 1 FROM build_label l WHERE l.build_id = b.id AND l.key = ? AND l.value = ?)"
      )
      query.arguments += [key, value]
    }
    return try summaries(query)
  }

  /// Conditions on builds, newest first up to a limit.
  private struct SummaryQuery {
    var clauses: [String] = []
    var arguments: [(any DatabaseValueConvertible)?] = []
    var limit: Int

    /// Adds `clause` with its one argument, when there is a value.
    mutating func require(_ clause: String, _ value: (any DatabaseValueConvertible)?) {
      guard let value else { return }
      clauses.append(clause)
      arguments.append(value)
    }
  }

  private func summaries(_ query: SummaryQuery) throws -> [BuildSummary] {
    let whereClause =
      query.clauses.isEmpty ? "" : "WHERE " + query.clauses.joined(separator: " AND ")
    return try read { db in
      try Row.fetchAll(
        db,
        sql:
          "SELECT \(Self.summaryColumns) FROM build b \(whereClause) ORDER BY b.recorded_at DESC, b.id DESC LIMIT ?",
        arguments: StatementArguments(query.arguments + [query.limit])
      ).map(Self.summary)
    }
  }

  /// The id of the most recently recorded build.
  public func latestBuildID() throws -> Int64? {
    try read { db in
      try Int64.fetchOne(db, sql: "SELECT id FROM build ORDER BY recorded_at DESC, id DESC LIMIT 1")
    }
  }

  /// Everything stored about build `id`, or nil.
  public func build(id: Int64) throws -> BuildDetail? {
    try read { db in
      guard
        let row = try Row.fetchOne(
          db,
          sql: """
            SELECT \(Self.summaryColumns), b.log_sha256, b.builder_name, b.driver, b.image_digest, b.error_message,
              b.context_transfer_bytes, b.context_path, b.dockerfile_path, b.context_files, b.context_bytes,
              b.unrecognized_lines, b.log_path, b.command, b.job, b.git_committed_at, b.git_dirty, b.git_shallow,
              b.git_root, b.ci_run_id, b.ci_job_id
            FROM build b WHERE b.id = ?
            """, arguments: [id])
      else { return nil }
      let summary = Self.summary(row)
      let hasGit = summary.commit != nil || summary.branch != nil
      let git =
        hasGit
        ? GitFacts(
          commit: summary.commit, branch: summary.branch, subject: summary.subject,
          committedAt: (row["git_committed_at"] as String?).flatMap(UTCTimestamp.date(from:)),
          dirty: row["git_dirty"],
          shallow: row["git_shallow"], root: row["git_root"]) : nil
      let ci = summary.ciProvider.map {
        CIFacts(provider: $0, runID: row["ci_run_id"], jobID: row["ci_job_id"], url: summary.ciURL)
      }
      let entries = try Row.fetchAll(
        db,
        sql:
          "SELECT name, files, bytes FROM context_entry WHERE build_id = ? ORDER BY bytes DESC, name",
        arguments: [id]
      ).map { ContextEntry(name: $0[0], files: $0[1], bytes: $0[2]) }
      let context: ContextFacts? = (row["context_path"] as String?).map {
        ContextFacts(
          path: $0, dockerfilePath: row["dockerfile_path"], files: row["context_files"] ?? 0,
          bytes: row["context_bytes"] ?? 0, entries: entries)
      }
      var keys: [Int64: String] = [:]
      let steps = try Row.fetchAll(
        db,
        sql:
          "SELECT \(Self.stepColumns) FROM step s JOIN step_name n ON n.id = s.name_id WHERE s.build_id = ? ORDER BY s.position",
        arguments: [id]
      ).map { Self.step($0, offset: 0, keys: &keys) }
      let baseImages = try Row.fetchAll(
        db,
        sql:
          "SELECT stage, reference, digest, source, position FROM base_image WHERE build_id = ? ORDER BY rowid",
        arguments: [id]
      ).map {
        StoredBaseImage(
          stage: $0[0], reference: $0[1], digest: $0[2], source: $0[3], position: $0[4])
      }
      let warnings = try String.fetchAll(
        db, sql: "SELECT text FROM warning WHERE build_id = ? ORDER BY position", arguments: [id])
      let labelRows = try Row.fetchAll(
        db, sql: "SELECT key, value FROM build_label WHERE build_id = ? ORDER BY key",
        arguments: [id])
      var labels: [String: String] = [:]
      for r in labelRows { labels[r[0]] = r[1] }
      let inputs = try Row.fetchAll(
        db,
        sql: """
          SELECT i.path, i.role, \(Self.inputHex), coalesce(blob.bytes, 0) FROM build_input i
          LEFT JOIN input_blob blob ON blob.sha256 = \(Self.inputHex) WHERE i.build_id = ? ORDER BY i.path
          """, arguments: [id]
      ).map {
        StoredInput(
          path: $0[0], role: InputFact.Role(rawValue: $0[1]) ?? .manifest, sha256: $0[2],
          bytes: $0[3])
      }
      var detail = BuildDetail(
        summary: summary, logSHA256: row["log_sha256"], builderName: row["builder_name"],
        driver: row["driver"],
        imageDigest: row["image_digest"], errorMessage: row["error_message"],
        contextTransferBytes: row["context_transfer_bytes"], context: context,
        unrecognizedLines: row["unrecognized_lines"], logPath: row["log_path"],
        command: row["command"],
        job: row["job"], git: git, ci: ci, labels: labels, steps: steps,
        baseImages: baseImages, warnings: warnings, inputs: inputs)
      detail.buildArguments = try Self.buildArguments(buildID: id, db)
      detail.cachePlumbing = try Self.cachePlumbing(buildID: id, db)
      return detail
    }
  }

  /// The last output lines kept for step `position` of build `buildID`.
  public func stepOutput(buildID: Int64, position: Int) throws -> [String] {
    try read { db in try Self.outputBlob(buildID: buildID, db)?.lines(at: position) ?? [] }
  }

  static func outputBlob(buildID: Int64, _ db: Database) throws -> OutputBlob? {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT codec, data FROM build_output WHERE build_id = ?", arguments: [buildID])
    else { return nil }
    return OutputBlob(codec: row[0], data: row[1])
  }

  /// The builds recorded before `id` (by record order) that could serve as its baseline:
  /// successful, of the same target, on `branch` (any branch when nil); newest first.
  public func baselineCandidates(before id: Int64, branch: String?, target: String?, limit: Int = 1)
    throws -> [BuildSummary]
  {
    var query = SummaryQuery(limit: limit)
    query.clauses = [
      "b.outcome = 'success'",
      "(b.recorded_at < (SELECT recorded_at FROM build WHERE id = ?) OR (b.recorded_at = (SELECT recorded_at FROM build WHERE id = ?) AND b.id < ?))",
    ]
    query.arguments = [id, id, id]
    query.require("b.git_branch = ?", branch)
    if target == nil { query.clauses.append("b.target IS NULL") }
    query.require("b.target = ?", target)
    return try summaries(query)
  }

  /// Builds of `branch` (any when nil) and `target` (any when nil), oldest first, the last `limit` of them.
  public func timeline(branch: String?, target: String?, limit: Int, since: Date? = nil) throws
    -> [BuildSummary]
  {
    var query = SummaryQuery(limit: limit)
    query.require("b.git_branch = ?", branch)
    query.require("b.target = ?", target)
    query.require("b.recorded_at >= ?", since.map(UTCTimestamp.string(from:)))
    return try summaries(query).reversed()
  }

  /// The (branch, target) pairs with builds, most builds first.
  public func branchesAndTargets() throws -> [(branch: String?, target: String?, builds: Int)] {
    try read { db in
      try Row.fetchAll(
        db,
        sql:
          "SELECT git_branch, target, COUNT(*) FROM build GROUP BY git_branch, target ORDER BY 3 DESC"
      ).map { ($0[0], $0[1], $0[2]) }
    }
  }

  /// The steps of each of `buildIDs`, in order.
  public func steps(ofBuilds buildIDs: [Int64]) throws -> [Int64: [StoredStep]] {
    guard !buildIDs.isEmpty else { return [:] }
    return try read { db in
      var keys: [Int64: String] = [:]
      var result: [Int64: [StoredStep]] = [:]
      let marks = Array(repeating: "?", count: buildIDs.count).joined(separator: ",")
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT s.build_id, \(Self.stepColumns) FROM step s JOIN step_name n ON n.id = s.name_id
          WHERE s.build_id IN (\(marks)) ORDER BY s.build_id, s.position
          """,
        arguments: StatementArguments(buildIDs))
      for r in rows {
        result[r[0], default: []].append(Self.step(r, offset: 1, keys: &keys))
      }
      return result
    }
  }

  /// The build context's file list recorded with build `id` (`sha256 size path` lines), if any.
  public func contextManifest(buildID: Int64) throws -> Data? {
    try read { db in try Self.contextManifest(buildID: buildID, db) }
  }

  static func contextManifest(buildID: Int64, _ db: Database) throws -> Data? {
    guard
      let row = try Row.fetchOne(
        db,
        sql:
          "SELECT context_root, context_truncated, context_manifest_sha256 FROM build WHERE id = ?",
        arguments: [buildID])
    else { return nil }
    if let root = row[0] as Data? {
      let statement = try db.cachedStatement(sql: "SELECT data FROM context_node WHERE hash = ?")
      return try ContextTree.manifestText(root: root, truncated: row[1] ?? false) {
        try Data.fetchOne(statement, arguments: [$0])
      }
    }
    guard let sha = row[2] as String? else { return nil }
    return try inputContent(sha256: sha, db)
  }

  /// The content of a recorded cache input, by its SHA-256.
  public func inputContent(sha256: String) throws -> Data? {
    try read { db in try Self.inputContent(sha256: sha256, db) }
  }

  static func inputContent(sha256: String, _ db: Database) throws -> Data? {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT content, codec FROM input_blob WHERE sha256 = ?", arguments: [sha256]),
      let content = row[0] as Data?
    else { return nil }
    return row[1] == "zlib" ? Zlib.decompress(content) : content
  }
}
