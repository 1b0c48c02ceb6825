import BuildLog
import Crypto
import Foundation
import Testing

@testable import BuildtrailKit

@Suite struct HashingParserTests {
  func temporaryFile(_ bytes: [UInt8]) throws -> String {
    let path = NSTemporaryDirectory() + "hashing-parser-\(UUID().uuidString).log"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// A log of about `lines` output lines, long enough to go round the ring of slots several times.
  func log(lines: Int) -> [UInt8] {
    var text = "#0 building with \"default\" instance using docker driver\n\n#1 [1/2] RUN make\n"
    for i in 0..<lines {
      text += "#1 \(i / 100).\(i % 100 + 100) compiling unit \(i) of the build\n"
    }
    text += "#1 DONE 12.5s\n\n#2 [2/2] COPY . /app\n#2 CACHED\n"
    return Array(text.utf8)
  }

  @Test(arguments: [0, 1, 300_000])
  func parsesAndHashesAsTheOneThreadReadersDo(lines: Int) throws {
    let bytes = log(lines: lines)
    let path = try temporaryFile(bytes)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try HashingParser().run(path: path)
    if lines > 1 { #expect(bytes.count > chunkBytes * HashingParser.slotCount * 2) }
    #expect(result.log == LogParser.parse(bytes))
    #expect(
      result.digest == SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined())
    #expect(!result.binary)
    #expect(result.log.builds.first?.steps.first?.outputLineCount == lines)
  }

  @Test func parsesAnEmptyFile() throws {
    let path = try temporaryFile([])
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try HashingParser().run(path: path)
    #expect(result.log.byteCount == 0)
    #expect(result.digest == SHA256.hash(data: Data()).map { String(format: "%02x", $0) }.joined())
  }

  @Test func stopsOnBinaryInputAndReportsIt() throws {
    let path = try temporaryFile([UInt8](repeating: 0, count: chunkBytes * 3))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try HashingParser().run(path: path)
    #expect(result.binary)
    #expect(result.log.byteCount == Int64(chunkBytes))
  }

  @Test func rethrowsTheReadError() {
    #expect(throws: LogReadError.self) {
      try HashingParser().run(path: "/nonexistent/buildtrail-\(UUID().uuidString).log")
    }
  }
}
