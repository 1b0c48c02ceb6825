import Foundation
import Testing

@testable import BuildLog

/// Bad input never crashes the parser: every real log, cut, corrupted and fed in odd chunk sizes.
@Suite struct MutationFuzzTests {
  struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
  }

  /// The base seed; each file's generator starts from it and the file's name (FNV-1a), the same in
  /// every process. Set BUILDTRAIL_FUZZ_SEED to replay another base seed.
  static let baseSeed: UInt64 =
    ProcessInfo.processInfo.environment["BUILDTRAIL_FUZZ_SEED"].flatMap { UInt64($0) }
    ?? 0x6275_696C_6474_7261

  static func seed(for url: URL) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in url.lastPathComponent.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return baseSeed ^ hash
  }

  static let corpusLogs: [URL] = logFiles(in: Corpus.directory)
  static let logs: [URL] = corpusLogs + logFiles(in: Fixtures.directory)

  static func logFiles(in directory: URL) -> [URL] {
    let files =
      (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil))
      ?? []
    return files.filter { ["log", "jsonl", "json"].contains($0.pathExtension) }.sorted {
      $0.path < $1.path
    }
  }

  @Test(.enabled(if: Corpus.isAvailable, Corpus.missing))
  func theCorpusLogsAreAmongTheCases() {
    #expect(Self.corpusLogs.count >= 34, "corpus files found: \(Self.corpusLogs.count)")
  }

  @Test func theSeedIsTheSameInEveryProcess() {
    #expect(
      Self.seed(for: URL(fileURLWithPath: "/x/a.log")) == Self.baseSeed ^ 0x3A52_19B5_3086_022C)
  }

  @Test(arguments: logs)
  func mutatedLogsParseWithoutCrashing(_ url: URL) throws {
    let original = Array(try Data(contentsOf: url))
    let seed = Self.seed(for: url)
    var random = Generator(state: seed)
    let specials: [[UInt8]] = [
      [0], [0x1B], [0x1B, 0x5B], [0x0D], [0x0A], [0xFF], [0xE2, 0x94], [0x23],
      [0x23, 0x39, 0x39, 0x20], Array("#1 DONE ".utf8), Array("#2 -".utf8), Array("\t".utf8),
    ]
    for round in 0..<60 {
      var bytes = original
      switch round % 4 {
      case 0:
        bytes = Array(bytes.prefix(random.below(bytes.count + 1)))
      case 1:
        for _ in 0..<(1 + random.below(20)) where !bytes.isEmpty {
          bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
        }
      case 2:
        for _ in 0..<(1 + random.below(10)) {
          let special = specials[random.below(specials.count)]
          bytes.insert(contentsOf: special, at: random.below(bytes.count + 1))
        }
      default:
        if !bytes.isEmpty {
          let start = random.below(bytes.count)
          bytes.removeSubrange(start..<min(bytes.count, start + random.below(200)))
        }
      }
      let parser = LogParser()
      var i = 0
      while i < bytes.count {
        let n = min(bytes.count - i, 1 + random.below(4096))
        parser.feed(Array(bytes[i..<(i + n)]))
        i += n
      }
      let log = parser.finish()
      let replay =
        "\(url.lastPathComponent) round \(round), seed \(seed) (BUILDTRAIL_FUZZ_SEED=\(Self.baseSeed))"
      #expect(log.byteCount == Int64(bytes.count), "\(replay)")
      #expect(log.lineCount >= bytes.filter { $0 == 0x0A }.count, "\(replay)")
    }
  }
}
