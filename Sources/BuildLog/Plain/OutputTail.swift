/// The last lines a step printed, kept in a ring so memory stays bounded whatever the step prints.
///
/// Each slot is a buffer allocated once and reused, so keeping a line is one copy, with no allocation.
/// The slots live in one buffer this class owns (grown by doubling up to the limit), and its fields
/// skip the runtime exclusivity check (`@exclusivity(unchecked)`, see `LogParser`): only the plain
/// reader calls it, one line at a time, and it calls out to nothing.
package final class OutputTail {
  /// The longest line kept, in bytes; longer lines are cut.
  package static let maxLineBytes = 2048

  private struct Slot {
    var bytes: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var length: Int
  }

  private let limit: Int
  @exclusivity(unchecked) private var slots: UnsafeMutablePointer<Slot>?
  @exclusivity(unchecked) private var allocated = 0
  /// Slots in use, at most `limit`.
  @exclusivity(unchecked) private var used = 0
  /// The slot the next line goes to once the ring is full.
  @exclusivity(unchecked) private var next = 0

  package init(limit: Int = ParsedStep.outputTailLimit) {
    self.limit = Swift.max(1, limit)
  }

  deinit {
    guard let slots else { return }
    for i in 0..<used { slots[i].bytes.deallocate() }
    slots.deallocate()
  }

  package func append(_ line: ByteSpan) {
    let n = Swift.min(line.count, Self.maxLineBytes)
    if used < limit {
      let capacity = Swift.max(64, n)
      let p = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
      p.update(from: line.base, count: n)
      let slots = room()
      (slots + used).initialize(to: Slot(bytes: p, capacity: capacity, length: n))
      used += 1
      next = used == limit ? 0 : used
      return
    }
    guard let slots else { return }
    let slot = slots + next
    if slot.pointee.capacity < n {
      slot.pointee.bytes.deallocate()
      slot.pointee.bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.maxLineBytes)
      slot.pointee.capacity = Self.maxLineBytes
    }
    slot.pointee.bytes.update(from: line.base, count: n)
    slot.pointee.length = n
    next = next + 1 == limit ? 0 : next + 1
  }

  /// Adds raw text to the last line (BuildKit continues a partial line without a `#N` prefix).
  package func extendLast(_ text: ByteSpan) {
    guard let slots, used > 0 else { return append(text) }
    let slot = slots + ((next - 1 + used) % used)
    let length = slot.pointee.length
    let n = Swift.min(Self.maxLineBytes - length, text.count)
    guard n > 0 else { return }
    if slot.pointee.capacity < length + n {
      let p = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.maxLineBytes)
      p.update(from: slot.pointee.bytes, count: length)
      slot.pointee.bytes.deallocate()
      slot.pointee.bytes = p
      slot.pointee.capacity = Self.maxLineBytes
    }
    (slot.pointee.bytes + length).update(from: text.base, count: n)
    slot.pointee.length = length + n
  }

  /// The lines, oldest first.
  package var lines: [String] {
    guard let slots else { return [] }
    let order = used < limit ? Array(0..<used) : Array(next..<limit) + Array(0..<next)
    return order.map {
      String(
        decoding: UnsafeBufferPointer(start: slots[$0].bytes, count: slots[$0].length),
        as: UTF8.self)
    }
  }

  /// The slot buffer with room for one more slot.
  private func room() -> UnsafeMutablePointer<Slot> {
    if let slots, used < allocated { return slots }
    let grown = Swift.min(limit, Swift.max(8, allocated * 2))
    let bigger = UnsafeMutablePointer<Slot>.allocate(capacity: grown)
    if let slots {
      bigger.moveInitialize(from: slots, count: used)
      slots.deallocate()
    }
    slots = bigger
    allocated = grown
    return bigger
  }
}
