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

extension ByteReader {
  /// A zigzag-encoded signed varint.
  mutating func signed() -> Int64? {
    varint().map { Int64(bitPattern: ($0 >> 1) ^ (0 &- ($0 & 1))) }
  }

  /// An optional string written by ``ByteWriter/optionalString(_:)``: `.some(nil)` for none, nil when damaged.
  mutating func optionalString() -> String?? {
    guard let length = varint() else { return nil }
    if length == 0 { return .some(nil) }
    guard length - 1 <= UInt64(bytes.count - offset), let raw = take(Int(length - 1)) else {
      return nil
    }
    return .some(String(decoding: raw, as: UTF8.self))
  }

  /// An optional signed value written by ``ByteWriter/optionalSigned(_:)``.
  mutating func optionalSigned() -> Int64?? {
    guard let value = varint() else { return nil }
    if value == 0 { return .some(nil) }
    let zigzag = value - 1
    return .some(Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1))))
  }
}

extension ByteReader {
  /// A count of items that follow, each at least one byte: nil past what the bytes can hold.
  mutating func count() -> Int? {
    guard let value = varint(), value <= UInt64(bytes.count - offset) else { return nil }
    return Int(value)
  }
}
