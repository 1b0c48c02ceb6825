import Foundation
import Testing

/// `record --server` and `push` against a real `buildtrail serve`: a build sent from a file,
/// standard input or a wrapped command is recorded as `record` would record it locally; a server
/// that is down leaves each build in the spool, and `push` sends each exactly once.
@Suite struct RecordServerTests {
  /// A copy of the build-argument fixtures (Dockerfile, requirements.txt, three logs) outside any
  /// git clone, with a spool folder of its own.
  static func project() throws -> (dir: URL, root: URL, env: [String: String]) {
    let root = try scratchDirectory()
    let dir = root.appendingPathComponent("project")
    try FileManager.default.copyItem(at: BuildArgumentTests.fixtures, to: dir)
    return (dir, root, ["XDG_STATE_HOME": root.appendingPathComponent("state").path])
  }

  static func spooled(_ root: URL) -> [String] {
    let folder = root.appendingPathComponent("state/buildtrail/spool").path
    return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { !$0.hasPrefix(".") && $0 != "wrapped.spool" && $0 != "rejected" }.sorted()
  }

  /// A port nothing listens on: one a server had until it stopped.
  static func closedPort() throws -> Int {
    let server = try ServerProcess(db: try scratchDirectory().appendingPathComponent("x.db").path)
    let port = server.port
    #expect(server.stop() == 0)
    return port
  }

  /// JSON without the lines of `recorded_at`, the one field that differs by when it was recorded.
  static func timeless(_ json: String) -> [Substring] {
    json.split(separator: "\n").filter { !$0.contains("\"recorded_at\"") }
  }

  static let arguments = ["--build-arg", "GIT_SHA=3f2a9c1d0e", "--context", "."]

  @Test func aSentBuildIsRecordedAsRecordWouldRecordItHere() throws {
    let p = try Self.project()
    let serverDB = p.root.appendingPathComponent("server.db").path
    let localDB = p.root.appendingPathComponent("local.db").path
    let server = try ServerProcess(db: serverDB)
    defer { server.forceStop() }
    let url = "http://127.0.0.1:\(server.port)"

    let sent = try CLI.run(
      ["record", "01-git-sha-3f2a.log", "--server", url, "--format", "json"] + Self.arguments,
      in: p.dir, environment: p.env)
    try #require(sent.status == 0, "\(sent.stderr)")
    let local = try CLI.run(
      ["record", "01-git-sha-3f2a.log", "--db", localDB, "--format", "json"] + Self.arguments,
      in: p.dir, environment: p.env)
    #expect(sent.stdout == local.stdout, "record prints the same either way")
    for command in [["show", "1"], ["why", "1"]] {
      let there = try CLI.run(command + ["--db", serverDB, "--format", "json"])
      let here = try CLI.run(command + ["--db", localDB, "--format", "json"])
      #expect(there.status == 0, "\(command): \(there.stderr)")
      #expect(Self.timeless(there.stdout) == Self.timeless(here.stdout), "\(command)")
    }

    let again = try CLI.run(
      ["record", "01-git-sha-3f2a.log", "--server", url] + Self.arguments, in: p.dir,
      environment: p.env)
    #expect(again.status == 0)
    #expect(again.stdout.hasPrefix("already recorded as build 1 (same log)"), "\(again.stdout)")

    let log = try Data(contentsOf: p.dir.appendingPathComponent("02-git-sha-9c1d.log"))
    let piped = try CLI.run(
      ["record", "-", "--server", url, "--build-arg", "GIT_SHA=9c1d7e2f4a", "--context", "."],
      in: p.dir, environment: p.env, stdin: log)
    #expect(piped.status == 0 && piped.stdout.hasPrefix("recorded build 2"), "\(piped.stderr)")

    let wrapped = try CLI.run(
      [
        "record", "--server", url, "--build-arg", "GIT_SHA=9c1d7e2f4a", "--context", ".", "--",
        "sh", "-c", "cat 03-git-sha-9c1d-again.log; exit 3",
      ], in: p.dir, environment: p.env)
    #expect(wrapped.status == 3, "the build's exit code: \(wrapped.stderr)")
    #expect(wrapped.stderr.contains("recorded build 3"), "\(wrapped.stderr)")

    let causes = try BuildArgumentTests.rootCauses(2, db: serverDB)
    #expect(causes.first?["kind"] as? String == "build-arg", "the metadata travelled: \(causes)")
    let third = try BuildArgumentTests.json(["show", "3"], db: serverDB)
    #expect(
      ((third["build"] as? [String: Any])?["build"] as? [String: Any])?["exit_code"] as? Int == 3)
    #expect(try CLI.builds(db: serverDB).count == 3)
    #expect(Self.spooled(p.root).isEmpty)
  }

  @Test func aServerThatIsDownKeepsEachBuildAndPushSendsItOnce() throws {
    let p = try Self.project()
    let serverDB = p.root.appendingPathComponent("server.db").path
    let port = try Self.closedPort()
    let url = "http://127.0.0.1:\(port)"

    let file = try CLI.run(
      ["record", "01-git-sha-3f2a.log", "--server", url] + Self.arguments, in: p.dir,
      environment: p.env)
    #expect(file.status == 0, "a build that was recorded nowhere yet is not an error")
    #expect(file.stderr.contains("connection refused") && file.stderr.contains("buildtrail push"))
    let piped = try CLI.run(
      ["record", "-", "--server", url], in: p.dir, environment: p.env,
      stdin: try Data(contentsOf: p.dir.appendingPathComponent("02-git-sha-9c1d.log")))
    #expect(piped.status == 0, "\(piped.stderr)")
    let wrapped = try CLI.run(
      ["record", "--server", url, "--", "sh", "-c", "cat 03-git-sha-9c1d-again.log; exit 3"],
      in: p.dir, environment: p.env)
    #expect(wrapped.status == 3)
    #expect(wrapped.stderr.contains("kept in"), "\(wrapped.stderr)")
    try #require(Self.spooled(p.root).count == 3)

    let down = try CLI.run(["push", "--server", url], environment: p.env)
    #expect(down.status == 1, "builds still wait")
    #expect(down.stdout.hasPrefix("kept "), "\(down.stdout)")
    #expect(Self.spooled(p.root).count == 3)

    let server = try ServerProcess(db: serverDB, arguments: ["--listen", "127.0.0.1:\(port)"])
    defer { server.forceStop() }
    let up = try CLI.run(["push", "--server", url, "--format", "json"], environment: p.env)
    #expect(up.status == 0, "\(up.stderr)")
    let pushed = try JSONSerialization.jsonObject(with: Data(up.stdout.utf8)) as? [String: Any]
    let uploads = pushed?["uploads"] as? [[String: Any]] ?? []
    #expect(uploads.map { $0["fate"] as? String } == ["sent", "sent", "sent"])
    #expect(Self.spooled(p.root).isEmpty)
    let again = try CLI.run(["push", "--server", url], environment: p.env)
    #expect(again.status == 0 && again.stdout.hasPrefix("nothing to send"))
    let builds = try CLI.builds(db: serverDB)
    #expect(builds.count == 3, "each build once")
    let third = try BuildArgumentTests.json(["show", "3"], db: serverDB)
    #expect(
      ((third["build"] as? [String: Any])?["build"] as? [String: Any])?["exit_code"] as? Int == 3)
  }

  @Test func aRefusalSaysWhatToFixAndOnlyStandardInputIsKept() throws {
    let p = try Self.project()
    let reader = try ServerAuthTests.newToken("dash", scope: "read")
    let recorder = try ServerAuthTests.newToken("ci", scope: "record")
    let tokens = p.root.appendingPathComponent("tokens").path
    try (reader.line + "\n" + recorder.line + "\n").write(
      toFile: tokens, atomically: true, encoding: .utf8)
    let serverDB = p.root.appendingPathComponent("server.db").path
    let server = try ServerProcess(db: serverDB, arguments: ["--tokens", tokens])
    defer { server.forceStop() }
    let record = ["record", "01-git-sha-3f2a.log", "--server", "http://127.0.0.1:\(server.port)"]

    let anonymous = try CLI.run(record, in: p.dir, environment: p.env)
    #expect(anonymous.status == 1)
    #expect(anonymous.errorLines.count == 1)
    #expect(anonymous.stderr.contains("401") && anonymous.stderr.contains("BUILDTRAIL_TOKEN"))
    let readOnly = try CLI.run(
      record, in: p.dir, environment: p.env.merging(["BUILDTRAIL_TOKEN": reader.token]) { $1 })
    #expect(readOnly.status == 1)
    #expect(readOnly.stderr.contains("403") && readOnly.stderr.contains("--scope record"))
    #expect(Self.spooled(p.root).isEmpty, "a file stays where it is")

    let piped = try CLI.run(
      ["record", "-", "--server", "http://127.0.0.1:\(server.port)"], in: p.dir,
      environment: p.env,
      stdin: try Data(contentsOf: p.dir.appendingPathComponent("01-git-sha-3f2a.log")))
    #expect(piped.status == 1 && piped.stderr.contains("kept in"), "\(piped.stderr)")
    #expect(Self.spooled(p.root).count == 1, "standard input can be read once: it is kept")

    let pushed = try CLI.run(
      ["push", "--server", "http://127.0.0.1:\(server.port)"],
      environment: p.env.merging(["BUILDTRAIL_TOKEN": recorder.token]) { $1 })
    #expect(pushed.status == 0 && pushed.stdout.hasPrefix("sent "), "\(pushed.stdout)")
    #expect(try CLI.builds(db: serverDB).count == 1)
    #expect(!server.stderr.contains(recorder.token))
  }

  @Test func aLogOverTheServersLimitIsRefusedWithTheFix() throws {
    let p = try Self.project()
    let server = try ServerProcess(
      db: p.root.appendingPathComponent("server.db").path,
      arguments: ["--max-upload-bytes", "2000"])
    defer { server.forceStop() }
    let r = try CLI.run(
      ["record", "01-git-sha-3f2a.log", "--server", "http://127.0.0.1:\(server.port)"],
      in: p.dir, environment: p.env)
    #expect(r.status == 1)
    #expect(r.errorLines.count == 1)
    #expect(r.stderr.contains("413") && r.stderr.contains("--max-upload-bytes"), "\(r.stderr)")
    #expect(Self.spooled(p.root).isEmpty, "a refusal for good is not retried later")
  }

  @Test func theServerComesFromTheEnvironmentUnlessDbIsGiven() throws {
    let p = try Self.project()
    let serverDB = p.root.appendingPathComponent("server.db").path
    let localDB = p.root.appendingPathComponent("local.db").path
    let server = try ServerProcess(db: serverDB)
    defer { server.forceStop() }
    let env = p.env.merging(["BUILDTRAIL_SERVER": "http://127.0.0.1:\(server.port)"]) { $1 }
    let sent = try CLI.run(["record", "01-git-sha-3f2a.log"], in: p.dir, environment: env)
    #expect(sent.status == 0, "\(sent.stderr)")
    #expect(try CLI.builds(db: serverDB).count == 1)
    let here = try CLI.run(
      ["record", "02-git-sha-9c1d.log", "--db", localDB], in: p.dir, environment: env)
    #expect(here.status == 0)
    #expect(try CLI.builds(db: localDB).count == 1)
    #expect(try CLI.builds(db: serverDB).count == 1, "--db wins over BUILDTRAIL_SERVER")
    let both = try CLI.run(
      ["record", "x.log", "--db", localDB, "--server", "http://127.0.0.1:1"], environment: env)
    #expect(both.status == 64)
    let bad = try CLI.run(["record", "x.log", "--server", "ftp://host"], environment: env)
    #expect(bad.status == 64 && bad.stderr.contains("only http:// and https://"))
  }
}
