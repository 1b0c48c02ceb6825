import BuildLog
import Foundation

/// The binary form, inside a ``BuildRecord`` (version 2), of what a build failed on, the build
/// arguments it was given and its cache plumbing: facts that only the build's own pages read.
///
/// Failure: 0 for none, else 1, the step position, tool, message, signature, lines and exit code.
/// Arguments: count, then per argument its name, value (never a secret's), the digest of its value
/// (0 for none, else ``StepCoding/encodeDigest(_:into:)``) and a flag byte (1 secret, 2 from the
/// environment, 4 given as `record --build-arg`). Plumbing: 0 for none, else 1, a flag byte (1 command
/// known, 2 `--no-cache`, 4 booted builder), the four lists, the `--builder` flag and the cache imports.
enum InvocationCoding {
  static func encode(
    failure: StoredFailure?, arguments: [BuildArgumentFact], plumbing: CachePlumbingFact?,
    into w: inout ByteWriter
  ) {
    if let failure {
      w.byte(1)
      w.optionalSigned(failure.stepPosition.map(Int64.init))
      w.string(failure.tool)
      w.string(failure.message)
      w.string(failure.signature)
      strings(failure.lines, into: &w)
      w.optionalSigned(failure.exitCode.map(Int64.init))
    } else {
      w.byte(0)
    }
    w.varint(UInt64(arguments.count))
    for argument in arguments {
      w.string(argument.name)
      w.optionalString(argument.secret ? nil : argument.value)
      if let sha = argument.sha256 {
        w.byte(1)
        StepCoding.encodeDigest(sha, into: &w)
      } else {
        w.byte(0)
      }
      w.byte(
        (argument.secret ? 1 : 0) | (argument.fromEnvironment ? 2 : 0)
          | (argument.source == .option ? 4 : 0))
    }
    guard let plumbing else { return w.byte(0) }
    w.byte(1)
    w.byte(
      (plumbing.commandKnown ? 1 : 0) | (plumbing.noCache ? 2 : 0)
        | (plumbing.bootedBuilder ? 4 : 0))
    for list in [
      plumbing.noCacheFilter, plumbing.cacheFrom, plumbing.cacheTo, plumbing.cacheExports,
    ] {
      strings(list, into: &w)
    }
    w.optionalString(plumbing.builderFlag)
    w.varint(UInt64(plumbing.cacheImports.count))
    for cacheImport in plumbing.cacheImports {
      w.string(cacheImport.reference)
      w.string(cacheImport.outcome.rawValue)
      w.optionalString(cacheImport.error)
    }
  }

  /// The three parts; nil when the bytes are damaged.
  static func decode(_ r: inout ByteReader) -> (
    failure: StoredFailure?, arguments: [BuildArgumentFact], plumbing: CachePlumbingFact?
  )? {
    guard let hasFailure = r.take(1)?.first else { return nil }
    var failure: StoredFailure?
    if hasFailure == 1 {
      guard let position = r.optionalSigned(), let tool = r.string(), let message = r.string(),
        let signature = r.string(), let lines = strings(&r), let exitCode = r.optionalSigned()
      else { return nil }
      failure = StoredFailure(
        stepPosition: position.flatMap { Int(exactly: $0) }, tool: tool, message: message,
        signature: signature, lines: lines, exitCode: exitCode.flatMap { Int(exactly: $0) })
    }
    guard let argumentCount = r.count() else { return nil }
    var arguments: [BuildArgumentFact] = []
    for _ in 0..<argumentCount {
      guard let name = r.string(), let value = r.optionalString(), let hasSHA = r.take(1)?.first
      else { return nil }
      var sha: String?
      if hasSHA == 1 {
        guard let digest = StepCoding.decodeDigest(&r) else { return nil }
        sha = digest
      }
      guard let flags = r.take(1)?.first else { return nil }
      arguments.append(
        BuildArgumentFact(
          name: name, value: value, sha256: sha, secret: flags & 1 != 0,
          source: flags & 4 != 0 ? .option : .command, fromEnvironment: flags & 2 != 0))
    }
    guard let hasPlumbing = r.take(1)?.first else { return nil }
    guard hasPlumbing == 1 else { return (failure, arguments, nil) }
    guard let flags = r.take(1)?.first, let noCacheFilter = strings(&r),
      let cacheFrom = strings(&r),
      let cacheTo = strings(&r), let cacheExports = strings(&r),
      let builderFlag = r.optionalString(), let importCount = r.count()
    else { return nil }
    var imports: [BuilderEvidence.CacheImport] = []
    for _ in 0..<importCount {
      guard let reference = r.string(),
        let outcome = r.string().map({ BuilderEvidence.ImportOutcome(rawValue: $0) ?? .unfinished }
        ),
        let error = r.optionalString()
      else { return nil }
      imports.append(
        BuilderEvidence.CacheImport(reference: reference, outcome: outcome, error: error))
    }
    let plumbing = CachePlumbingFact(
      commandKnown: flags & 1 != 0, noCache: flags & 2 != 0, noCacheFilter: noCacheFilter,
      cacheFrom: cacheFrom, cacheTo: cacheTo, builderFlag: builderFlag,
      bootedBuilder: flags & 4 != 0, cacheImports: imports, cacheExports: cacheExports)
    return (failure, arguments, plumbing)
  }

  private static func strings(_ values: [String], into w: inout ByteWriter) {
    w.varint(UInt64(values.count))
    for value in values { w.string(value) }
  }

  private static func strings(_ r: inout ByteReader) -> [String]? {
    guard let count = r.count() else { return nil }
    var values: [String] = []
    for _ in 0..<count {
      guard let value = r.string() else { return nil }
      values.append(value)
    }
    return values
  }
}
