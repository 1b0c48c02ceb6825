import Foundation
import Testing

/// Compares rendered text with a golden file in `Snapshots/` next to this file.
///
/// Run with `RECORD_SNAPSHOTS=1` to rewrite the files; the test then fails, so a re-record is never silent.
enum ChartSnapshot {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots")

  static var recording: Bool {
    let value = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] ?? ""
    return !value.isEmpty && value != "0"
  }

  static func check(
    _ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let url = directory.appendingPathComponent(name)
    if recording {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try Data(actual.utf8).write(to: url)
      Issue.record(
        "recorded \(name); run again without RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
      return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      Issue.record(
        "no golden file \(name); record it with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
      return
    }
    guard actual != expected else { return }
    let got = actual.components(separatedBy: "\n")
    let want = expected.components(separatedBy: "\n")
    let line =
      zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset
      ?? min(got.count, want.count)
    let gotLine = line < got.count ? got[line] : "<end>"
    let wantLine = line < want.count ? want[line] : "<end>"
    Issue.record(
      "\(name) differs from its golden file at line \(line + 1):\n  got:  \(gotLine)\n  want: \(wantLine)",
      sourceLocation: sourceLocation)
  }
}
