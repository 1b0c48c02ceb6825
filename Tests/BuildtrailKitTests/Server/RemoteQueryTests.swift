import Foundation
import Testing

/// Every query command with `--server` against a real `buildtrail serve` on the uv history prints
/// what it prints with `--db` on the server's database, in every format, with the same exit code.
@Suite(.serialized) struct RemoteQueryTests {
  /// A fixed terminal, so that both sides render alike.
  static let terminal = ["COLUMNS": "100", "NO_COLOR": "1"]

  /// Query command lines, each run in every format.
  static let commands: [[String]] = [
    ["builds"], ["builds", "--limit", "3", "--outcome", "success"], ["builds", "--branch", "nope"],
    ["builds", "--label", "a=b", "--label", "c=d"],
    ["show"], ["show", "3"], ["show", "10"], ["show", "3", "--step", "1"],
    ["show", "3", "--step", "uv sync"], ["show", "--step", "uv sync/x%y"],
    ["why"], ["why", "3"], ["why", "8"], ["why", "7", "--against", "2"],
    ["diff", "2", "3"], ["diff", "2", "3", "--all"], ["diff", "5"],
    ["broke"], ["broke", "--all"], ["broke", "--step", "uv sync", "--limit", "10"],
    ["failures"], ["failures", "--last", "5"],
    ["trend"], ["trend", "--last", "5"], ["trend", "--since", "2000-01-01"],
    ["trend", "--step", "uv sync"], ["trend", "--ascii"], ["trend", "--blocks"],
    ["regressions"], ["regressions", "--window", "8"],
    ["check"], ["check", "9", "--max-slowdown", "50%", "--min-cache-hit", "0.5", "--window", "3"],
    ["check", "--min-cache-hit", "100%"],
    ["show", "999"], ["why", "999"], ["show", "3", "--step", "no such step"], ["diff", "999"],
  ]

  @Test func everyCommandPrintsWhatItPrintsLocally() throws {
    let history = try ServerRouteTests.history.get()
    let server = try ServerProcess(db: history.db)
    defer { server.forceStop() }
    let url = "http://127.0.0.1:\(server.port)"
    var statuses = Set<Int32>()
    for command in Self.commands {
      for format in ["table", "json", "csv"] {
        let arguments = command + ["--format", format]
        let local = try CLI.run(arguments + ["--db", history.db], environment: Self.terminal)
        let remote = try CLI.run(arguments + ["--server", url], environment: Self.terminal)
        let shown = arguments.joined(separator: " ")
        #expect(remote.stdout == local.stdout, "\(shown): \(remote.stderr)")
        #expect(remote.status == local.status, "\(shown): \(remote.stderr)")
        #expect(remote.stderr == local.stderr, "\(shown)")
        statuses.insert(local.status)
      }
    }
    #expect(statuses == [0, 1, 64], "verdicts, errors and an ambiguous step are compared")
  }

  @Test func anAmbiguousStepExits64AsLocally() throws {
    let history = try ServerRouteTests.history.get()
    let server = try ServerProcess(db: history.db)
    defer { server.forceStop() }
    let arguments = ["trend", "--step", "RUN"]
    let local = try CLI.run(arguments + ["--db", history.db], environment: Self.terminal)
    let remote = try CLI.run(
      arguments + ["--server", "http://127.0.0.1:\(server.port)"], environment: Self.terminal)
    #expect(local.status == 64, "\(local.stderr)")
    #expect(remote.status == 64, "\(remote.stderr)")
    #expect(remote.stderr == local.stderr)
    #expect(remote.stderr.contains("matches"))
  }

  @Test func theReportFileIsTheLocalOne() throws {
    let history = try ServerRouteTests.history.get()
    let server = try ServerProcess(db: history.db)
    defer { server.forceStop() }
    for flags in [[String](), ["--last", "5"]] {
      let local = history.root.appendingPathComponent("local.html").path
      let remote = history.root.appendingPathComponent("remote.html").path
      let l = try CLI.run(["report", "--html", local, "--db", history.db] + flags)
      let r = try CLI.run(
        ["report", "--html", remote, "--server", "http://127.0.0.1:\(server.port)"] + flags)
      try #require(l.status == 0 && r.status == 0, "\(l.stderr) \(r.stderr)")
      let written = try String(contentsOfFile: remote, encoding: .utf8)
      #expect(written.contains("<html"))
      #expect(
        ServerRouteTests.undated(written)
          == ServerRouteTests.undated(try String(contentsOfFile: local, encoding: .utf8)))
      #expect(r.stderr.replacingOccurrences(of: remote, with: local) == l.stderr)
    }
  }

  @Test func anUnreachableServerIsOneLine() throws {
    let history = try ServerRouteTests.history.get()
    let server = try ServerProcess(db: history.db)
    let port = server.port
    #expect(server.stop() == 0)
    let start = Date()
    let r = try CLI.run(["builds", "--server", "http://127.0.0.1:\(port)"])
    #expect(Date().timeIntervalSince(start) < 10, "a refused connection fails at once")
    #expect(r.status == 1)
    #expect(r.stdout.isEmpty)
    #expect(
      r.stderr
        == "buildtrail: error: cannot reach http://127.0.0.1:\(port)/api/v1/builds: connection refused (is `buildtrail serve` running there?)\n"
    )
  }

  @Test func tokensAreSentAndAMissingOneIsExplained() throws {
    let history = try ServerRouteTests.history.get()
    let root = try scratchDirectory()
    let reader = try ServerAuthTests.newToken("reader", scope: "read")
    let tokens = root.appendingPathComponent("tokens").path
    try (reader.line + "\n").write(toFile: tokens, atomically: true, encoding: .utf8)
    let server = try ServerProcess(db: history.db, arguments: ["--tokens", tokens])
    defer { server.forceStop() }
    let url = "http://127.0.0.1:\(server.port)"
    let local = try CLI.run(["builds", "--db", history.db])

    let none = try CLI.run(["builds", "--server", url], environment: ["BUILDTRAIL_TOKEN": ""])
    #expect(none.status == 1)
    #expect(none.stderr.contains("answered 401"), "\(none.stderr)")
    #expect(none.stderr.contains("pass --token TOKEN (or set BUILDTRAIL_TOKEN)"))

    let flag = try CLI.run(["builds", "--server", url, "--token", reader.token])
    #expect(flag.status == 0, "\(flag.stderr)")
    #expect(flag.stdout == local.stdout)
    let environment = try CLI.run(
      ["builds", "--server", url], environment: ["BUILDTRAIL_TOKEN": reader.token])
    #expect(environment.stdout == local.stdout)
    #expect(!server.stderr.contains(reader.token))
  }

  @Test func theEnvironmentNamesTheServerAndDbWins() throws {
    let history = try ServerRouteTests.history.get()
    let server = try ServerProcess(db: history.db)
    defer { server.forceStop() }
    let url = "http://127.0.0.1:\(server.port)"
    let local = try CLI.run(["builds", "--db", history.db])
    let empty = try scratchDirectory().appendingPathComponent("none.db").path

    let fromEnvironment = try CLI.run(
      ["builds"], environment: ["BUILDTRAIL_SERVER": url, "BUILDTRAIL_DB": empty])
    #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
    #expect(fromEnvironment.stdout == local.stdout)

    let dbWins = try CLI.run(
      ["builds", "--db", history.db], environment: ["BUILDTRAIL_SERVER": "http://127.0.0.1:1"])
    #expect(dbWins.status == 0, "\(dbWins.stderr)")
    #expect(dbWins.stdout == local.stdout)

    let both = try CLI.run(["builds", "--db", history.db, "--server", url])
    #expect(both.status == 64)
    #expect(both.stderr.contains("give one of them"))
  }

  @Test func theDataFormCarriesTheTypedError() throws {
    let history = try ServerRouteTests.history.get()
    let server = try ServerProcess(db: history.db)
    defer { server.forceStop() }
    let plain = try server.get("/api/v1/builds/999")
    #expect(plain.status == 404)
    #expect(plain.body == "{\n  \"error\" : \"no build 999 in the history\"\n}\n")
    let data = try server.get("/api/v1/builds/999", accept: "application/vnd.buildtrail.data+json")
    #expect(data.status == 404)
    #expect(data.contentType == "application/vnd.buildtrail.data+json")
    #expect(
      data.body.contains("\"failure\":{\"store\":{\"_0\":{\"noSuchBuild\":{\"_0\":\"999\"}}}}"))
    let latest = try server.get("/api/v1/builds/latest")
    #expect(latest.status == 200)
    #expect(latest.body == (try CLI.run(["show", "--db", history.db, "--format", "json"])).stdout)
  }
}
