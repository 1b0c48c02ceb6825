import Testing

@testable import BuildLog

@Suite struct ByteClassesTests {
  /// Knuth's MMIX linear congruential generator: deterministic, replayed by its seed.
  struct Congruential: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state ^ (state >> 29)
    }
  }

  @Test(arguments: [UInt64(1), 7, 2026])
  func agreesWithAByteByByteCheck(seed: UInt64) {
    var random = Congruential(state: seed)
    let rare: [UInt8] = [0x00, 0x1B, 0x0D, 0x09, 0x1F, 0x20, 0x7F, 0x80, 0xC3, 0xFF]
    for _ in 0..<2000 {
      let count = Int.random(in: 0...40, using: &random)
      var bytes = (0..<count).map { _ in UInt8.random(in: 0x21...0x7E, using: &random) }
      for _ in 0..<Int.random(in: 0...2, using: &random) where count > 0 {
        bytes[Int.random(in: 0..<count, using: &random)] = rare.randomElement(using: &random)!
      }
      // A line in the middle of a buffer: the bytes around it must not count.
      let padded: [UInt8] = [0x00, 0x1B, 0xFF] + bytes + [0x00, 0x1B, 0xFF]
      padded.withUnsafeBufferPointer { buffer in
        let classes = ByteClasses(of: ByteSpan(base: buffer.baseAddress! + 3, count: count))
        #expect(classes.nonASCII == bytes.contains { $0 >= 0x80 }, "seed \(seed): \(bytes)")
        #expect(classes.escape == bytes.contains(0x1B), "seed \(seed): \(bytes)")
        #expect(classes.nul == bytes.contains(0), "seed \(seed): \(bytes)")
        #expect(classes.control == bytes.contains { $0 < 0x20 }, "seed \(seed): \(bytes)")
      }
    }
  }

  @Test func seesANULInTheDroppedPartOfACutLine() {
    var bytes = Array("#1 [1/1] RUN x\n#1 0.1 ".utf8)
    bytes += [UInt8](repeating: 0x61, count: LineSplitter.maxLineBytes + 10) + [0x00, 0x61, 0x0A]
    bytes += Array("#1 DONE 1.0s\n".utf8)
    // In chunks, as `record` reads: the long line spans chunks and is cut.
    let parser = LogParser()
    for start in stride(from: 0, to: bytes.count, by: 1 << 16) {
      parser.feed(Array(bytes[start..<min(start + (1 << 16), bytes.count)]))
    }
    let log = parser.finish()
    #expect(log.cutLineCount == 1)
    #expect(log.containsNUL)
    #expect(!LogParser.parse(Array("#1 [1/1] RUN x\n#1 0.1 ok\n#1 DONE 1.0s\n".utf8)).containsNUL)
  }

  @Test(arguments: [
    "12.345 x", "0.1", "1.5 ", "12", "1. x", ".5 x", "1.5x", "a1.5 ", "", "1.2.3 x",
  ])
  func readsTheElapsedStampAsTheDecimalReaderDoes(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.append(0)
    bytes.withUnsafeBufferPointer { buffer in
      let span = ByteSpan(base: buffer.baseAddress!, count: buffer.count - 1)
      let expected = span.leadingDecimal().flatMap { _, used -> Int? in
        let followed = used < span.count ? span[used] == 0x20 : true
        return followed && span.prefix(used).contains(UInt8(ascii: ".")) ? used : nil
      }
      #expect(span.elapsedStampLength() == expected, "\(text)")
    }
  }
}
