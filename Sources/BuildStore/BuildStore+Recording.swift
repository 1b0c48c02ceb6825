import BuildLog
import Foundation
import GRDB

extension BuildStore {
  /// Records the builds of one log in one transaction: all of them or none.
  /// A build already stored (same log content and position) is not stored again.
  public func record(_ builds: [NewBuild]) throws -> [RecordResult] {
    try write { db in try builds.map { try Self.insert($0, db) } }
  }

  private static func insert(_ b: NewBuild, _ db: Database) throws -> RecordResult {
    try insertBuild(portable(b), db)
  }

  /// Everything a new build stores, as plain values.
  static func portable(_ b: NewBuild) -> PortableBuild {
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
      ci: b.ci, service: b.service)

    var seenKeys: [String: Int] = [:]
    var steps: [StoredStep] = []
    var outputs: [Int: [String]] = [:]
    var images: [StoredBaseImage] = []
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
      if !step.outputTail.isEmpty { outputs[position] = step.outputTail }
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
    var portable = PortableBuild(
      id: 0, row: row, labels: b.labels, warnings: p.warnings, baseImages: images,
      contextEntries: b.context?.entries ?? [], steps: steps, outputs: outputs,
      inputs: b.inputs.map {
        PortableBuild.Input(
          path: $0.path, role: $0.role, sha256: $0.sha256, bytes: $0.bytes, content: $0.content)
      }, contextManifest: b.contextManifest, failure: b.failure)
    portable.buildArguments = b.buildArguments
    portable.cachePlumbing = (b.cachePlumbing ?? CachePlumbingFact(commandKnown: false)).with(
      log: p)
    return portable
  }

  /// Stores one build (recorded or imported): its row, labels, input contents and record. One
  /// already stored (same log content and position) is not stored again; `b.id` is kept when it is
  /// above 0 and free.
  static func insertBuild(_ b: PortableBuild, _ db: Database) throws -> RecordResult {
    if let id = try Int64.fetchOne(
      db, sql: "SELECT id FROM build WHERE log_sha256 IN (?, ?) AND build_index = ?",
      arguments: [BuildRow.storedLogHash(b.row.logSHA256), b.row.logSHA256, b.row.buildIndex])
    {
      return .alreadyRecorded(id: id)
    }
    let id = try b.row.insert(db, id: b.id > 0 ? b.id : nil)
    for (key, value) in b.labels {
      try run(
        db, sql: "INSERT INTO build_label (build_id, key, value) VALUES (?, ?, ?)",
        arguments: [id, key, value])
    }
    var record = BuildRecord(row: b.row)
    record.failure = b.failure
    record.buildArguments = b.buildArguments
    // Plumbing with nothing in it (a log from a file that shows no builder boot, import or export)
    // reads back as nil, like a build recorded before schema 7.
    record.cachePlumbing =
      b.cachePlumbing == CachePlumbingFact(commandKnown: false) ? nil : b.cachePlumbing
    record.steps = b.steps
    record.outputs = b.outputs.filter { !$0.value.isEmpty }.mapValues {
      $0.joined(separator: "\n")
    }
    record.baseImages = b.baseImages
    record.warnings = b.warnings
    record.contextEntries = b.contextEntries
    let previous =
      b.inputs.isEmpty ? [:] : try previousInputs(buildID: id, target: b.row.target, db)
    for input in b.inputs {
      // Contents are shared by hash: one whose bytes do not have its hash is not taken.
      let content = input.content.flatMap { SHA256Digest.hex(of: $0) == input.sha256 ? $0 : nil }
      try storeInputContent(
        sha256: input.sha256, bytes: input.bytes, content: content, previous: previous[input.path],
        db)
      record.inputs.removeAll { $0.path == input.path }
      record.inputs.append(
        StoredInput(path: input.path, role: input.role, sha256: input.sha256, bytes: input.bytes))
    }
    record.inputs.sort { $0.path < $1.path }
    if let manifest = b.contextManifest {
      if manifest.count <= inlineManifestLimit {
        record.manifest = manifest
      } else {
        let tree = ContextTree(manifestText: manifest)
        try insertNodes(tree, db)
        record.contextTruncated = tree.truncated
        try run(
          db, sql: "UPDATE build SET context_root = ? WHERE id = ?", arguments: [tree.root, id])
      }
    }
    try writeRecord(record.encoded(), buildID: id, target: b.row.target, db)
    return .recorded(id: id)
  }
}
