import BuildStore
import Foundation

/// Appends the wrapped build's output to its spool log as it arrives, each line stamped with the
/// time it arrived. The first write error stops spooling for good; it never reaches the caller.
final class SpoolWriter: @unchecked Sendable {
  private let lock = NSLock()
  private let fd: Int32
  private var partial: [Int32: [UInt8]] = [:]
  private var closed = false
  /// The errno of the write that failed, once one has.
  private(set) var failure: Int32?

  /// Writes to `fd`, which stays the caller's to close.
  init(fd: Int32) {
    self.fd = fd
  }

  /// Takes a chunk of `stream`'s output: its complete lines are stamped and written, the rest waits
  /// for the next chunk of the same stream.
  /// The longest line kept whole: longer output without a newline is cut into lines this long.
  static let longestLine = 1 << 20

  func take(_ chunk: UnsafeRawBufferPointer, from stream: Int32) {
    lock.lock()
    defer { lock.unlock() }
    guard !closed, failure == nil else { return }
    var pending = partial[stream, default: []]
    var out: [UInt8] = []
    var start = 0
    for i in 0..<chunk.count where chunk[i] == 0x0A {
      pending.append(contentsOf: chunk[start...i])
      stamp(pending, at: Date(), into: &out)
      pending.removeAll(keepingCapacity: true)
      start = i + 1
    }
    pending.append(contentsOf: chunk[start..<chunk.count])
    // Output with no newline (a `\r` progress bar, `docker save`) is stamped in 1 MiB pieces, as the
    // parser would cut it anyway, so the pass-through's memory stays bounded.
    while pending.count >= Self.longestLine {
      stamp(Array(pending.prefix(Self.longestLine)), at: Date(), into: &out)
      pending.removeFirst(Self.longestLine)
    }
    partial[stream] = pending
    write(out)
  }

  /// Writes the unfinished lines and ignores what comes later (from processes the build left behind).
  func finish() {
    lock.lock()
    defer { lock.unlock() }
    guard !closed else { return }
    var out: [UInt8] = []
    for key in partial.keys.sorted() where partial[key]?.isEmpty == false {
      stamp(partial[key] ?? [], at: Date(), into: &out)
    }
    partial = [:]
    if failure == nil { write(out) }
    closed = true
  }

  private func stamp(_ line: [UInt8], at date: Date, into out: inout [UInt8]) {
    out.append(contentsOf: Self.timestamp(date).utf8)
    out.append(0x20)
    out.append(contentsOf: line)
    if out.last != 0x0A { out.append(0x0A) }
  }

  private func write(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { buffer in
      var written = 0
      while written < buffer.count {
        let n = Foundation.write(fd, buffer.baseAddress! + written, buffer.count - written)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 {
          failure = n < 0 ? errno : ENOSPC
          return
        }
        written += n
      }
    }
  }

  /// A GitHub-Actions-style timestamp, which the parser reads as wall-clock time. The log's hash
  /// covers the stamped lines, so two runs never count as the same log.
  static func timestamp(_ date: Date) -> String {
    UTCTimestamp.string(from: date, fractionDigits: 7, rounding: .down)
  }
}
