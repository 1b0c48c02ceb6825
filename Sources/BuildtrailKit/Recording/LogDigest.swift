import BuildLog
import Crypto
import Dispatch
import Foundation

/// Parses a log and hashes its bytes at once, on two threads: a reader thread reads the log
/// (``readChunks(path:_:)``), hashes each chunk and hands a copy of it over through a ring of
/// ``slotCount`` buffers, while the calling thread parses. Reading and hashing cost about half as
/// much as parsing, so the parser never waits after the first chunk. Memory stays bounded: the
/// reader waits for a free slot.
final class HashingParser: @unchecked Sendable {
  static let slotCount = 4
  static let slotBytes = 1 << 20

  private let parser = LogParser()
  private var hasher = SHA256()
  private let slots: [UnsafeMutableRawPointer]
  /// Bytes in each slot; 0 marks the end of the log.
  private var lengths: [Int]
  /// Starts at 0 and is signalled once a slot: libdispatch traps when a semaphore is freed below
  /// the value it was made with.
  private let free = DispatchSemaphore(value: 0)
  private let filled = DispatchSemaphore(value: 0)
  /// Written by the reader thread before it marks the end.
  private var outcome: Result<Bool, Error> = .success(false)

  init() {
    slots = (0..<Self.slotCount).map { _ in
      UnsafeMutableRawPointer.allocate(byteCount: Self.slotBytes, alignment: 16)
    }
    lengths = Array(repeating: 0, count: Self.slotCount)
    for _ in 0..<Self.slotCount { free.signal() }
  }

  deinit {
    for slot in slots { slot.deallocate() }
  }

  /// Reads, hashes and parses the log at `path` (`-` for standard input). Returns the parsed log,
  /// the SHA-256 of its bytes, and whether reading stopped early because the input is binary
  /// (see ``readChunks(path:_:)``); rethrows the reader's ``LogReadError``.
  func run(path: String) throws -> (log: ParsedLog, digest: String, binary: Bool) {
    let reader = Thread { self.read(path: path) }
    reader.stackSize = 1 << 20
    reader.start()
    var index = 0
    while true {
      filled.wait()
      let count = lengths[index]
      if count == 0 { break }
      parser.feed(UnsafeRawBufferPointer(start: slots[index], count: count))
      free.signal()
      index = (index + 1) % Self.slotCount
    }
    let binary = try outcome.get()
    return (parser.finish(), hexString(hasher.finalize()), binary)
  }

  /// The reader thread: fills the slots in turn, then marks the end.
  private func read(path: String) {
    var index = 0
    do {
      outcome = .success(
        try readChunks(path: path) { chunk in
          guard let base = chunk.baseAddress else { return }
          hasher.update(bufferPointer: chunk)
          free.wait()
          slots[index].copyMemory(from: base, byteCount: chunk.count)
          lengths[index] = chunk.count
          filled.signal()
          index = (index + 1) % Self.slotCount
        })
    } catch {
      outcome = .failure(error)
    }
    free.wait()
    lengths[index] = 0
    filled.signal()
  }
}
