import Crypto
import Foundation

/// Hex SHA-256, the identity of stored blobs.
enum SHA256Digest {
  static func hex(of data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
  }
}
