import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// The inputs the renderer fuzzer (`Fuzz/run-renderer.sh`) found, replayed through the binary as it
/// runs them: recorded twice, then shown by every command. Nothing traps, terminal output keeps no
/// raw control, JSON parses. Run as a subprocess so that a trap fails one test, not the whole run.
@Suite struct FuzzFindingTests {
  static let folder = Golden.directory.appendingPathComponent("fuzz-findings")
  static let findings = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
    .sorted()

  static let commands: [[String]] = [
    ["builds"], ["show"], ["show", "--step", "1"], ["show", "--step", "2"], ["diff", "1"], ["why"],
    ["broke"],
    ["regressions"], ["trend"], ["check"],
  ]

  @Test func findingsAreKept() {
    #expect(!Self.findings.isEmpty, "Rendering/Snapshots/fuzz-findings holds the fuzzer's finds")
  }

  @Test(arguments: findings)
  func findingIsRecordedAndShownSafely(_ name: String) throws {
    try replay(name)
  }

  func replay(_ name: String) throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    var data = try Data(contentsOf: Self.folder.appendingPathComponent(name))
    for round in 0..<2 {
      if round == 1 { data.append(0x0A) }
      let log = dir.appendingPathComponent("\(round)-\(name)")
      try data.write(to: log)
      expectNoTrap(try CLI.run(["record", log.path, "--db", db, "--no-metadata"]), "record")
    }
    for command in Self.commands {
      let table = try CLI.run(command + ["--db", db])
      expectNoTrap(table, command.joined(separator: " "))
      #expect(
        HostileHistory.rawControls(in: table.stdout).isEmpty,
        "\(command): \(table.stdout.debugDescription)")
      let json = try CLI.run(command + ["--db", db, "--format", "json"])
      expectNoTrap(json, command.joined(separator: " ") + " --format json")
      if json.status == 0 && !json.stdout.isEmpty {
        #expect(
          (try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) != nil,
          "\(command): \(json.stdout)")
      }
    }
    expectNoTrap(
      try CLI.run(["report", "--db", db, "--html", dir.appendingPathComponent("r.html").path]),
      "report")
  }

  func expectNoTrap(
    _ r: CLI.Result, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(
      r.status == 0 || r.status == 1, "\(what) exited \(r.status): \(r.stderr)",
      sourceLocation: sourceLocation)
    #expect(
      !r.stderr.contains("Fatal error") && !r.stderr.contains("runtime failure"),
      "\(what): \(r.stderr)", sourceLocation: sourceLocation)
  }
}
