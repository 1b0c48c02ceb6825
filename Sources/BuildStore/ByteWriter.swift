import Foundation

/// Writes the store's own binary encodings, read back by ``ByteReader``: LEB128 varints, zigzag
/// signed varints, length-prefixed strings, and optionals as a leading 0 (none) or the value plus one.
struct ByteWriter {
  private(set) var bytes: [UInt8] = []

  mutating func byte(_ value: UInt8) { bytes.append(value) }

  mutating func raw<S: Sequence>(_ values: S) where S.Element == UInt8 {
    bytes.append(contentsOf: values)
  }

  mutating func varint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  /// A signed value, zigzag-encoded so that small negative numbers stay short.
  mutating func signed(_ value: Int64) {
    varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
  }

  mutating func string(_ value: String) {
    varint(UInt64(value.utf8.count))
    bytes.append(contentsOf: value.utf8)
  }

  mutating func optionalString(_ value: String?) {
    guard let value else { return varint(0) }
    varint(UInt64(value.utf8.count) + 1)
    bytes.append(contentsOf: value.utf8)
  }

  /// 0 for none, else the zigzag of the value, plus one (saturating at the largest value).
  mutating func optionalSigned(_ value: Int64?) {
    guard let value else { return varint(0) }
    let zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
    varint(zigzag == .max ? .max : zigzag + 1)
  }
}
