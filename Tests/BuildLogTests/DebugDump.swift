import Foundation
import Testing
@testable import BuildLog

@Test func debugDump() throws {
  guard let path = ProcessInfo.processInfo.environment["DUMP_LOG"] else { return }
  let parser = LogParser()
  parser.feed(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
  let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
  let unknown = parser.unrecognizedLineNumbers
  let log = parser.finish()
  for b in log.builds {
    print("BUILD \(b.format) \(b.outcome) lines \(b.firstLine)-\(b.lastLine) job=\(b.job ?? "-") builder=\(b.builderName ?? "-") err=\(b.errorMessage ?? "-") ctx=\(b.contextTransferBytes ?? -1) img=\(b.imageNames) dig=\(b.imageDigest ?? "-") unk=\(b.unrecognizedLineCount) warn=\(b.warnings)")
    for s in b.steps { print("  #\(s.vertex) \(s.status) \(s.duration.map { String($0) } ?? "-") out=\(s.outputLineCount) key=\(s.parsedName.stableKey) err=\(s.errorText ?? "")") }
  }
  for n in unknown { print("UNK \(n): \(lines[n-1].prefix(120))") }
}
