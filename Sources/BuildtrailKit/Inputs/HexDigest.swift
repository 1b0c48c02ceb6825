/// Lowercase hex of a digest's bytes: how SHA-256 values are written everywhere in buildtrail.
func hexString<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
  let digits = Array("0123456789abcdef".utf8)
  var out: [UInt8] = []
  out.reserveCapacity(64)
  for byte in bytes {
    out.append(digits[Int(byte >> 4)])
    out.append(digits[Int(byte & 0x0F)])
  }
  return String(decoding: out, as: UTF8.self)
}
