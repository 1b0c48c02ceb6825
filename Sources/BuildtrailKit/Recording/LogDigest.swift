import BuildLog
import Crypto
import Foundation

/// Parses a log and hashes its bytes in the same pass.
final class HashingParser {
  let parser = LogParser()
  private var hasher = SHA256()

  func feed(_ chunk: UnsafeRawBufferPointer) {
    hasher.update(bufferPointer: chunk)
    parser.feed(chunk)
  }

  func finish() -> (ParsedLog, String) {
    let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
    return (parser.finish(), digest)
  }
}
