import BuildLog
import Crypto
import Dispatch
import Foundation

/// Parses a log and hashes its bytes in the same pass: the hash runs on a second thread over the
/// same chunk while the parser reads it, and the chunk is released only when both are done.
final class HashingParser: @unchecked Sendable {
  let parser = LogParser()
  private var hasher = SHA256()
  private let hashQueue = DispatchQueue(label: "buildtrail.log-hash")

  /// Reads one chunk; it must stay valid until this returns.
  func feed(_ chunk: UnsafeRawBufferPointer) {
    guard chunk.count >= 64 * 1024 else {
      hasher.update(bufferPointer: chunk)
      parser.feed(chunk)
      return
    }
    let done = DispatchGroup()
    nonisolated(unsafe) let shared = chunk
    hashQueue.async(group: done) { self.hasher.update(bufferPointer: shared) }
    parser.feed(chunk)
    done.wait()
  }

  func finish() -> (ParsedLog, String) {
    let digest = hexString(hasher.finalize())
    return (parser.finish(), digest)
  }
}
