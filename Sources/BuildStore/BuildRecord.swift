import BuildLog
import Foundation

/// The part of a build that no list, filter or sort reads: its steps, kept output, FROM images,
/// warnings, inputs, context and the rarely read facts of its row. Stored as one compact binary blob
/// per build (`build_record`), compressed against an earlier build's record when that saves space.
///
/// Encoding (version 2): varints, zigzag signed varints and length-prefixed strings (see
/// ``ByteWriter``); optionals are 0 for none, else the value plus one. A step's key is stored only when
/// it is not the one read from its name. Version 2 adds the failure, build arguments and cache
/// plumbing (``InvocationCoding``) at the end; a version 1 record has none of them.
struct BuildRecord: Equatable {
  var builderName: String?
  var driver: String?
  var imageDigest: String?
  var errorMessage: String?
  var contextTransferBytes: Int64?
  var contextPath: String?
  var dockerfilePath: String?
  var contextFiles: Int?
  var contextBytes: Int64?
  var unrecognizedLines: Int = 0
  var logPath: String?
  var logBytes: Int64?
  var logLines: Int?
  var job: String?
  var command: String?
  var hasGit = false
  var gitCommittedAt: Date?
  var gitDirty: Bool?
  var gitShallow: Bool?
  var gitRoot: String?
  var ciRunID: String?
  var ciJobID: String?
  var warnings: [String] = []
  var baseImages: [StoredBaseImage] = []
  var contextEntries: [ContextEntry] = []
  var steps: [StoredStep] = []
  /// Kept output lines by step position, joined by newlines.
  var outputs: [Int: String] = [:]
  var inputs: [StoredInput] = []
  /// The context's file list when it is kept here (small contexts; large ones are a ``ContextTree``).
  var manifest: Data?
  var contextTruncated: Bool?
  var failure: StoredFailure?
  var buildArguments: [BuildArgumentFact] = []
  /// Nil for builds recorded before schema 7, and when nothing was known of the plumbing.
  var cachePlumbing: CachePlumbingFact?

  static let version: UInt8 = 2

  init() {}

  /// The cold facts of `row` with the build's other parts.
  init(row: BuildRow) {
    builderName = row.builderName
    driver = row.driver
    imageDigest = row.imageDigest
    errorMessage = row.errorMessage
    contextTransferBytes = row.contextTransferBytes
    contextPath = row.contextPath
    dockerfilePath = row.dockerfilePath
    contextFiles = row.contextFiles
    contextBytes = row.contextBytes
    unrecognizedLines = row.unrecognizedLines
    logPath = row.logPath
    logBytes = row.logBytes
    logLines = row.logLines
    job = row.job
    command = row.command
    hasGit = row.git != nil
    gitCommittedAt = row.git?.committedAt
    gitDirty = row.git?.dirty
    gitShallow = row.git?.shallow
    gitRoot = row.git?.root
    ciRunID = row.ci?.runID
    ciJobID = row.ci?.jobID
  }

  /// Fills the cold facts of `row`, whose hot columns are already read.
  func apply(to row: inout BuildRow) {
    row.builderName = builderName
    row.driver = driver
    row.imageDigest = imageDigest
    row.errorMessage = errorMessage
    row.contextTransferBytes = contextTransferBytes
    row.contextPath = contextPath
    row.dockerfilePath = dockerfilePath
    row.contextFiles = contextFiles
    row.contextBytes = contextBytes
    row.unrecognizedLines = unrecognizedLines
    row.logPath = logPath
    row.logBytes = logBytes
    row.logLines = logLines
    row.job = job
    row.command = command
    if hasGit {
      var git = row.git ?? GitFacts(commit: nil, branch: nil, subject: nil)
      git.committedAt = gitCommittedAt
      git.dirty = gitDirty
      git.shallow = gitShallow
      git.root = gitRoot
      row.git = git
    } else {
      row.git = nil
    }
    if var ci = row.ci {
      ci.runID = ciRunID
      ci.jobID = ciJobID
      row.ci = ci
    }
  }

  func encoded() -> Data {
    var w = ByteWriter()
    w.byte(Self.version)
    for text in [
      builderName, driver, imageDigest, errorMessage, contextPath, dockerfilePath, logPath, job,
      command, gitRoot, ciRunID, ciJobID,
    ] {
      w.optionalString(text)
    }
    let numbers: [Int64?] = [
      contextTransferBytes, contextFiles.map(Int64.init), contextBytes, Int64(unrecognizedLines),
      logBytes, logLines.map(Int64.init), gitCommittedAt.flatMap(UTCTimestamp.milliseconds(of:)),
      gitDirty.map { $0 ? 1 : 0 }, gitShallow.map { $0 ? 1 : 0 },
      contextTruncated.map { $0 ? 1 : 0 }, hasGit ? 1 : 0,
    ]
    for number in numbers { w.optionalSigned(number) }
    w.varint(UInt64(warnings.count))
    for warning in warnings { w.string(warning) }
    w.varint(UInt64(baseImages.count))
    for image in baseImages {
      w.optionalString(image.stage)
      w.string(image.reference)
      w.optionalString(image.digest)
      w.string(image.source)
      w.optionalSigned(image.position.map(Int64.init))
    }
    w.varint(UInt64(contextEntries.count))
    for entry in contextEntries {
      w.string(entry.name)
      w.signed(Int64(entry.files))
      w.signed(entry.bytes)
    }
    StepCoding.encode(steps, into: &w)
    w.varint(UInt64(outputs.count))
    for (position, text) in outputs.sorted(by: { $0.key < $1.key }) {
      w.signed(Int64(position))
      w.string(text)
    }
    w.varint(UInt64(inputs.count))
    for input in inputs {
      w.string(input.path)
      w.string(input.role.rawValue)
      StepCoding.encodeDigest(input.sha256, into: &w)
      w.signed(Int64(input.bytes))
    }
    if let manifest {
      w.varint(UInt64(manifest.count) + 1)
      w.raw(manifest)
    } else {
      w.varint(0)
    }
    InvocationCoding.encode(
      failure: failure, arguments: buildArguments, plumbing: cachePlumbing, into: &w)
    return Data(w.bytes)
  }

  /// Reads an encoded record; nil when the bytes are damaged. `keys` caches the keys read from step
  /// names, so that reading many records parses each distinct name once.
  init?(encoded data: Data, keys: inout [StepCoding.NameKey: String]) {
    var r = ByteReader(bytes: [UInt8](data))
    guard let version = r.take(1)?.first, version == 1 || version == Self.version else {
      return nil
    }
    var texts: [String?] = []
    for _ in 0..<12 {
      guard let text = r.optionalString() else { return nil }
      texts.append(text)
    }
    (builderName, driver, imageDigest, errorMessage) = (texts[0], texts[1], texts[2], texts[3])
    (contextPath, dockerfilePath, logPath, job) = (texts[4], texts[5], texts[6], texts[7])
    (command, gitRoot, ciRunID, ciJobID) = (texts[8], texts[9], texts[10], texts[11])
    var numbers: [Int64?] = []
    for _ in 0..<11 {
      guard let number = r.optionalSigned() else { return nil }
      numbers.append(number)
    }
    contextTransferBytes = numbers[0]
    contextFiles = numbers[1].flatMap { Int(exactly: $0) }
    contextBytes = numbers[2]
    unrecognizedLines = numbers[3].flatMap { Int(exactly: $0) } ?? 0
    logBytes = numbers[4]
    logLines = numbers[5].flatMap { Int(exactly: $0) }
    gitCommittedAt = numbers[6].map(UTCTimestamp.date(milliseconds:))
    gitDirty = numbers[7].map { $0 != 0 }
    gitShallow = numbers[8].map { $0 != 0 }
    contextTruncated = numbers[9].map { $0 != 0 }
    hasGit = numbers[10] == 1
    guard let warningCount = r.count() else { return nil }
    for _ in 0..<warningCount {
      guard let warning = r.string() else { return nil }
      warnings.append(warning)
    }
    guard let imageCount = r.count() else { return nil }
    for _ in 0..<imageCount {
      guard let stage = r.optionalString(), let reference = r.string(),
        let digest = r.optionalString(), let source = r.string(), let position = r.optionalSigned()
      else { return nil }
      baseImages.append(
        StoredBaseImage(
          stage: stage, reference: reference, digest: digest, source: source,
          position: position.flatMap { Int(exactly: $0) }))
    }
    guard let entryCount = r.count() else { return nil }
    for _ in 0..<entryCount {
      guard let name = r.string(), let files = r.signed(), let bytes = r.signed(),
        let fileCount = Int(exactly: files)
      else { return nil }
      contextEntries.append(ContextEntry(name: name, files: fileCount, bytes: bytes))
    }
    guard let steps = StepCoding.decode(&r, keys: &keys) else { return nil }
    self.steps = steps
    guard let outputCount = r.count() else { return nil }
    for _ in 0..<outputCount {
      guard let position = r.signed().flatMap({ Int(exactly: $0) }), let text = r.string() else {
        return nil
      }
      outputs[position] = text
    }
    guard let inputCount = r.count() else { return nil }
    for _ in 0..<inputCount {
      guard let path = r.string(), let role = r.string().flatMap(InputFact.Role.init(rawValue:)),
        let sha = StepCoding.decodeDigest(&r), let bytes = r.signed().flatMap({ Int(exactly: $0) })
      else { return nil }
      inputs.append(StoredInput(path: path, role: role, sha256: sha, bytes: bytes))
    }
    guard let manifestLength = r.varint() else { return nil }
    if manifestLength > 0 {
      guard let raw = r.take(Int(clamping: manifestLength - 1)) else { return nil }
      manifest = Data(raw)
    }
    if version > 1 {
      guard let invocation = InvocationCoding.decode(&r) else { return nil }
      (failure, buildArguments, cachePlumbing) = invocation
    }
    guard r.atEnd else { return nil }
  }

  /// The kept lines of step `position`.
  func lines(at position: Int) -> [String] {
    outputs[position].map { $0.components(separatedBy: "\n") } ?? []
  }
}
