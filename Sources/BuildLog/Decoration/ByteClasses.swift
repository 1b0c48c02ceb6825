/// Which rare bytes a line holds, found in one pass eight bytes at a time, so that the common line
/// (ASCII, no escape, no NUL) skips the searches for them.
package struct ByteClasses {
  /// A byte of 0x80 or above.
  package var nonASCII = false
  /// An ESC (0x1B): the line may carry ANSI sequences.
  package var escape = false
  /// A NUL byte.
  package var nul = false
  /// A control byte (below 0x20: tab, CR, ESC, NUL…).
  package var control = false

  package init(nonASCII: Bool = false, escape: Bool = false, nul: Bool = false) {
    self.nonASCII = nonASCII
    self.escape = escape
    self.nul = nul
    control = escape || nul
  }

  /// The classes of the bytes of `span`: one pass finds whether any byte is non-ASCII or a control
  /// byte (below 0x20); only a line with a control byte is searched for ESC and NUL.
  @inline(__always)
  package init(of span: ByteSpan) {
    let count = span.count
    var high: UInt64 = 0
    var control: UInt64 = 0
    if count >= 8 {
      let raw = UnsafeRawPointer(span.base)
      let spaces: UInt64 = 0x2020_2020_2020_2020
      var i = 0
      while i &+ 8 < count {
        let v = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        high |= v
        control |= (v &- spaces) & ~v
        i &+= 8
      }
      // The last word may overlap the one before: a byte read twice changes nothing.
      let v = raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
      high |= v
      control |= (v &- spaces) & ~v
    } else {
      for i in 0..<count {
        let c = UInt64(span.base[i])
        high |= c
        control |= c < 0x20 ? 0x80 : 0
      }
    }
    let highs: UInt64 = 0x8080_8080_8080_8080
    nonASCII = high & highs != 0
    if control & highs != 0 {
      self.control = true
      escape = span.contains(0x1B)
      nul = span.contains(0)
    }
  }
}
