import BuildLog
import Foundation
import Testing

@testable import BuildStore
@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Every renderer has the one shape (``OutputRenderer``), and `render` through it writes valid
/// JSON,
/// rectangular CSV and a table, from a real history.
@Suite struct OutputRendererTests {
  static let sources = CLI.repositoryRoot.appendingPathComponent("Sources/BuildtrailRendering")

  /// Each renderer's name and its three outputs, rendered through the protocol.
  static func outputs() throws -> [(name: String, outputs: [OutputFormat: String])] {
    let store = try sampleHistory()
    let last = try #require(try store.latestBuildID())
    let maintenance = HistoryMaintenance(store: store)
    var cleanup = CleanupReport()
    cleanup.deletedBuilds = [7, 8]
    cleanup.stepNames = 3
    let record = try Recorder(store: store).record(
      logAt: CLI.repositoryRoot.appendingPathComponent(
        "Tests/BuildLogTests/Fixtures/docker20-multistage-warm.log"
      ).path, metadata: RecordMetadata(target: nil, labels: [:], git: nil, ci: nil))
    let spools = [
      RecoveredSpool(path: "/tmp/a.spool", report: record, error: nil, kept: false),
      RecoveredSpool(path: "/tmp/b.spool", report: nil, error: "no log", kept: true),
    ]
    let step = try #require(try store.build(id: last)?.steps.first)
    var all: [(String, [OutputFormat: String])] = []
    func add<R: OutputRenderer>(_ type: R.Type, _ value: R.Value) {
      let rendered = OutputFormat.allCases.map { format in
        (format, R(format: format, terminal: .plain).render(value))
      }
      all.append((String(describing: type), Dictionary(uniqueKeysWithValues: rendered)))
    }
    add(BuildListRenderer.self, try store.builds())
    add(BuildDetailRenderer.self, try BuildQuery(store: store).build(last))
    add(
      StepOutputRenderer.self, try BuildQuery(store: store).stepOutput(last, step: "\(step.vertex)")
    )
    add(BuildDiffRenderer.self, try BuildComparison(store: store).diff(1, 2))
    add(ExplanationRenderer.self, try CacheExplainer(store: store).explain())
    add(
      CacheBreakRenderer.self,
      try CacheBreakFinder(store: store).find(stepPattern: nil, branch: nil))
    add(
      FailureRenderer.self,
      try FailureHistory(store: store).latestStreaks(branch: nil, target: nil, last: 50))
    add(RegressionRenderer.self, try RegressionFinder(store: store).find())
    add(TrendRenderer.self, try TrendQuery(store: store).trend(.init()))
    add(
      BuildCheckRenderer.self,
      try BuildCheck.run(
        store: store, buildID: nil,
        thresholds: .init(maxSlowdown: 0.2, minCacheHit: 0.8, window: 10)))
    add(RecordReportRenderer.self, record.summary)
    add(RecoveryRenderer.self, (spools, "/tmp"))
    add(
      PushRenderer.self,
      (
        [
          PushedUpload(spool: "a", fate: .sent, builds: record.summary.builds),
          PushedUpload(spool: "b", fate: .kept, error: "server down"),
          PushedUpload(spool: "c", fate: .rejected, error: "401"),
        ], "/tmp/spool"
      ))
    add(
      PruneRenderer.self, try maintenance.prune(keepDays: nil, keep: 1, branch: nil, dryRun: true))
    add(DeleteRenderer.self, cleanup)
    add(
      VacuumRenderer.self,
      (
        VacuumReport(cleanup: cleanup, outputsRecompressed: 0, bytesBefore: 9000, bytesAfter: 4000),
        "/tmp/history.db"
      ))
    add(ImportRenderer.self, ImportReport(source: "-", imported: [4], skipped: [1, 2]))
    return all
  }

  /// The public `…Renderer` types declared in the target, by name.
  static func declaredRenderers() throws -> [String: String] {
    var found: [String: String] = [:]
    let files = try FileManager.default.contentsOfDirectory(atPath: sources.path)
    for file in files where file.hasSuffix(".swift") {
      let text = try String(
        contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
      for line in text.split(separator: "\n") where line.hasPrefix("public struct ") {
        let name = line.dropFirst("public struct ".count).prefix { $0.isLetter || $0.isNumber }
        if name.hasSuffix("Renderer") { found[String(name)] = String(line) }
      }
    }
    return found
  }

  @Test func everyRendererHasTheSharedShapeAndIsCheckedHere() throws {
    let declared = try Self.declaredRenderers()
    #expect(declared.count >= 16, "found only \(declared.keys.sorted())")
    for (name, line) in declared {
      #expect(line.contains(": OutputRenderer"), "\(name) does not conform: \(line)")
    }
    let checked = Set(try Self.outputs().map(\.name))
    #expect(Set(declared.keys) == checked, "renderers not rendered by this test")
  }

  @Test func everyRendererWritesJSONCSVAndATableThroughTheProtocol() throws {
    for (name, outputs) in try Self.outputs() {
      let json = try #require(outputs[.json])
      let csv = try #require(outputs[.csv])
      let table = try #require(outputs[.table])
      #expect(
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) is [String: Any],
        "\(name) JSON is not an object:\n\(json)")
      let rows = Self.csvRows(csv)
      let header = try #require(rows.first, "\(name) wrote no CSV")
      #expect(
        header.allSatisfy { !$0.isEmpty && $0 == $0.lowercased() && !$0.contains(" ") },
        "\(name) CSV header: \(header)")
      for row in rows.dropFirst() {
        #expect(row.count == header.count, "\(name) CSV row \(row) against header \(header)")
      }
      #expect(
        (try? JSONSerialization.jsonObject(with: Data(table.utf8))) == nil,
        "\(name) table is JSON")
      #expect(!table.isEmpty && table != csv, "\(name) table:\n\(table)")
      #expect(json.hasSuffix("\n") && csv.hasSuffix("\n") && table.hasSuffix("\n"), "\(name)")
    }
  }

  /// RFC 4180 rows: quoted fields may hold commas, quotes and newlines.
  static func csvRows(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var closedQuote = false
    for c in text {
      defer { closedQuote = !quoted && c == "\"" }
      if quoted {
        if c == "\"" { quoted = false } else { field.append(c) }
      } else if c == "\"" {
        if closedQuote { field.append(c) }
        quoted = true
      } else if c == "," {
        row.append(field)
        field = ""
      } else if c == "\n" {
        row.append(field)
        rows.append(row)
        row = []
        field = ""
      } else {
        field.append(c)
      }
    }
    return rows
  }
}
