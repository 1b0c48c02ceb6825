import BuildLog
import BuildStore
import Crypto
import Foundation

/// Records a log a runner uploaded, exactly as `record` on the runner would have recorded it into a
/// local history: the same parser, the same metadata, the same all-or-nothing store, idempotent on
/// the log's SHA-256 and position.
public struct UploadRecorder: Sendable {
  /// The history the builds are recorded into.
  public let store: BuildStore

  /// A recorder into `store`.
  public init(store: BuildStore) {
    self.store = store
  }

  /// Records the log at `logPath` (a file the upload was received into) with `upload`'s metadata,
  /// times and exit code. The content of each kept input comes from `inputs` (by SHA-256) or, when
  /// not sent, from the history.
  /// - Throws: ``UploadError`` when the metadata's version is unknown, a sent content does not have
  ///   its hash, or kept inputs are neither sent nor held; ``BuildtrailError`` as `record` does when
  ///   the log is empty, binary or holds no build; ``StoreError`` when the history cannot store it.
  public func record(logAt logPath: String, upload: UploadMetadata, inputs: [String: Data]) throws
    -> RecordSummary
  {
    guard upload.version == UploadMetadata.currentVersion else {
      throw UploadError.unknownVersion(upload.version)
    }
    for (sha256, content) in inputs {
      let actual = lowercaseHex(SHA256.hash(data: content))
      if actual != sha256 { throw UploadError.contentMismatch(sentAs: sha256, actual: actual) }
    }
    var contents = inputs
    var missing: [String] = []
    for sha256 in upload.keptInputs.keys.sorted() where contents[sha256] == nil {
      if let held = try store.heldInputContent(sha256: sha256) {
        contents[sha256] = held
      } else {
        missing.append(sha256)
      }
    }
    guard missing.isEmpty else { throw UploadError.missingInputs(missing) }
    let name = upload.logName ?? "the build output"
    let (log, digest): (ParsedLog, String)
    do {
      (log, digest) = try Recorder.parse(logPath)
    } catch BuildtrailError.binaryLog {
      throw BuildtrailError.binaryLog(name)
    }
    let report = try Recorder(store: store).store(
      log, digest: digest, path: upload.logName,
      metadata: Self.metadata(upload.metadata, contents: contents), now: upload.recordedAt,
      exitCode: upload.exitCode, started: upload.startedAt, ended: upload.endedAt)
    return report.summary
  }

  /// `metadata` with the content of each kept input, of the builds and of each compose service.
  static func metadata(_ metadata: RecordMetadata, contents: [String: Data]) -> RecordMetadata {
    var filled = metadata
    for index in filled.inputs.indices where filled.inputs[index].contentKept {
      filled.inputs[index].content = contents[filled.inputs[index].sha256]
    }
    filled.services = filled.services.mapValues { Self.metadata($0, contents: contents) }
    return filled
  }
}
