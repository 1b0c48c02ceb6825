/// The readers for the formats other than plain, asked in this order.
func makeFormatReaders() -> [any LineReader] {
  [RawJSONReader(), TTYReader(), LegacyReader()]
}
