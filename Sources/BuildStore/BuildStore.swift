import BuildLog
import BuildtrailMigrations
import Foundation
import GRDB

/// The build history in one SQLite file: migrates on open, records builds all-or-nothing, answers queries.
public struct BuildStore: Sendable {
  let writer: any DatabaseWriter
  /// The database file, or `:memory:`.
  public let path: String

  /// Opens (creating if needed) the history at `path` and brings its schema up to date.
  /// - Parameter busyTimeout: how long to wait for another process's write to finish.
  /// - Throws: ``StoreError`` naming the file and the fix when it is not SQLite, newer, locked or unwritable.
  public init(path: String, busyTimeout: TimeInterval = 5) throws {
    self.path = path
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
      do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      } catch {
        throw StoreError.cannotOpen(path: path, reason: "cannot create folder \(folder)")
      }
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(busyTimeout)
    configuration.foreignKeysEnabled = true
    do {
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      self.writer = queue
      try Self.migrate(queue, path: path)
    } catch let error as StoreError {
      throw error
    } catch let error as DatabaseError {
      throw Self.storeError(error, path: path)
    }
  }

  /// A history held in memory, for tests.
  public static func inMemory() throws -> BuildStore {
    try BuildStore(writer: DatabaseQueue())
  }

  private init(writer: DatabaseQueue) throws {
    self.writer = writer
    self.path = ":memory:"
    try Self.migrate(writer, path: path)
  }

  private static func migrate(_ writer: any DatabaseWriter, path: String) throws {
    let migrator = BuildtrailMigrations.migrator
    let applied = try writer.read { db -> [String] in
      guard try db.tableExists("grdb_migrations") else { return [] }
      return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
    }
    let known = Set(BuildtrailMigrations.all.map(\.identifier))
    let unknown = applied.filter { !known.contains($0) }.sorted()
    if !unknown.isEmpty { throw StoreError.newerSchema(path: path, unknownMigrations: unknown) }
    if applied.count < known.count {
      try migrator.migrate(writer)
    }
  }

  static func storeError(_ error: DatabaseError, path: String) -> StoreError {
    switch error.resultCode {
    case .SQLITE_NOTADB, .SQLITE_CORRUPT: return .notADatabase(path: path)
    case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path)
    case .SQLITE_READONLY: return .readOnly(path: path)
    case .SQLITE_CANTOPEN:
      return .cannotOpen(path: path, reason: "the file cannot be created or opened")
    default: return .cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
    }
  }

  private func write<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try writer.write(body)
    } catch let error as DatabaseError {
      throw Self.storeError(error, path: path)
    }
  }

  private func read<T>(_ body: (Database) throws -> T) throws -> T {
    do {
      return try writer.read(body)
    } catch let error as DatabaseError {
      throw Self.storeError(error, path: path)
    }
  }

  // MARK: - Recording

  /// Records the builds of one log in one transaction: all of them or none.
  /// A build already stored (same log content and position) is not stored again.
  public func record(_ builds: [NewBuild]) throws -> [RecordResult] {
    try write { db in try builds.map { try Self.insert($0, db) } }
  }

  private static func insert(_ b: NewBuild, _ db: Database) throws -> RecordResult {
    if let id = try Int64.fetchOne(
      db, sql: "SELECT id FROM build WHERE log_sha256 = ? AND build_index = ?",
      arguments: [b.logSHA256, b.buildIndex])
    {
      return .alreadyRecorded(id: id)
    }
    let p = b.parsed
    var services = Set<String>()
    for step in p.steps {
      let n = StepName(step.name)
      if n.kind == .internal || n.kind == .export, let s = n.service { services.insert(s) }
    }
    let names = p.steps.map { StepName($0.name, services: services) }
    let cacheable = zip(p.steps, names).filter { $0.1.kind.isCacheable }
    let started = b.startedAt ?? p.startedAt
    let ended = b.endedAt ?? p.endedAt
    let wall = started.flatMap { s in ended.map { $0.timeIntervalSince(s) } }
    let outcome = b.outcome
    let imageName = p.imageNames.first
    try Self.run(
      db,
      sql: """
        INSERT INTO build (log_sha256, build_index, recorded_at, started_at, ended_at, outcome, exit_code,
          wall_seconds, step_seconds, log_format, builder_name, driver, image_name, image_digest,
          context_transfer_bytes, context_files, context_bytes, context_path, dockerfile_path, target,
          error_message, steps_total, steps_cached, steps_executed, steps_failed, unrecognized_lines,
          log_path, log_bytes, log_lines, job, command, git_commit, git_branch, git_subject, git_committed_at,
          git_dirty, git_shallow, git_root, ci_provider, ci_run_id, ci_job_id, ci_url)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
          ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: StatementArguments(
        [
          b.logSHA256, b.buildIndex, UTCTimestamp.string(from: b.recordedAt),
          started.map(UTCTimestamp.string(from:)), ended.map(UTCTimestamp.string(from:)),
          outcome.rawValue,
          b.exitCode, wall, p.summedStepSeconds, p.format.rawValue, p.builderName, p.driver,
          imageName,
          p.imageDigest, p.contextTransferBytes, b.context?.files, b.context?.bytes,
          b.context?.path,
          b.context?.dockerfilePath, b.target, p.errorMessage, cacheable.count,
          cacheable.filter { $0.0.status == .cached }.count,
          cacheable.filter { $0.0.status.ranOrFailed }.count,
          p.steps.filter { $0.status == .error }.count, p.unrecognizedLineCount, b.logPath,
          b.logBytes, b.logLines,
          p.job, b.command, b.git?.commit, b.git?.branch, b.git?.subject,
          b.git?.committedAt.map(UTCTimestamp.string(from:)), b.git?.dirty, b.git?.shallow,
          b.git?.root,
          b.ci?.provider, b.ci?.runID, b.ci?.jobID, b.ci?.url,
        ] as [(any DatabaseValueConvertible)?]))
    let buildID = db.lastInsertedRowID

    var seenKeys: [String: Int] = [:]
    for (position, (step, name)) in zip(p.steps, names).enumerated() {
      var key = name.stableKey
      let occurrence = seenKeys[key, default: 0]
      seenKeys[key] = occurrence + 1
      if occurrence > 0 { key += "#\(occurrence + 1)" }
      try Self.run(
        db,
        sql: """
          INSERT INTO step (build_id, position, vertex, name, service, platform, stage, step_index, step_total,
            kind, step_key, status, duration_seconds, started_at, completed_at, output_lines, error_text, digest)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: StatementArguments(
          [
            buildID, position, step.vertex, step.name, name.service, name.platform, name.stage,
            name.index,
            name.total, name.kind.rawValue, key, step.status.rawValue, step.duration,
            step.startedAt.map(UTCTimestamp.string(from:)),
            step.completedAt.map(UTCTimestamp.string(from:)),
            step.outputLineCount, step.errorText, step.digest,
          ] as [(any DatabaseValueConvertible)?]))
      let stepID = db.lastInsertedRowID
      if !step.outputTail.isEmpty {
        try Self.run(
          db,
          sql: "INSERT INTO step_output (step_id, lines, text) VALUES (?, ?, ?)",
          arguments: [stepID, step.outputTail.count, step.outputTail.joined(separator: "\n")])
      }
      if let image = name.baseImage {
        let resolvedDigest = step.resolvedReference.flatMap { ref in
          ref.range(of: "@sha256:").map { "sha256:" + ref[$0.upperBound...] }
        }
        let fromLog = image.digest ?? resolvedDigest
        let fromDaemon = fromLog == nil ? b.daemonImageIDs[image.reference] : nil
        try Self.run(
          db,
          sql:
            "INSERT INTO base_image (build_id, step_id, stage, reference, digest, source) VALUES (?, ?, ?, ?, ?, ?)",
          arguments: [
            buildID, stepID, name.stage, image.reference, fromLog ?? fromDaemon,
            fromDaemon == nil ? "log" : "daemon",
          ])
      }
    }
    for (position, warning) in p.warnings.enumerated() {
      try Self.run(
        db,
        sql: "INSERT INTO warning (build_id, position, text) VALUES (?, ?, ?)",
        arguments: [buildID, position, warning])
    }
    for (key, value) in b.labels {
      try Self.run(
        db,
        sql: "INSERT INTO build_label (build_id, key, value) VALUES (?, ?, ?)",
        arguments: [buildID, key, value])
    }
    for input in b.inputs {
      try Self.run(
        db,
        sql: """
          INSERT INTO input_blob (sha256, bytes, content) VALUES (?, ?, ?)
          ON CONFLICT (sha256) DO UPDATE SET content = coalesce(input_blob.content, excluded.content)
          """,
        arguments: [input.sha256, input.bytes, input.content])
      try Self.run(
        db,
        sql:
          "INSERT OR REPLACE INTO build_input (build_id, path, role, sha256) VALUES (?, ?, ?, ?)",
        arguments: [buildID, input.path, input.role.rawValue, input.sha256])
    }
    if let manifest = b.contextManifest {
      let sha = Self.sha256Hex(manifest)
      try Self.run(
        db,
        sql:
          "INSERT INTO input_blob (sha256, bytes, content) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
        arguments: [sha, manifest.count, manifest])
      try Self.run(
        db, sql: "UPDATE build SET context_manifest_sha256 = ? WHERE id = ?",
        arguments: [sha, buildID])
    }
    for entry in b.context?.entries ?? [] {
      try Self.run(
        db,
        sql:
          "INSERT OR REPLACE INTO context_entry (build_id, name, files, bytes) VALUES (?, ?, ?, ?)",
        arguments: [buildID, entry.name, entry.files, entry.bytes])
    }
    return .recorded(id: buildID)
  }

  /// Runs a statement from the connection's statement cache: recording many steps prepares each SQL once.
  private static func run(
    _ db: Database, sql: String, arguments: StatementArguments = StatementArguments()
  ) throws {
    try db.cachedStatement(sql: sql).execute(arguments: arguments)
  }

  // MARK: - Queries

  /// Durations outside 0…1e15 s (an infinity written by an older version) read as unknown; such a
  /// build's step total is the sum of its readable step durations.
  private static let summaryColumns = """
    b.id, b.recorded_at, b.started_at, b.ended_at, b.outcome, b.exit_code,
    CASE WHEN b.wall_seconds BETWEEN 0 AND 1e15 THEN b.wall_seconds END,
    CASE WHEN b.step_seconds BETWEEN 0 AND 1e15 THEN b.step_seconds
      ELSE (SELECT COALESCE(SUM(s.duration_seconds), 0) FROM step s
        WHERE s.build_id = b.id AND s.duration_seconds BETWEEN 0 AND 1e15) END,
    b.log_format, b.git_branch, b.git_commit, b.git_subject, b.target, b.image_name, b.steps_total,
    b.steps_cached, b.steps_executed, b.steps_failed, b.ci_provider, b.ci_url
    """

  private static let stepColumns = """
    position, vertex, name, service, platform, stage, step_index, step_total, kind, step_key, status,
    CASE WHEN duration_seconds BETWEEN 0 AND 1e15 THEN duration_seconds END, started_at, completed_at,
    output_lines, error_text, digest
    """

  private static func step(_ r: Row, offset o: Int) -> StoredStep {
    StoredStep(
      position: r[o], vertex: r[o + 1], name: r[o + 2], service: r[o + 3], platform: r[o + 4],
      stage: r[o + 5],
      index: r[o + 6], total: r[o + 7], kind: StepKind(rawValue: r[o + 8]) ?? .other, key: r[o + 9],
      status: StepStatus(rawValue: r[o + 10]) ?? .unfinished, durationSeconds: r[o + 11],
      startedAt: (r[o + 12] as String?).flatMap(UTCTimestamp.date(from:)),
      completedAt: (r[o + 13] as String?).flatMap(UTCTimestamp.date(from:)), outputLines: r[o + 14],
      errorText: r[o + 15], digest: r[o + 16])
  }

  private static func summary(_ row: Row) -> BuildSummary {
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
      let steps = try Row.fetchAll(
        db, sql: "SELECT \(Self.stepColumns) FROM step WHERE build_id = ? ORDER BY position",
        arguments: [id]
      ).map { Self.step($0, offset: 0) }
      let baseImages = try Row.fetchAll(
        db,
        sql:
          "SELECT stage, reference, digest, source FROM base_image WHERE build_id = ? ORDER BY rowid",
        arguments: [id]
      ).map { StoredBaseImage(stage: $0[0], reference: $0[1], digest: $0[2], source: $0[3]) }
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
          SELECT i.path, i.role, i.sha256, coalesce(blob.bytes, 0) FROM build_input i
          LEFT JOIN input_blob blob ON blob.sha256 = i.sha256 WHERE i.build_id = ? ORDER BY i.path
          """, arguments: [id]
      ).map {
        StoredInput(
          path: $0[0], role: InputFact.Role(rawValue: $0[1]) ?? .manifest, sha256: $0[2],
          bytes: $0[3])
      }
      return BuildDetail(
        summary: summary, logSHA256: row["log_sha256"], builderName: row["builder_name"],
        driver: row["driver"],
        imageDigest: row["image_digest"], errorMessage: row["error_message"],
        contextTransferBytes: row["context_transfer_bytes"], context: context,
        unrecognizedLines: row["unrecognized_lines"], logPath: row["log_path"],
        command: row["command"],
        job: row["job"], git: git, ci: ci, labels: labels, steps: steps,
        baseImages: baseImages, warnings: warnings, inputs: inputs)
    }
  }

  /// The last output lines kept for step `position` of build `buildID`.
  public func stepOutput(buildID: Int64, position: Int) throws -> [String] {
    try read { db in
      let text = try String.fetchOne(
        db,
        sql:
          "SELECT o.text FROM step_output o JOIN step s ON s.id = o.step_id WHERE s.build_id = ? AND s.position = ?",
        arguments: [buildID, position])
      return text.map { $0.components(separatedBy: "\n") } ?? []
    }
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
      var result: [Int64: [StoredStep]] = [:]
      let marks = Array(repeating: "?", count: buildIDs.count).joined(separator: ",")
      let rows = try Row.fetchAll(
        db,
        sql:
          "SELECT build_id, \(Self.stepColumns) FROM step WHERE build_id IN (\(marks)) ORDER BY build_id, position",
        arguments: StatementArguments(buildIDs))
      for r in rows {
        result[r[0], default: []].append(Self.step(r, offset: 1))
      }
      return result
    }
  }

  /// The build context's file list recorded with build `id`, if any.
  public func contextManifest(buildID: Int64) throws -> Data? {
    try read { db in
      try Data.fetchOne(
        db,
        sql:
          "SELECT blob.content FROM build b JOIN input_blob blob ON blob.sha256 = b.context_manifest_sha256 WHERE b.id = ?",
        arguments: [buildID])
    }
  }

  static func sha256Hex(_ data: Data) -> String {
    SHA256Digest.hex(of: data)
  }

  /// The content of a recorded cache input, by its SHA-256.
  public func inputContent(sha256: String) throws -> Data? {
    try read { db in
      try Data.fetchOne(
        db, sql: "SELECT content FROM input_blob WHERE sha256 = ?", arguments: [sha256])
    }
  }
}
