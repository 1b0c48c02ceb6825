/// The last lines a step printed, kept in a ring so memory stays bounded whatever the step prints.
package struct OutputTail {
  /// The longest line kept, in bytes; longer lines are cut.
  package static let maxLineBytes = 2048

  private var slots: [[UInt8]] = []
  private var next = 0
  private let limit: Int

  package init(limit: Int = ParsedStep.outputTailLimit) {
    self.limit = limit
  }

  package mutating func append(_ line: ByteSpan) {
    let piece = UnsafeBufferPointer(start: line.base, count: Swift.min(line.count, Self.maxLineBytes))
    if slots.count < limit {
      slots.append(Array(piece))
      next = slots.count % limit
    } else {
      slots[next].removeAll(keepingCapacity: true)
      slots[next].append(contentsOf: piece)
      next = (next + 1) % limit
    }
  }

  /// Adds raw text to the last line (BuildKit continues a partial line without a `#N` prefix).
  package mutating func extendLast(_ text: ByteSpan) {
    guard !slots.isEmpty else { return append(text) }
    let last = (next - 1 + slots.count) % slots.count
    let room = Self.maxLineBytes - slots[last].count
    if room > 0 {
      slots[last].append(contentsOf: UnsafeBufferPointer(start: text.base, count: Swift.min(room, text.count)))
    }
  }

  /// The lines, oldest first.
  package var lines: [String] {
    let ordered = slots.count < limit ? slots : Array(slots[next...]) + Array(slots[..<next])
    return ordered.map { String(decoding: $0, as: UTF8.self) }
  }
}
