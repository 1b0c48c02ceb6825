import BuildtrailKit
import BuildtrailRendering
import Foundation
import RegressionBenchmarkSupport
import Testing

/// `record --` puts the build first: killing the recording side at any moment neither changes the
/// build's exit code nor loses its log, which is then recorded exactly once.
@Suite struct RecordingKillTests {
  static let seed: UInt64 = 20_261_206
  static let runs = 60
  static let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/BuildLogTests/Fixtures")

  /// A build that replays a fixture log in four parts with short pauses, then exits with `code`.
  static func makeBuild(in dir: URL, fixture: String, code: Int) throws -> (
    script: URL, output: String
  ) {
    let log = try String(contentsOf: fixtures.appendingPathComponent(fixture), encoding: .utf8)
    let lines = log.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
      $0 + "\n"
    }
    let quarter = (lines.count + 3) / 4
    var script = ""
    for part in 0..<4 {
      let file = dir.appendingPathComponent("part\(part)")
      try Data(lines.dropFirst(part * quarter).prefix(quarter).joined().utf8).write(to: file)
      script += "cat '\(file.path)'; sleep 0.02\n"
    }
    let url = dir.appendingPathComponent("build.sh")
    try Data((script + "exit \(code)\n").utf8).write(to: url)
    return (url, lines.joined())
  }

  /// Whether `pid` exists and has not ended (a zombie has).
  static func isRunning(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let end = stat.lastIndex(of: ")")
    else { return false }
    return stat[stat.index(end, offsetBy: 2)] != "Z"
  }

  @Test func killingTheRecorderNeverChangesTheBuildAndItsLogIsRecordedOnce() throws {
    var random = RegressionBenchmark.Generator(seed: Self.seed)
    let fixtures = [
      "docker20-multistage-cold.log", "docker20-multistage-warm.log",
      "docker20-parallel-stages.log",
      "docker20-failing-run.log",
    ]
    let started = Date()
    var killedWhileRecording = 0
    var leftForRecover = 0
    for run in 0..<Self.runs {
      let fixture = fixtures[random.integer(0...fixtures.count - 1)]
      let code = [0, 1, 3][random.integer(0...2)]
      // One run in five kills the recorder as soon as it is seen; the others at a random moment of
      // its short life (0.05 to 0.1 s here, longer on a loaded machine).
      let delay = random.bernoulli(0.2) ? 0 : random.uniform(0...0.05)
      let context =
        "seed \(Self.seed), run \(run): \(fixture), exit \(code), kill after \(String(format: "%.3f", delay))s"
      let dir = try scratchDirectory()
      let db = dir.appendingPathComponent("h.db").path
      let build = try Self.makeBuild(in: dir, fixture: fixture, code: code)
      let wrapper = try BackgroundRun([
        "record", "--db", db, "--no-metadata", "--", "sh", build.script.path,
      ])
      if let recorder = wrapper.waitForChild(with: "--spool", timeout: 20) {
        if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
        if Self.isRunning(recorder) && kill(recorder, SIGKILL) == 0 { killedWhileRecording += 1 }
      }
      let result = wrapper.finish()
      #expect(result.status == Int32(code), "\(context)\n\(result.stderr)")
      #expect(result.stdout == build.output, "\(context)")
      // A recorder killed while it deleted the spool leaves a hidden `.ID.recorded` for the next one to sweep.
      let spools = ((try? FileManager.default.contentsOfDirectory(atPath: db + ".spool")) ?? [])
        .filter { !$0.hasPrefix(".") }
      if spools.isEmpty {
        let said = ["buildtrail: recorded build 1", "after it had stored the build"]
        #expect(said.contains { result.stderr.contains($0) }, "\(context)\n\(result.stderr)")
      } else {
        leftForRecover += 1
        #expect(
          result.stderr.contains("the build's log is kept in"), "\(context)\n\(result.stderr)")
      }
      let recover = try CLI.run(["recover", "--db", db])
      #expect(recover.status == 0, "\(context)\n\(recover.stderr)")
      let builds = try CLI.builds(db: db)
      #expect(builds.count == 1, "\(context)\n\(result.stderr)\n\(recover.stdout)")
      #expect(builds.first?["exit_code"] as? Int == code, "\(context)")
      let left = (try? FileManager.default.contentsOfDirectory(atPath: db + ".spool")) ?? []
      #expect(left.isEmpty, "\(context): \(left)")
      try? FileManager.default.removeItem(at: dir)
    }
    let seconds = Date().timeIntervalSince(started)
    print(
      "kill test: \(Self.runs) runs, seed \(Self.seed), \(killedWhileRecording) recorders killed alive, "
        + "\(leftForRecover) logs left for recover, \(String(format: "%.1f", seconds)) s")
    #expect(leftForRecover > 0, "seed \(Self.seed): no run killed the recorder before it recorded")
    #expect(
      killedWhileRecording >= Self.runs / 4,
      "seed \(Self.seed): only \(killedWhileRecording) of \(Self.runs) kills found the recorder alive"
    )
  }
}
