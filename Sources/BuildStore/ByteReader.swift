import Foundation

/// Reads the store's own binary encodings (varints, length-prefixed strings) without trapping on
/// damaged bytes: every read returns nil past the end.
struct ByteReader {
  let bytes: [UInt8]
  private(set) var offset = 0

  init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  var atEnd: Bool { offset >= bytes.count }

  /// The next `count` bytes.
  mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
    guard count >= 0, count <= bytes.count - offset else { return nil }
    defer { offset += count }
    return bytes[offset..<(offset + count)]
  }

  /// A LEB128 unsigned varint of at most 10 bytes.
  mutating func varint() -> UInt64? {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while offset < bytes.count, shift < 64 {
      let b = bytes[offset]
      offset += 1
      value |= UInt64(b & 0x7F) << shift
      if b < 0x80 { return value }
      shift += 7
    }
    return nil
  }

  /// A varint length, then that many bytes of UTF-8.
  mutating func string() -> String? {
    guard let length = varint(), length <= UInt64(bytes.count - offset), let raw = take(Int(length))
    else {
      return nil
    }
    return String(decoding: raw, as: UTF8.self)
  }
}
