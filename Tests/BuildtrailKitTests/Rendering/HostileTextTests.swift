import BuildLog
import BuildStore
import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Text from logs, git and labels reaches the terminal only through `TerminalText`; JSON and CSV keep it exactly.
@Suite struct HostileTextTests {
  static let terminals = [
    Terminal(useColor: false, width: 100), Terminal(useColor: true, width: 60),
  ]

  @Test(arguments: HostileHistory.Source.allCases)
  func terminalOutputCarriesNoRawControl(_ source: HostileHistory.Source) throws {
    let store = try HostileHistory.store(source)
    for terminal in Self.terminals {
      for (command, text) in try HostileHistory.outputs(store, terminal, .table) {
        #expect(
          HostileHistory.rawControls(in: text).isEmpty,
          "\(source) \(command): \(text.debugDescription)")
      }
    }
    let show = try BuildView(store: store, terminal: .plain, format: .table).render(
      buildID: 2, step: nil)
    #expect(
      show.contains("=api\\e]52;c;aGFjaw==\\x07\\e[2J\\u009b31m\\u009dx\\x08\\r\\x0b\\x0c\\x7f\n"))
    #expect(show.contains("  Fix \\e]"))
  }

  @Test(arguments: HostileHistory.Source.allCases)
  func logTextReachesTheRenderersAndIsMadeVisible(_ source: HostileHistory.Source) throws {
    let store = try HostileHistory.store(source)
    let names = try #require(try store.build(id: 2)).steps.map(\.name)
    #expect(
      names.contains { !TerminalText.isSafe($0) },
      "the \(source) reader kept no control character: \(names)")
    let show = try BuildView(store: store, terminal: .plain, format: .table).render(
      buildID: 2, step: nil)
    #expect(show.contains("\\u009b") || show.contains("\\x07") || show.contains("\\e"))
  }

  @Test(arguments: HostileHistory.Source.allCases)
  func jsonKeepsTheExactTextEscaped(_ source: HostileHistory.Source) throws {
    let store = try HostileHistory.store(source)
    let list = BuildListRenderer(format: .json, terminal: .plain).render(try store.builds())
    #expect(list.contains("\\u001b]52;c;aGFjaw==\\u0007\\u001b[2J"))
    let object = try JSONSerialization.jsonObject(with: Data(list.utf8)) as? [String: Any]
    let first = try #require((object?["builds"] as? [[String: Any]])?.first)
    #expect(first["subject"] as? String == "Fix \(HostileHistory.payload)")
    #expect(list.contains("\\u009b31m\\u009dx\\b\\r\\u000b\\f\\u007f"), "\(list)")
    #expect(HostileHistory.rawControls(in: list).isEmpty)
    let view = try BuildView(store: store, terminal: .plain, format: .json)
    for text in [try view.render(buildID: 2, step: nil), try view.render(buildID: 2, step: "echo")]
    {
      #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
    }
  }

  @Test(arguments: HostileHistory.Source.allCases)
  func csvKeepsTheExactTextQuoted(_ source: HostileHistory.Source) throws {
    let store = try HostileHistory.store(source)
    let csv = BuildListRenderer(format: .csv, terminal: .plain).render(try store.builds())
    #expect(csv.contains("\"Fix \(HostileHistory.payload)\""))
  }

  @Test func htmlReportEscapesMarkupAndDropsControls() throws {
    let store = try HostileHistory.store(.rawjson)
    let page = HTMLReport.render(
      HTMLReportData(try ReportQuery(store: store).report(branch: nil, last: 10)))
    let controls = page.unicodeScalars.filter {
      $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t"
    }
    #expect(controls.isEmpty)
    #expect(page.contains("main\u{FFFD}]52;c;aGFjaw=="))
  }

  @Test func recordReportAndWarningsAreSafe() throws {
    let store = try BuildStore.inMemory()
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "cut\u{1B}[2J-\(UUID().uuidString).log")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data("#1 [1/2] RUN make \(HostileHistory.payload)\n#1 0.100 x\n".utf8).write(to: file)
    let report = try Recorder(store: store).record(logAt: file.path, metadata: RecordMetadata())
    let warning = try #require(report.warnings.first)
    #expect(!TerminalText.isSafe(warning), "the warning names the hostile path")
    #expect(TerminalText.sanitized(warning).contains("cut\\e[2J-"))
    let text = RecordReportRenderer(format: .table, terminal: Terminal(useColor: true, width: 80))
      .render(report.summary)
    #expect(HostileHistory.rawControls(in: text).isEmpty)
  }
}
