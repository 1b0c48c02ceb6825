import BuildLog
import Crypto
import Foundation
import GRDB

extension BuildStore {
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
    let row = BuildRow(
      logSHA256: b.logSHA256, buildIndex: b.buildIndex, recordedAt: b.recordedAt,
      startedAt: started, endedAt: ended,
      outcome: b.outcome.rawValue, exitCode: b.exitCode, wallSeconds: wall,
      stepSeconds: p.summedStepSeconds,
      logFormat: p.format.rawValue, builderName: p.builderName, driver: p.driver,
      imageName: p.imageNames.first,
      imageDigest: p.imageDigest, contextTransferBytes: p.contextTransferBytes,
      contextFiles: b.context?.files,
      contextBytes: b.context?.bytes, contextPath: b.context?.path,
      dockerfilePath: b.context?.dockerfilePath,
      target: b.target, errorMessage: p.errorMessage, stepsTotal: cacheable.count,
      stepsCached: cacheable.filter { $0.0.status == .cached }.count,
      stepsExecuted: cacheable.filter { $0.0.status.ranOrFailed }.count,
      stepsFailed: p.steps.filter { $0.status == .error }.count,
      unrecognizedLines: p.unrecognizedLineCount,
      logPath: b.logPath, logBytes: b.logBytes, logLines: b.logLines, job: p.job,
      command: b.command, git: b.git,
      ci: b.ci)
    let buildID = try row.insert(db, id: nil)

    var seenKeys: [String: Int] = [:]
    var steps: [StoredStep] = []
    var outputs: [Int: [String]] = [:]
    for (position, (step, name)) in zip(p.steps, names).enumerated() {
      var key = name.stableKey
      let occurrence = seenKeys[key, default: 0]
      seenKeys[key] = occurrence + 1
      if occurrence > 0 { key += "#\(occurrence + 1)" }
      steps.append(
        StoredStep(
          position: position, vertex: step.vertex, name: step.name, service: name.service,
          platform: name.platform,
          stage: name.stage, index: name.index, total: name.total, kind: name.kind, key: key,
          status: step.status,
          durationSeconds: step.duration, startedAt: step.startedAt, completedAt: step.completedAt,
          outputLines: step.outputLineCount, errorText: step.errorText, digest: step.digest))
      outputs[position] = step.outputTail
    }
    try insertSteps(steps, outputs: OutputBlob(lines: outputs), buildID: buildID, db)

    var images: [StoredBaseImage] = []
    for (position, (step, name)) in zip(p.steps, names).enumerated() {
      guard let image = name.baseImage else { continue }
      let resolvedDigest = step.resolvedReference.flatMap { ref in
        ref.range(of: "@sha256:").map { "sha256:" + ref[$0.upperBound...] }
      }
      let fromLog = image.digest ?? resolvedDigest
      let fromDaemon = fromLog == nil ? b.daemonImageIDs[image.reference] : nil
      images.append(
        StoredBaseImage(
          stage: name.stage, reference: image.reference, digest: fromLog ?? fromDaemon,
          source: fromDaemon == nil ? "log" : "daemon", position: position))
    }
    try insertFacts(
      buildID: buildID, baseImages: images, warnings: p.warnings, labels: b.labels,
      entries: b.context?.entries ?? [], db)
    for input in b.inputs {
      try insertInput(
        buildID: buildID, path: input.path, role: input.role, sha256: input.sha256,
        bytes: input.bytes,
        content: input.content, db)
    }
    if let manifest = b.contextManifest {
      try insertContextTree(ContextTree(manifestText: manifest), buildID: buildID, db)
    }
    try insertInvocation(
      buildID: buildID, arguments: b.buildArguments,
      plumbing: (b.cachePlumbing ?? CachePlumbingFact(commandKnown: false)).with(log: p), db)
    return .recorded(id: buildID)
  }

  /// The id of step name `step`, interned: found by a 64-bit hash of its fields, checked field by field.
  static func nameID(_ step: StoredStep, _ db: Database) throws -> Int64 {
    let derived = StepName(step.name, services: Set([step.service].compactMap { $0 })).stableKey
    let key: String? = step.key == derived ? nil : step.key
    let fields: [String] = [
      step.name, key ?? "", step.kind.rawValue, step.service ?? "", step.platform ?? "",
      step.stage ?? "",
      step.index.map(String.init) ?? "", step.total.map(String.init) ?? "",
    ]
    let digest = SHA256.hash(data: Data(fields.joined(separator: "\u{0}").utf8))
    let identity = digest.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
    let arguments: StatementArguments = [
      identity, step.name, key, step.kind.rawValue, step.service, step.platform, step.stage,
      step.index, step.total,
    ]
    if let id = try Int64.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT id FROM step_name WHERE identity = ? AND name = ? AND step_key IS ? AND kind = ? AND service IS ?
            AND platform IS ? AND stage IS ? AND step_index IS ? AND step_total IS ?
          """), arguments: arguments)
    {
      return id
    }
    try run(
      db,
      sql: """
        INSERT INTO step_name (identity, name, step_key, kind, service, platform, stage, step_index, step_total)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, arguments: arguments)
    return db.lastInsertedRowID
  }

  /// A step digest as stored: the 32 bytes of a `sha256:<hex>` digest, any other text as it is.
  static func storedDigest(_ digest: String?) -> (any DatabaseValueConvertible)? {
    guard let digest, digest.hasPrefix("sha256:") else { return digest }
    return storedHash(String(digest.dropFirst(7)), text: digest)
  }

  /// The 32 bytes of a lowercase hex SHA-256, or `text` when `hex` is not one.
  static func storedHash(_ hex: String, text: String) -> any DatabaseValueConvertible {
    ContextTree.rawSHA256(hex[...]).map { Data($0) } ?? text
  }

  static func insertSteps(
    _ steps: [StoredStep], outputs: OutputBlob?, buildID: Int64, _ db: Database
  ) throws {
    for step in steps {
      try run(
        db,
        sql: """
          INSERT INTO step (build_id, position, vertex, name_id, status, duration_seconds, started_ms, completed_ms,
            output_lines, error_text, digest)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          buildID, step.position, step.vertex, try nameID(step, db), step.status.rawValue,
          step.durationSeconds,
          step.startedAt.flatMap(UTCTimestamp.milliseconds(of:)),
          step.completedAt.flatMap(UTCTimestamp.milliseconds(of:)),
          step.outputLines, step.errorText, storedDigest(step.digest),
        ])
    }
    if let outputs {
      let (codec, data) = outputs.encoded()
      try run(
        db, sql: "INSERT INTO build_output (build_id, codec, data) VALUES (?, ?, ?)",
        arguments: [buildID, codec, data])
    }
  }

  static func insertFacts(
    buildID: Int64, baseImages: [StoredBaseImage], warnings: [String], labels: [String: String],
    entries: [ContextEntry], _ db: Database
  ) throws {
    for image in baseImages {
      try run(
        db,
        sql:
          "INSERT INTO base_image (build_id, position, stage, reference, digest, source) VALUES (?, ?, ?, ?, ?, ?)",
        arguments: [
          buildID, image.position, image.stage, image.reference, image.digest, image.source,
        ])
    }
    for (position, warning) in warnings.enumerated() {
      try run(
        db, sql: "INSERT INTO warning (build_id, position, text) VALUES (?, ?, ?)",
        arguments: [buildID, position, warning])
    }
    for (key, value) in labels {
      try run(
        db, sql: "INSERT INTO build_label (build_id, key, value) VALUES (?, ?, ?)",
        arguments: [buildID, key, value])
    }
    for entry in entries {
      try run(
        db,
        sql:
          "INSERT OR REPLACE INTO context_entry (build_id, name, files, bytes) VALUES (?, ?, ?, ?)",
        arguments: [buildID, entry.name, entry.files, entry.bytes])
    }
  }

  /// Stores a cache input's content once (compressed when that saves space) and lists it for the build.
  static func insertInput(
    buildID: Int64, path: String, role: InputFact.Role, sha256: String, bytes: Int, content: Data?,
    _ db: Database
  ) throws {
    var codec = "none"
    var stored = content
    if let content, content.count > 64 {
      let compressed = Zlib.compress(content)
      if compressed.count < content.count {
        codec = "zlib"
        stored = compressed
      }
    }
    let existing = try Row.fetchOne(
      db.cachedStatement(sql: "SELECT content IS NOT NULL FROM input_blob WHERE sha256 = ?"),
      arguments: [sha256])
    if existing == nil {
      try run(
        db, sql: "INSERT INTO input_blob (sha256, bytes, content, codec) VALUES (?, ?, ?, ?)",
        arguments: [sha256, bytes, stored, codec])
    } else if existing?[0] == false, stored != nil {
      try run(
        db, sql: "UPDATE input_blob SET content = ?, codec = ? WHERE sha256 = ?",
        arguments: [stored, codec, sha256])
    }
    try run(
      db,
      sql: "INSERT OR REPLACE INTO build_input (build_id, path, role, sha256) VALUES (?, ?, ?, ?)",
      arguments: [buildID, path, role.rawValue, storedHash(sha256, text: sha256)])
  }

  static func insertContextTree(_ tree: ContextTree, buildID: Int64, _ db: Database) throws {
    for (hash, data) in tree.nodes {
      try run(
        db, sql: "INSERT OR IGNORE INTO context_node (hash, data) VALUES (?, ?)",
        arguments: [hash, data])
    }
    try run(
      db, sql: "UPDATE build SET context_root = ?, context_truncated = ? WHERE id = ?",
      arguments: [tree.root, tree.truncated, buildID])
  }
}
