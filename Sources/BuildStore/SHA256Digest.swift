import Crypto
import Foundation

/// Hex SHA-256, the identity of stored blobs.
enum SHA256Digest {
  static func hex(of data: Data) -> String {
    lowercaseHex(SHA256.hash(data: data))
  }
}

/// Lowercase hex of a digest's bytes: how SHA-256 values are written everywhere in buildtrail.
public func lowercaseHex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
  let digits = Array("0123456789abcdef".utf8)
  var out: [UInt8] = []
  out.reserveCapacity(64)
  for byte in bytes {
    out.append(digits[Int(byte >> 4)])
    out.append(digits[Int(byte & 0x0F)])
  }
  return String(decoding: out, as: UTF8.self)
}
