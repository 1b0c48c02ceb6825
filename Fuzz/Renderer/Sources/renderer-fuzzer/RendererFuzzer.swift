import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation
import FuzzDriver

/// Records the input as a log (twice, the second time with a line more, so there is a pair to compare),
/// with its first lines as labels and git facts, then renders that history through every renderer.
/// Traps when an output breaks its promise: terminal output with a raw control character or a foreign
/// escape sequence, JSON that does not parse, HTML with a raw control character.
enum RendererFuzzer {
  static let scratch = "/dev/shm/buildtrail-renderer-fuzz-\(getpid()).log"

  static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let store = try? BuildStore.inMemory() else { fatalError("no in-memory store") }
    let recorder = Recorder(store: store)
    let head = String(decoding: bytes.prefix(512), as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    func line(_ i: Int) -> String { i < head.count ? String(head[i].prefix(80)) : "" }
    for round in 0..<2 {
      var data = Data(bytes)
      if round == 1 { data.append(0x0A) }
      guard (try? data.write(to: URL(fileURLWithPath: scratch))) != nil else {
        fatalError("cannot write \(scratch)")
      }
      let metadata = RecordMetadata(
        target: line(3).isEmpty ? nil : line(3), labels: ["k\(line(0))": line(1)],
        git: GitFacts(
          commit: "\(round)\(line(2))", branch: line(1), subject: line(0), dirty: round == 1),
        ci: CIFacts(provider: line(2), runID: line(3), url: line(4)))
      guard
        let report = try? recorder.record(
          logAt: scratch, metadata: metadata, now: Date(timeIntervalSince1970: 1e9 + Double(round)))
      else { return }
      for format in OutputFormat.allCases {
        check(RecordReportRenderer(format: format, terminal: .plain).render(report), format)
        for warning in report.warnings { check(TerminalText.sanitized(warning), .table) }
      }
    }
    render(store, .plain, .json)
    render(store, .plain, .csv)
    render(store, .plain, .table)
    render(store, Terminal(useColor: true, width: 60), .table)
    if let report = try? ReportQuery(store: store).report(
      branch: nil, last: 50, generatedAt: Date(timeIntervalSince1970: 0))
    {
      checkHTML(HTMLReport.render(HTMLReportData(report)))
    }
  }

  static func render(_ store: BuildStore, _ terminal: Terminal, _ format: OutputFormat) {
    func each(_ body: () throws -> String) { if let text = try? body() { check(text, format) } }
    each { BuildListRenderer(format: format, terminal: terminal).render(try store.builds()) }
    let query = BuildQuery(store: store)
    for id in try! store.builds().map(\.id) {
      each {
        BuildDetailRenderer(format: format, terminal: terminal).render(try query.build(id))
      }
      guard format != .csv else { continue }
      for step in (try? store.build(id: id))?.steps.suffix(3) ?? [] {
        each {
          StepOutputRenderer(format: format, terminal: terminal).render(
            try query.stepOutput(id, step: String(step.vertex)))
        }
      }
    }
    each {
      BuildDiffRenderer(format: format, terminal: terminal, showAll: true).render(
        try BuildComparison(store: store).diff(1, 2))
    }
    each {
      ExplanationRenderer(format: format, terminal: terminal).render(
        try CacheExplainer(store: store).explain())
    }
    each {
      let found = try CacheBreakFinder(store: store).find(stepPattern: nil, branch: nil)
      return CacheBreakRenderer(format: format, terminal: terminal, all: true).render(found)
    }
    each {
      RegressionRenderer(format: format, terminal: terminal).render(
        try RegressionFinder(store: store).find())
    }
    each {
      let check = try BuildCheck.run(
        store: store, buildID: nil,
        thresholds: .init(maxSlowdown: 0.2, minCacheHit: 0.8, window: 10))
      let renderer = BuildCheckRenderer(format: format, terminal: terminal)
      if format == .table { checkAnnotations(renderer.githubAnnotations(check)) }
      return renderer.render(check)
    }
    for glyphs in format == .table ? [ChartGlyphs.braille, .blocks, .ascii] : [.braille] {
      each {
        TrendRenderer(format: format, terminal: terminal, glyphs: glyphs, since: nil).render(
          try TrendQuery(store: store).trend(.init()))
      }
    }
  }

  /// Terminal text holds no control character but newline and tab, and no escape sequence but
  /// buildtrail's own colours; JSON parses.
  static func check(_ text: String, _ format: OutputFormat) {
    switch format {
    case .table:
      let bare = text.replacingOccurrences(
        of: "\u{1B}\\[[0-9]+m", with: "", options: .regularExpression)
      for scalar in bare.unicodeScalars
      where scalar != "\n" && scalar != "\t" && !TerminalText.isSafe(String(scalar)) {
        fatalError(
          "raw U+\(String(scalar.value, radix: 16)) in terminal output:\n\(text.debugDescription)")
      }
    case .json:
      guard (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil else {
        fatalError("JSON output does not parse:\n\(text)")
      }
    case .csv:
      break
    }
  }

  /// `::error` lines: one line each, no raw control character.
  static func checkAnnotations(_ text: String) {
    for line in text.split(separator: "\n") where !line.hasPrefix("::") {
      fatalError("annotation split: \(line.debugDescription)")
    }
    check(text, .table)
  }

  static func checkHTML(_ text: String) {
    for scalar in text.unicodeScalars
    where scalar.properties.generalCategory == .control && scalar != "\n" && scalar != "\t" {
      fatalError("raw U+\(String(scalar.value, radix: 16)) in the HTML report")
    }
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  RendererFuzzer.run(UnsafeBufferPointer(start: data, count: size))
  return 0
}
