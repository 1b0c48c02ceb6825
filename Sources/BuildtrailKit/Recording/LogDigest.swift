import BuildLog
import Crypto
import Dispatch
import Foundation

/// Parses a log and hashes its bytes at once, on two threads: a reader thread reads the log
/// (``readChunks(path:nextBuffer:_:)``) into a ring of ``slotCount`` buffers and hashes each chunk,
/// while the calling thread parses them. Reading and hashing cost about half as much as parsing,
/// so the parser never waits after the first chunk. Memory stays bounded: the reader waits for a
/// free slot. The semaphores order every hand-over; the hasher is the reader's alone until the end.
final class HashingParser: @unchecked Sendable {
  static let slotCount = 4

  private let parser = LogParser()
  private var hasher = SHA256()
  private let slots: [UnsafeMutableRawPointer]
  /// Bytes in each slot; 0 marks the end of the log. Raw memory rather than an array: each
  /// thread writes its own element, and an array's copy-on-write check would race.
  private let lengths: UnsafeMutablePointer<Int>
  /// Starts at 0 and is signalled once a slot: libdispatch traps when a semaphore is freed below
  /// the value it was made with.
  private let free = DispatchSemaphore(value: 0)
  private let filled = DispatchSemaphore(value: 0)
  /// Written by the reader thread before it marks the end.
  private var outcome: Result<Bool, Error> = .success(false)

  init() {
    slots = (0..<Self.slotCount).map { _ in
      UnsafeMutableRawPointer.allocate(byteCount: chunkBytes, alignment: 16)
    }
    lengths = .allocate(capacity: Self.slotCount)
    lengths.initialize(repeating: 0, count: Self.slotCount)
    for _ in 0..<Self.slotCount { free.signal() }
  }

  deinit {
    for slot in slots { slot.deallocate() }
    lengths.deallocate()
  }

  /// Reads, hashes and parses the log at `path` (`-` for standard input). Returns the parsed log,
  /// the SHA-256 of its bytes, and whether reading stopped early because the input is binary
  /// (see ``readChunks(path:nextBuffer:_:)``); rethrows the reader's ``LogReadError``.
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

  /// The reader thread: reads into the slots in turn, then marks the end. A slot is handed over
  /// before it is hashed (both only read it), so the parser starts on it at once.
  private func read(path: String) {
    var index = 0
    var holding = false
    do {
      outcome = .success(
        try readChunks(
          path: path,
          nextBuffer: {
            if !holding {
              self.free.wait()
              holding = true
            }
            return self.slots[index]
          },
          { chunk in
            self.lengths[index] = chunk.count
            holding = false
            self.filled.signal()
            self.hasher.update(bufferPointer: chunk)
            index = (index + 1) % Self.slotCount
          }))
    } catch {
      outcome = .failure(error)
    }
    if !holding { free.wait() }
    lengths[index] = 0
    filled.signal()
  }
}
