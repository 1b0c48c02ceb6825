import Foundation
import Testing

@testable import BuildLog

/// The inputs that made the parser fuzzer (`Fuzz/run-parser.sh`) fail, and the hostile numbers of
/// issue 7: each parses, whole and in odd chunks alike, and stores no value out of range.
@Suite struct FuzzFindingTests {
  static let directory = Fixtures.directory.appendingPathComponent("fuzz")
  static let inputs = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
    .sorted()

  @Test func thereAreFindingsToReplay() {
    #expect(Self.inputs.count >= 9)
  }

  @Test(arguments: inputs)
  func parsesWithinRangeWholeAndInChunks(_ name: String) throws {
    let bytes = Array(try Data(contentsOf: Self.directory.appendingPathComponent(name)))
    let whole = LogParser.parse(bytes)
    for build in whole.builds {
      #expect(
        build.contextTransferBytes.map { (0...LogNumber.maxBytes).contains($0) } ?? true, "\(name)")
      for date in [build.startedAt, build.endedAt]
        + build.steps.flatMap({ [$0.startedAt, $0.completedAt] })
      {
        #expect(date.map { LogNumber.times.contains($0.timeIntervalSince1970) } ?? true, "\(name)")
      }
      for seconds in build.steps.compactMap(\.duration) + build.steps.flatMap(\.doneDurations) {
        #expect(LogNumber.seconds(seconds) == .valid(seconds), "\(name)")
      }
    }
    for size in [1, 2, 3, 7, 13, 64, 4093] {
      let parser = LogParser()
      var offset = 0
      while offset < bytes.count {
        let end = min(bytes.count, offset + size)
        parser.feed(Array(bytes[offset..<end]))
        offset = end
      }
      #expect(parser.finish() == whole, "\(name) in chunks of \(size)")
    }
  }
}
