/// Splits a byte stream into lines at `\n`, in chunks, keeping at most ``maxLineBytes`` of any line.
package struct LineSplitter {
  /// The longest line kept; the rest of a longer line is dropped (and counted).
  package static let maxLineBytes = 1 << 20

  private var carry: [UInt8] = []
  private var discardingRestOfLine = false
  /// Lines longer than ``maxLineBytes`` that were cut.
  package private(set) var cutLineCount = 0
  /// Whether the bytes dropped from cut lines held a NUL (the lines passed on are not checked here).
  package private(set) var droppedNUL = false

  package init() {}

  /// Calls `body` for each complete line in `chunk` (without its `\n`).
  package mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (ByteSpan) -> Void) {
    guard let raw = chunk.baseAddress, chunk.count > 0 else { return }
    let start = raw.assumingMemoryBound(to: UInt8.self)
    let all = ByteSpan(base: start, count: chunk.count)
    var position = 0
    while position < all.count {
      guard let newline = all.firstIndex(of: 0x0A, from: position) else {
        keep(ByteSpan(base: start + position, count: all.count - position))
        return
      }
      let piece = ByteSpan(base: start + position, count: newline - position)
      if carry.isEmpty && !discardingRestOfLine {
        body(piece)
      } else {
        keep(piece)
        emitCarry(body)
      }
      position = newline + 1
    }
  }

  /// Calls `body` for the last line when the stream did not end with `\n`.
  package mutating func finish(_ body: (ByteSpan) -> Void) {
    if !carry.isEmpty || discardingRestOfLine { emitCarry(body) }
  }

  private mutating func keep(_ piece: ByteSpan) {
    if discardingRestOfLine { return noteDropped(piece) }
    let room = Self.maxLineBytes - carry.count
    if piece.count > room {
      noteDropped(piece.dropFirst(room))
      carry.append(contentsOf: UnsafeBufferPointer(start: piece.base, count: room))
      discardingRestOfLine = true
      cutLineCount += 1
    } else {
      carry.append(contentsOf: UnsafeBufferPointer(start: piece.base, count: piece.count))
    }
  }

  private mutating func noteDropped(_ piece: ByteSpan) {
    if !droppedNUL, piece.contains(0) { droppedNUL = true }
  }

  private mutating func emitCarry(_ body: (ByteSpan) -> Void) {
    carry.withUnsafeBufferPointer { buffer in
      if let b = buffer.baseAddress {
        body(ByteSpan(base: b, count: buffer.count))
      } else {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { empty in
          body(ByteSpan(base: UnsafePointer(empty.baseAddress!), count: 0))
        }
      }
    }
    carry.removeAll(keepingCapacity: carry.count <= 1 << 16)
    discardingRestOfLine = false
  }
}
