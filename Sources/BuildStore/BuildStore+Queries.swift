import BuildLog
import Foundation
import GRDB

extension BuildStore {
  // MARK: - Queries

  /// Durations outside 0…1e15 s (an infinity from a damaged or hand-edited file) read as unknown.
  static let summaryColumns = """
    b.id, b.recorded_ms, b.started_ms, b.ended_ms, b.outcome, b.exit_code,
    CASE WHEN b.wall_seconds BETWEEN 0 AND 1e15 THEN b.wall_seconds END,
    CASE WHEN b.step_seconds BETWEEN 0 AND 1e15 THEN b.step_seconds ELSE 0 END,
    b.log_format, b.git_branch, b.git_commit, b.git_subject, b.target, b.image_name, b.steps_total,
    b.steps_cached, b.steps_executed, b.steps_failed, b.ci_provider, b.ci_url, b.service
    """

  static func summary(_ row: Row) -> BuildSummary {
    BuildSummary(
      id: row[0], recordedAt: UTCTimestamp.date(milliseconds: row[1] ?? 0),
      startedAt: (row[2] as Int64?).map(UTCTimestamp.date(milliseconds:)),
      endedAt: (row[3] as Int64?).map(UTCTimestamp.date(milliseconds:)),
      outcome: BuildOutcome(rawValue: row[4]) ?? .unknown, exitCode: row[5], wallSeconds: row[6],
      stepSeconds: row[7],
      logFormat: LogFormat(rawValue: row[8]) ?? .plain, branch: row[9],
      commit: BuildRow.commitText(row[10]),
      subject: row[11],
      target: row[12], imageName: row[13], stepsTotal: row[14], stepsCached: row[15],
      stepsExecuted: row[16],
      stepsFailed: row[17], ciProvider: row[18], ciURL: row[19], service: row[20])
  }

  /// The most recent builds matching `filter`, newest first.
  public func builds(_ filter: BuildFilter = BuildFilter()) throws -> [BuildSummary] {
    var query = SummaryQuery(limit: filter.limit)
    query.require("b.git_branch = ?", filter.branch)
    query.require("b.target = ?", filter.target)
    query.require("b.service = ?", filter.service)
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
          "SELECT \(Self.summaryColumns) FROM build b \(whereClause) ORDER BY b.recorded_ms DESC, b.id DESC LIMIT ?",
        arguments: StatementArguments(query.arguments + [query.limit])
      ).map(Self.summary)
    }
  }

  /// The id of the most recently recorded build (of `service`, when given).
  public func latestBuildID(service: String? = nil) throws -> Int64? {
    try read { db in
      if let service {
        return try Int64.fetchOne(
          db,
          sql: "SELECT id FROM build WHERE service = ? ORDER BY recorded_ms DESC, id DESC LIMIT 1",
          arguments: [service])
      }
      return try Int64.fetchOne(
        db, sql: "SELECT id FROM build ORDER BY recorded_ms DESC, id DESC LIMIT 1")
    }
  }

  /// Everything stored about build `id`, or nil.
  public func build(id: Int64) throws -> BuildDetail? {
    try read { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT \(Self.summaryColumns), b.log_sha256 FROM build b WHERE b.id = ?",
          arguments: [id])
      else { return nil }
      var reader = RecordReader()
      guard let record = try reader.record(id, db) else {
        throw StoreError.damagedRecord(buildID: id)
      }
      let summary = Self.summary(row)
      let hasGit = summary.commit != nil || summary.branch != nil || summary.subject != nil
      var git =
        hasGit
        ? GitFacts(commit: summary.commit, branch: summary.branch, subject: summary.subject) : nil
      if record.hasGit {
        git = git ?? GitFacts()
        git?.committedAt = record.gitCommittedAt
        git?.dirty = record.gitDirty
        git?.shallow = record.gitShallow
        git?.root = record.gitRoot
      }
      let ci = summary.ciProvider.map {
        CIFacts(provider: $0, runID: record.ciRunID, jobID: record.ciJobID, url: summary.ciURL)
      }
      let context: ContextFacts? = record.contextPath.map {
        ContextFacts(
          path: $0, dockerfilePath: record.dockerfilePath, files: record.contextFiles ?? 0,
          bytes: record.contextBytes ?? 0,
          entries: record.contextEntries.sorted { ($0.bytes, $1.name) > ($1.bytes, $0.name) })
      }
      var detail = BuildDetail(
        summary: summary, logSHA256: Self.hex(row["log_sha256"]), builderName: record.builderName,
        driver: record.driver, imageDigest: record.imageDigest, errorMessage: record.errorMessage,
        contextTransferBytes: record.contextTransferBytes, context: context,
        unrecognizedLines: record.unrecognizedLines, logPath: record.logPath,
        command: record.command, job: record.job, git: git, ci: ci,
        labels: try Self.labels(id, db), steps: record.steps, baseImages: record.baseImages,
        warnings: record.warnings, inputs: record.inputs)
      detail.buildArguments = record.buildArguments
      detail.cachePlumbing = record.cachePlumbing
      return detail
    }
  }

  static func labels(_ id: Int64, _ db: Database) throws -> [String: String] {
    var labels: [String: String] = [:]
    for r in try Row.fetchAll(
      db, sql: "SELECT key, value FROM build_label WHERE build_id = ? ORDER BY key",
      arguments: [id])
    {
      labels[r[0]] = r[1]
    }
    return labels
  }

  /// The last output lines kept for step `position` of build `buildID`.
  public func stepOutput(buildID: Int64, position: Int) throws -> [String] {
    try read { db in
      var reader = RecordReader()
      return try reader.record(buildID, db)?.lines(at: position) ?? []
    }
  }

  /// The builds recorded before `id` (by record order) that could serve as its baseline:
  /// successful, of the same target and service, on `branch` (any branch when nil); newest first.
  public func baselineCandidates(
    before id: Int64, branch: String?, target: String?, service: String? = nil, limit: Int = 1
  ) throws -> [BuildSummary] {
    var query = SummaryQuery(limit: limit)
    query.clauses = [
      "b.outcome = 'success'",
      "(b.recorded_ms < (SELECT recorded_ms FROM build WHERE id = ?) OR (b.recorded_ms = (SELECT recorded_ms FROM build WHERE id = ?) AND b.id < ?))",
    ]
    query.arguments = [id, id, id]
    query.require("b.git_branch = ?", branch)
    if target == nil { query.clauses.append("b.target IS NULL") }
    query.require("b.target = ?", target)
    if service == nil { query.clauses.append("b.service IS NULL") }
    query.require("b.service = ?", service)
    return try summaries(query)
  }

  /// Builds of `branch`, `target` and `service` (each: any when nil), oldest first, the last `limit`
  /// of them. With `exact`, a nil branch, target or service means builds without one.
  public func timeline(
    branch: String?, target: String?, service: String? = nil, exact: Bool = false, limit: Int,
    since: Date? = nil
  ) throws -> [BuildSummary] {
    var query = SummaryQuery(limit: limit)
    query.require("b.git_branch = ?", branch)
    query.require("b.target = ?", target)
    query.require("b.service = ?", service)
    if exact, branch == nil { query.clauses.append("b.git_branch IS NULL") }
    if exact, target == nil { query.clauses.append("b.target IS NULL") }
    if exact, service == nil { query.clauses.append("b.service IS NULL") }
    query.require("b.recorded_ms >= ?", since.flatMap(UTCTimestamp.milliseconds(of:)))
    return try summaries(query).reversed()
  }

  /// The (branch, target, service) groups with builds, most builds first.
  public func branchesAndTargets() throws -> [(
    branch: String?, target: String?, service: String?, builds: Int
  )] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT git_branch, target, service, COUNT(*) FROM build GROUP BY git_branch, target, service
          ORDER BY 4 DESC
          """
      ).map { ($0[0], $0[1], $0[2], $0[3]) }
    }
  }

  /// The steps of each of `buildIDs`, in order.
  public func steps(ofBuilds buildIDs: [Int64]) throws -> [Int64: [StoredStep]] {
    guard !buildIDs.isEmpty else { return [:] }
    return try read { db in
      var reader = RecordReader()
      return try reader.records(buildIDs, db).mapValues(\.steps)
    }
  }

  /// The build context's file list recorded with build `id` (`sha256 size path` lines), if any.
  public func contextManifest(buildID: Int64) throws -> Data? {
    try read { db in
      var reader = RecordReader()
      guard let record = try reader.record(buildID, db) else { return nil }
      return try Self.contextManifest(buildID: buildID, record: record, db)
    }
  }

  static func contextManifest(buildID: Int64, record: BuildRecord, _ db: Database) throws -> Data? {
    if let manifest = record.manifest { return manifest }
    guard
      let root = try Data.fetchOne(
        db, sql: "SELECT context_root FROM build WHERE id = ?", arguments: [buildID])
    else { return nil }
    let statement = try db.cachedStatement(sql: "SELECT data FROM context_node WHERE hash = ?")
    return try ContextTree.manifestText(root: root, truncated: record.contextTruncated ?? false) {
      try Data.fetchOne(statement, arguments: [$0])
    }
  }

  /// The content of a recorded cache input, by its SHA-256.
  public func inputContent(sha256: String) throws -> Data? {
    try read { db in try Self.inputContent(sha256: sha256, db) }
  }
}
