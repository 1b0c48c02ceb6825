import BuildStore

/// Lowercase hex of a digest's bytes: how SHA-256 values are written everywhere in buildtrail.
func hexString<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
  lowercaseHex(bytes)
}
