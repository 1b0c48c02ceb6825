/// A borrowed run of bytes: one line of the log, valid only while the chunk it points into is.
package struct ByteSpan {
  package var base: UnsafePointer<UInt8>
  package var count: Int

  package init(base: UnsafePointer<UInt8>, count: Int) {
    self.base = base
    self.count = count
  }

  @inline(__always) package subscript(_ i: Int) -> UInt8 { base[i] }
  @inline(__always) package var isEmpty: Bool { count == 0 }

  @inline(__always) package func dropFirst(_ n: Int) -> ByteSpan {
    let k = Swift.min(n, count)
    return ByteSpan(base: base + k, count: count - k)
  }

  @inline(__always) package func prefix(_ n: Int) -> ByteSpan {
    ByteSpan(base: base, count: Swift.min(n, count))
  }

  /// Whether the span starts with the ASCII text `p`.
  @inline(__always) package func hasPrefix(_ p: StaticString) -> Bool {
    let n = p.utf8CodeUnitCount
    guard count >= n else { return false }
    return memcmp(base, p.utf8Start, n) == 0
  }

  /// Whether the span is exactly the ASCII text `p`.
  @inline(__always) package func equals(_ p: StaticString) -> Bool {
    count == p.utf8CodeUnitCount && hasPrefix(p)
  }

  package func equals(_ bytes: [UInt8]) -> Bool {
    guard bytes.count == count else { return false }
    return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, base, count) == 0 }
  }

  package func firstIndex(of byte: UInt8, from start: Int = 0) -> Int? {
    guard start < count, let p = memchr(base + start, Int32(byte), count - start) else {
      return nil
    }
    return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
  }

  package func contains(_ byte: UInt8) -> Bool { firstIndex(of: byte) != nil }

  /// The span without spaces and tabs at its end.
  package func trimmingTrailingSpaces() -> ByteSpan {
    var n = count
    while n > 0, base[n - 1] == 0x20 || base[n - 1] == 0x09 { n -= 1 }
    return ByteSpan(base: base, count: n)
  }

  /// Whether any byte is 0x80 or above (checked eight bytes at a time).
  package var hasNonASCII: Bool {
    var i = 0
    let raw = UnsafeRawPointer(base)
    while i + 8 <= count {
      if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
        return true
      }
      i += 8
    }
    while i < count {
      if base[i] >= 0x80 { return true }
      i += 1
    }
    return false
  }

  /// Whether the bytes are well-formed UTF-8.
  package var isValidUTF8: Bool {
    var i = 0
    while i < count {
      let c = base[i]
      if c < 0x80 {
        i += 1
        continue
      }
      let length: Int
      var low: UInt8 = 0x80
      var high: UInt8 = 0xBF
      switch c {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        low = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        high = 0x9F
      case 0xF0:
        length = 4
        low = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        high = 0x8F
      default: return false
      }
      guard i + length <= count, base[i + 1] >= low, base[i + 1] <= high else { return false }
      for k in 2..<max(2, length) where base[i + k] & 0xC0 != 0x80 { return false }
      i += length
    }
    return true
  }

  package var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

  /// The bytes as a String, invalid UTF-8 replaced with U+FFFD.
  package var string: String {
    String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
  }

  /// Reads a decimal number `12.3` at the start; returns it and the bytes used (see ``LogNumber``).
  @inline(__always) package func leadingDecimal() -> (value: Double, length: Int)? {
    LogNumber.decimal(base, count: count)
  }

  /// The length of the `12.345` that starts a BuildKit log line (digits, a dot, digits), when a
  /// space or the end follows it; nil otherwise. Equal to the length ``leadingDecimal()`` reads
  /// when that holds a dot, without computing the value.
  @inline(__always) package func elapsedStampLength() -> Int? {
    var i = 0
    while i < count, base[i] &- 0x30 < 10 { i &+= 1 }
    guard i > 0, i < count, base[i] == UInt8(ascii: ".") else { return nil }
    i &+= 1
    let fraction = i
    while i < count, base[i] &- 0x30 < 10 { i &+= 1 }
    guard i > fraction, i == count || base[i] == 0x20 else { return nil }
    return i
  }

  /// Reads a non-negative integer at the start; returns it and the bytes used.
  @inline(__always) package func leadingInteger() -> (value: Int, length: Int)? {
    var i = 0
    var value = 0
    while i < count, i < 18, base[i] >= 0x30, base[i] <= 0x39 {
      value = value * 10 + Int(base[i] - 0x30)
      i += 1
    }
    return i == 0 ? nil : (value, i)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
