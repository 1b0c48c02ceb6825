import BuildLog
import BuildStore
import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Compares each renderer's output with a golden file in `Snapshots/`.
/// Run with RECORD_SNAPSHOTS=1 to rewrite the files (the test then fails, so a re-record is never silent).
enum Golden {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots")

  static func check(
    _ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let url = directory.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
      try Data(actual.utf8).write(to: url)
      Issue.record(
        "recorded \(name); run again without RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
      return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(
      actual == expected, "\(name) differs from its golden file", sourceLocation: sourceLocation)
  }
}

/// A history with three real builds, recorded at fixed times with fixed git facts.
func sampleHistory() throws -> BuildStore {
  let store = try BuildStore.inMemory()
  let recorder = Recorder(store: store)
  let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/BuildLogTests/Fixtures")
  let runs: [(String, String, String)] = [
    (
      "docker20-multistage-cold.log", "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
      "Add the dependency stage"
    ),
    (
      "docker20-multistage-warm.log", "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
      "Add the dependency stage"
    ),
    ("docker20-failing-run.log", "ffeeddccbbaa99887766554433221100ffeeddcc", "Add tests"),
  ]
  for (i, (file, commit, subject)) in runs.enumerated() {
    _ = try recorder.record(
      logAt: fixtures.appendingPathComponent(file).path,
      metadata: RecordMetadata(
        target: nil, labels: ["pipeline": "ci"],
        git: GitFacts(commit: commit, branch: "main", subject: subject, dirty: false),
        ci: CIFacts(
          provider: "github-actions", runID: "\(100 + i)", url: "https://ci.invalid/runs/\(100 + i)"
        )),
      now: Date(timeIntervalSince1970: 1_764_000_000 + Double(i) * 3600))
  }
  return store
}

@Suite struct RendererGoldenTests {
  let terminal = Terminal(useColor: false, width: 100)

  @Test(arguments: OutputFormat.allCases)
  func buildList(_ format: OutputFormat) throws {
    let builds = try sampleHistory().builds()
    try Golden.check(
      BuildListRenderer(format: format, terminal: terminal).render(builds),
      "builds.\(format.rawValue)")
  }

  @Test(arguments: OutputFormat.allCases)
  func buildDetail(_ format: OutputFormat) throws {
    let store = try sampleHistory()
    let view = try BuildView(store: store, terminal: terminal, format: format)
    try Golden.check(try view.render(buildID: 1, step: nil), "show-1.\(format.rawValue)")
  }

  @Test func failedBuildShowsTheFailingStepsOutput() throws {
    let view = try BuildView(store: try sampleHistory(), terminal: terminal, format: .table)
    try Golden.check(try view.render(buildID: nil, step: nil), "show-failed.table")
  }

  @Test(arguments: [OutputFormat.table, .json])
  func oneStepsOutput(_ format: OutputFormat) throws {
    let view = try BuildView(store: try sampleHistory(), terminal: terminal, format: format)
    try Golden.check(try view.render(buildID: 3, step: "10"), "step.\(format.rawValue)")
  }

  @Test func colourOnlyWhenAsked() throws {
    let builds = try sampleHistory().builds()
    let plain = BuildListRenderer(format: .table, terminal: terminal).render(builds)
    let coloured = BuildListRenderer(format: .table, terminal: Terminal(useColor: true, width: 100))
      .render(builds)
    #expect(!plain.contains("\u{1B}["))
    #expect(coloured.contains("\u{1B}[31mfailed"))
    #expect(
      coloured.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        == plain)
  }

  @Test func noColourWhenNO_COLORIsSetOrOutputIsNotATerminal() {
    #expect(Terminal.standardOutput(environment: ["NO_COLOR": "1"]).useColor == false)
    // Tests run with stdout on a pipe or file, never a terminal.
    #expect(Terminal.standardOutput(environment: [:]).useColor == (isatty(STDOUT_FILENO) == 1))
  }

  @Test func unknownStepIsNamed() throws {
    let view = try BuildView(store: try sampleHistory(), terminal: terminal, format: .table)
    let error = #expect(throws: BuildtrailError.self) {
      try view.render(buildID: 3, step: "nope")
    }
    #expect(error == BuildtrailError.noSuchStep(build: 3, selector: "nope"))
    #expect(
      error.map(ErrorText.commandLine)
        == "build 3 has no step 'nope'; give a vertex number or text from a step name (`buildtrail show 3` lists them)"
    )
  }

  @Test func emptyHistorySaysHowToStart() throws {
    let view = try BuildView(store: try BuildStore.inMemory(), terminal: terminal, format: .table)
    #expect(throws: StoreError.emptyHistory(path: ":memory:")) {
      try view.render(buildID: nil, step: nil)
    }
  }
}
