import Foundation
import Testing

/// What a new user tripped over: JSON kept clean under GitHub Actions, one rule for percentages,
/// filters that match nothing said as such, real dates only, reading never creating a database, and
/// a benchmark generator that explains itself.
@Suite struct OutputConventionTests {
  /// A history of the two-service compose log (4 builds on no branch).
  static func history() throws -> (db: String, dir: URL) {
    try ServiceDimensionTests.history()
  }

  @Test func checkJSONStaysValidUnderGitHubActions() throws {
    let (db, dir) = try Self.history()
    let r = try CLI.run(
      ["check", "--db", db, "--format", "json", "--min-cache-hit", "90%"], in: dir,
      environment: ["GITHUB_ACTIONS": "true"])
    #expect(r.status == 1)
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    #expect(json?["check"] != nil)
    #expect(!r.stdout.contains("::error"))
    #expect(r.stderr.contains("::error"))
  }

  @Test func percentagesAreWrittenWithAPercentSignOrAsAFraction() throws {
    let (db, dir) = try Self.history()
    func limit(_ text: String) throws -> Double? {
      let r = try CLI.run(
        ["check", "--db", db, "--format", "json", "--min-cache-hit", text], in: dir)
      let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
      let findings = (json?["check"] as? [String: Any])?["findings"] as? [[String: Any]]
      return findings?.first { $0["check"] as? String == "cache-hit" }?["limit"] as? Double
    }
    #expect(try limit("20%") == 0.2)
    #expect(try limit("0.2") == 0.2)
    for bad in ["20", "1.5", "-0.2", "1e-1", "120%"] {
      let r = try CLI.run(["check", "--db", db, "--min-cache-hit=\(bad)"], in: dir)
      #expect(r.status == 64, "\(bad)")
      #expect(r.stderr.contains("a percentage such as 20%"), "\(bad)")
    }
  }

  @Test func filtersThatMatchNothingSaySoAndNameTheBranches() throws {
    let (db, dir) = try Self.history()
    let builds = try CLI.run(["builds", "--db", db, "--branch", "main"], in: dir)
    #expect(builds.status == 0)
    #expect(
      builds.stdout
        == "No build matches --branch main (4 builds recorded; branches: (no branch)).\n")
    let json = try CLI.run(["builds", "--db", db, "--branch", "main", "--format", "json"], in: dir)
    #expect(json.stdout.contains("\"builds\" : [\n\n  ]") || json.stdout.contains("[]"))
    let broke = try CLI.run(["broke", "--db", db, "--branch", "main"], in: dir)
    #expect(broke.status == 1)
    #expect(broke.stderr.contains("no build matches --branch main (4 builds recorded"))
  }

  @Test(arguments: ["2026-13-01", "2026-02-30", "2026-1-01", "26-01-01", "2026-01-01x"])
  func datesThatDoNotExistAreRefused(_ date: String) throws {
    let (db, dir) = try Self.history()
    for command in ["trend", "export"] {
      let r = try CLI.run([command, "--db", db, "--since", date], in: dir)
      #expect(r.status == 64, "\(command) \(date)")
      #expect(r.stderr.contains("--since takes a date as YYYY-MM-DD"), "\(command) \(date)")
    }
  }

  @Test func aRealDateIsTaken() throws {
    let (db, dir) = try Self.history()
    let r = try CLI.run(
      ["trend", "--db", db, "--since", "2024-02-29", "--format", "json"], in: dir)
    #expect(r.status == 0, Comment(rawValue: r.stderr))
  }

  @Test(arguments: [
    ["builds"], ["show"], ["why"], ["broke"], ["trend"], ["regressions"], ["check"], ["export"],
    ["report", "--html", "r.html"], ["failures"], ["prune", "--keep", "1"], ["vacuum"],
  ])
  func readingNeverCreatesADatabase(_ command: [String]) throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("missing.db").path
    let r = try CLI.run(command + ["--db", db], in: dir)
    #expect(r.status != 0, "\(command)")
    #expect(r.stderr.contains("no history at \(db)"), "\(command): \(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: db), "\(command)")
  }

  @Test func historyGeneratorExplainsItselfAndWritesNothingWithoutADatabase() throws {
    let dir = try scratchDirectory()
    let generator = CLI.binary.deletingLastPathComponent().appendingPathComponent(
      "history-generator")
    let help = try CLI.runExecutable(generator, ["--help"], in: dir)
    #expect(help.status == 0)
    #expect(help.stdout.hasPrefix("usage: history-generator --db PATH"))
    let bare = try CLI.runExecutable(generator, ["--builds", "10"], in: dir)
    #expect(bare.status == 64)
    #expect(bare.stderr.contains("--db PATH is required"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
  }
}
