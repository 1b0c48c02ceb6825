/// The last lines a step printed, kept in a ring so memory stays bounded whatever the step prints.
///
/// Each slot is a buffer allocated once and reused, so keeping a line is one copy, with no allocation.
/// The ring's state is one stored value, so a call makes one (checked) access to it rather than one
/// a field.
package final class OutputTail {
  /// The longest line kept, in bytes; longer lines are cut.
  package static let maxLineBytes = 2048

  private struct Ring {
    var storage: [UnsafeMutablePointer<UInt8>] = []
    var capacities: [Int] = []
    var lengths: [Int] = []
    var next = 0
    let limit: Int

    mutating func append(_ line: ByteSpan) {
      let n = Swift.min(line.count, OutputTail.maxLineBytes)
      if storage.count < limit {
        let capacity = Swift.max(64, n)
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        p.update(from: line.base, count: n)
        storage.append(p)
        capacities.append(capacity)
        lengths.append(n)
        next = storage.count % limit
        return
      }
      if capacities[next] < n {
        storage[next].deallocate()
        storage[next] = UnsafeMutablePointer<UInt8>.allocate(capacity: OutputTail.maxLineBytes)
        capacities[next] = OutputTail.maxLineBytes
      }
      storage[next].update(from: line.base, count: n)
      lengths[next] = n
      next = (next + 1) % limit
    }

    mutating func extendLast(_ text: ByteSpan) {
      guard !storage.isEmpty else { return append(text) }
      let last = (next - 1 + storage.count) % storage.count
      let room = OutputTail.maxLineBytes - lengths[last]
      let n = Swift.min(room, text.count)
      guard n > 0 else { return }
      if capacities[last] < lengths[last] + n {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: OutputTail.maxLineBytes)
        p.update(from: storage[last], count: lengths[last])
        storage[last].deallocate()
        storage[last] = p
        capacities[last] = OutputTail.maxLineBytes
      }
      (storage[last] + lengths[last]).update(from: text.base, count: n)
      lengths[last] += n
    }

    var lines: [String] {
      let order =
        storage.count < limit ? Array(0..<storage.count) : Array(next..<limit) + Array(0..<next)
      return order.map {
        String(decoding: UnsafeBufferPointer(start: storage[$0], count: lengths[$0]), as: UTF8.self)
      }
    }
  }

  private var ring: Ring

  package init(limit: Int = ParsedStep.outputTailLimit) {
    ring = Ring(limit: limit)
  }

  deinit {
    for p in ring.storage { p.deallocate() }
  }

  package func append(_ line: ByteSpan) {
    ring.append(line)
  }

  /// Adds raw text to the last line (BuildKit continues a partial line without a `#N` prefix).
  package func extendLast(_ text: ByteSpan) {
    ring.extendLast(text)
  }

  /// The lines, oldest first.
  package var lines: [String] { ring.lines }
}
