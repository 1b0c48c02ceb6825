import Foundation
import GRDB

/// One row of the `build` table: the facts of a build, as recorded, exported and imported.
public struct BuildRow: Sendable, Equatable, Codable {
  /// SHA-256 of the whole log, with `buildIndex` the build's identity.
  public var logSHA256: String
  /// The build's position among the builds of its log, from 0.
  public var buildIndex: Int
  /// When buildtrail recorded it.
  public var recordedAt: Date
  /// When the build started, when known (from the log or `record --`).
  public var startedAt: Date?
  /// When the build ended, when known.
  public var endedAt: Date?
  /// The BuildOutcome raw value: `success`, `failed`, `canceled` or `unknown`.
  public var outcome: String
  /// The wrapped build command's exit code, when `record --` ran it.
  public var exitCode: Int?
  /// End minus start, when both are known.
  public var wallSeconds: Double?
  /// The steps' durations summed.
  public var stepSeconds: Double
  /// The LogFormat raw value the log was read as.
  public var logFormat: String
  /// The builder instance named in the log.
  public var builderName: String?
  /// The builder's driver named in the log.
  public var driver: String?
  /// The first image name the log shows (`naming to …`, a push).
  public var imageName: String?
  /// The image digest the log shows.
  public var imageDigest: String?
  /// Bytes the log says were sent for the build context.
  public var contextTransferBytes: Int64?
  /// Files in the build context after `.dockerignore`, when measured.
  public var contextFiles: Int?
  /// Bytes of the build context after `.dockerignore`, when measured.
  public var contextBytes: Int64?
  /// The build context's path, when measured.
  public var contextPath: String?
  /// The Dockerfile's path, when known.
  public var dockerfilePath: String?
  /// The build target (`--target`), when given.
  public var target: String?
  /// The compose service (or bake target) the build is for.
  public var service: String?
  /// The final error line, without `ERROR: `.
  public var errorMessage: String?
  /// Cacheable steps (instructions) in the build.
  public var stepsTotal: Int
  /// Cacheable steps that were cached.
  public var stepsCached: Int
  /// Cacheable steps that ran or failed.
  public var stepsExecuted: Int
  /// Steps of any kind that failed.
  public var stepsFailed: Int
  /// Lines of the build that no reader recognised.
  public var unrecognizedLines: Int
  /// The log file's path as given to `record`.
  public var logPath: String?
  /// The log's size in bytes.
  public var logBytes: Int64?
  /// The log's line count.
  public var logLines: Int?
  /// The CI job the build came from, when the log interleaves jobs.
  public var job: String?
  /// The build command `record --` wrapped.
  public var command: String?
  /// The git state the build was made from.
  public var git: GitFacts?
  /// The CI run the build was made in.
  public var ci: CIFacts?

  /// The columns of the `build` table: what lists, filters and sorts read. The rest of a build is
  /// its ``BuildRecord``.
  static let columns = """
    log_sha256, build_index, recorded_ms, started_ms, ended_ms, outcome, exit_code, wall_seconds,
    step_seconds, log_format, target, image_name, steps_total, steps_cached, steps_executed, steps_failed,
    git_commit, git_branch, git_subject, ci_provider, ci_url, service
    """

  /// The columns of the `build` table up to schema 5, read by the migration to schema 6.
  static let legacyColumns = """
    log_sha256, build_index, recorded_at, started_at, ended_at, outcome, exit_code, wall_seconds, step_seconds,
    log_format, builder_name, driver, image_name, image_digest, context_transfer_bytes, context_files, context_bytes,
    context_path, dockerfile_path, target, error_message, steps_total, steps_cached, steps_executed, steps_failed,
    unrecognized_lines, log_path, log_bytes, log_lines, job, command, git_commit, git_branch, git_subject,
    git_committed_at, git_dirty, git_shallow, git_root, ci_provider, ci_run_id, ci_job_id, ci_url
    """

  /// The log's SHA-256 as stored: its 32 bytes, or the text when it is not lowercase hex.
  static func storedLogHash(_ hex: String) -> any DatabaseValueConvertible {
    ContextTree.rawSHA256(hex[...]).map { Data($0) } ?? hex
  }

  /// A git commit as stored (schema 10): the 20 bytes of a SHA-1 (or 32 of a SHA-256) commit, else
  /// the text as it is.
  static func storedCommit(_ commit: String?) -> (any DatabaseValueConvertible)? {
    guard let commit else { return nil }
    let raw = ContextTree.rawHex(commit[...], bytes: 20) ?? ContextTree.rawSHA256(commit[...])
    return raw.map { Data($0) } ?? commit
  }

  /// A stored git commit as text: lowercase hex when stored as bytes.
  static func commitText(_ value: DatabaseValue) -> String? {
    value.isNull ? nil : BuildStore.hex(value)
  }

  /// Inserts the row's columns, with `id` when given and free, and returns the id it got.
  func insert(_ db: Database, id: Int64?) throws -> Int64 {
    let values: [(any DatabaseValueConvertible)?] = [
      Self.storedLogHash(logSHA256), buildIndex, UTCTimestamp.milliseconds(of: recordedAt) ?? 0,
      startedAt.flatMap(UTCTimestamp.milliseconds(of:)),
      endedAt.flatMap(UTCTimestamp.milliseconds(of:)), outcome, exitCode, wallSeconds, stepSeconds,
      logFormat, target, imageName, stepsTotal, stepsCached, stepsExecuted, stepsFailed,
      Self.storedCommit(git?.commit), git?.branch, git?.subject, ci?.provider, ci?.url, service,
    ]
    let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
    let free = try id.map {
      try Int64.fetchOne(db, sql: "SELECT 1 FROM build WHERE id = ?", arguments: [$0]) == nil
    }
    if let id, free == true {
      try BuildStore.run(
        db, sql: "INSERT INTO build (id, \(Self.columns)) VALUES (?, \(marks))",
        arguments: StatementArguments([id] + values))
      return id
    }
    try BuildStore.run(
      db, sql: "INSERT INTO build (\(Self.columns)) VALUES (\(marks))",
      arguments: StatementArguments(values))
    return db.lastInsertedRowID
  }

  /// Reads the columns of a row fetched with ``columns``; the record fills the rest.
  init(_ r: Row) {
    func date(_ column: String) -> Date? {
      (r[column] as Int64?).map(UTCTimestamp.date(milliseconds:))
    }
    self.init(
      logSHA256: BuildStore.hex(r["log_sha256"]), buildIndex: r["build_index"],
      recordedAt: date("recorded_ms") ?? Date(timeIntervalSince1970: 0),
      startedAt: date("started_ms"), endedAt: date("ended_ms"), outcome: r["outcome"],
      exitCode: r["exit_code"],
      wallSeconds: (r["wall_seconds"] as Double?).flatMap { (0...1e15).contains($0) ? $0 : nil },
      stepSeconds: (r["step_seconds"] as Double?).flatMap { (0...1e15).contains($0) ? $0 : nil }
        ?? 0,
      logFormat: r["log_format"], builderName: nil, driver: nil, imageName: r["image_name"],
      imageDigest: nil, contextTransferBytes: nil, contextFiles: nil, contextBytes: nil,
      contextPath: nil, dockerfilePath: nil, target: r["target"], errorMessage: nil,
      stepsTotal: r["steps_total"], stepsCached: r["steps_cached"],
      stepsExecuted: r["steps_executed"], stepsFailed: r["steps_failed"], unrecognizedLines: 0,
      logPath: nil, logBytes: nil, logLines: nil, job: nil, command: nil,
      git: !(r["git_commit"] as DatabaseValue).isNull || (r["git_branch"] as String?) != nil
        || (r["git_subject"] as String?) != nil
        ? GitFacts(
          commit: Self.commitText(r["git_commit"]), branch: r["git_branch"],
          subject: r["git_subject"])
        : nil,
      ci: (r["ci_provider"] as String?).map { CIFacts(provider: $0, url: r["ci_url"]) },
      service: r["service"])
  }

  /// Reads a row of the schema-5 `build` table fetched with ``legacyColumns``.
  init(legacy r: Row) {
    func date(_ column: String) -> Date? {
      (r[column] as String?).flatMap(UTCTimestamp.date(from:))
    }
    logSHA256 = r["log_sha256"]
    buildIndex = r["build_index"]
    recordedAt = date("recorded_at") ?? Date(timeIntervalSince1970: 0)
    startedAt = date("started_at")
    endedAt = date("ended_at")
    outcome = r["outcome"]
    exitCode = r["exit_code"]
    wallSeconds = r["wall_seconds"]
    stepSeconds = r["step_seconds"]
    logFormat = r["log_format"]
    builderName = r["builder_name"]
    driver = r["driver"]
    imageName = r["image_name"]
    imageDigest = r["image_digest"]
    contextTransferBytes = r["context_transfer_bytes"]
    contextFiles = r["context_files"]
    contextBytes = r["context_bytes"]
    contextPath = r["context_path"]
    dockerfilePath = r["dockerfile_path"]
    target = r["target"]
    errorMessage = r["error_message"]
    stepsTotal = r["steps_total"]
    stepsCached = r["steps_cached"]
    stepsExecuted = r["steps_executed"]
    stepsFailed = r["steps_failed"]
    unrecognizedLines = r["unrecognized_lines"]
    logPath = r["log_path"]
    logBytes = r["log_bytes"]
    logLines = r["log_lines"]
    job = r["job"]
    command = r["command"]
    let hasGit = [r["git_commit"], r["git_branch"], r["git_subject"], r["git_root"]].contains {
      ($0 as String?) != nil
    }
    git =
      hasGit
      ? GitFacts(
        commit: r["git_commit"], branch: r["git_branch"], subject: r["git_subject"],
        committedAt: date("git_committed_at"),
        dirty: r["git_dirty"], shallow: r["git_shallow"], root: r["git_root"]) : nil
    ci = (r["ci_provider"] as String?).map {
      CIFacts(provider: $0, runID: r["ci_run_id"], jobID: r["ci_job_id"], url: r["ci_url"])
    }
  }

  init(
    logSHA256: String, buildIndex: Int, recordedAt: Date, startedAt: Date?, endedAt: Date?,
    outcome: String,
    exitCode: Int?, wallSeconds: Double?, stepSeconds: Double, logFormat: String,
    builderName: String?,
    driver: String?, imageName: String?, imageDigest: String?, contextTransferBytes: Int64?,
    contextFiles: Int?,
    contextBytes: Int64?, contextPath: String?, dockerfilePath: String?, target: String?,
    errorMessage: String?,
    stepsTotal: Int, stepsCached: Int, stepsExecuted: Int, stepsFailed: Int, unrecognizedLines: Int,
    logPath: String?,
    logBytes: Int64?, logLines: Int?, job: String?, command: String?, git: GitFacts?, ci: CIFacts?,
    service: String? = nil
  ) {
    self.logSHA256 = logSHA256
    self.buildIndex = buildIndex
    self.recordedAt = recordedAt
    self.startedAt = startedAt
    self.endedAt = endedAt
    self.outcome = outcome
    self.exitCode = exitCode
    self.wallSeconds = wallSeconds
    self.stepSeconds = stepSeconds
    self.logFormat = logFormat
    self.builderName = builderName
    self.driver = driver
    self.imageName = imageName
    self.imageDigest = imageDigest
    self.contextTransferBytes = contextTransferBytes
    self.contextFiles = contextFiles
    self.contextBytes = contextBytes
    self.contextPath = contextPath
    self.dockerfilePath = dockerfilePath
    self.target = target
    self.errorMessage = errorMessage
    self.stepsTotal = stepsTotal
    self.stepsCached = stepsCached
    self.stepsExecuted = stepsExecuted
    self.stepsFailed = stepsFailed
    self.unrecognizedLines = unrecognizedLines
    self.logPath = logPath
    self.logBytes = logBytes
    self.logLines = logLines
    self.job = job
    self.command = command
    self.git = git
    self.ci = ci
    self.service = service
  }
}
