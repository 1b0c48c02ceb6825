import Foundation
import Testing

/// `buildtrail serve --tokens` with tokens made by `buildtrail token new`: 401 without a known
/// token, 403 without the scope, health checks open, tokens never printed by the server.
@Suite struct ServerAuthTests {
  static func newToken(_ name: String, scope: String) throws -> (token: String, line: String) {
    let r = try CLI.run(["token", "new", name, "--scope", scope])
    try #require(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    try #require(lines.count == 2, "\(r.stdout)")
    return (lines[0], lines[1])
  }

  /// A server on a fresh history in `root` with two tokens: `dashboard` (read) and `ci` (record).
  static func serverWithTokens(in root: URL) throws -> (
    server: ServerProcess, reader: String, recorder: String
  ) {
    let db = root.appendingPathComponent("history.db").path
    let reader = try newToken("dashboard", scope: "read")
    let recorder = try newToken("ci", scope: "record")
    let tokens = root.appendingPathComponent("tokens").path
    try (reader.line + "\n" + recorder.line + "\n").write(
      toFile: tokens, atomically: true, encoding: .utf8)
    let server = try ServerProcess(db: db, arguments: ["--tokens", tokens])
    return (server, reader.token, recorder.token)
  }

  @Test func tokensGateEveryRouteButHealth() throws {
    let root = try scratchDirectory()
    let db = root.appendingPathComponent("history.db").path
    let reader = try Self.newToken("dashboard", scope: "read")
    let recorder = try Self.newToken("ci", scope: "record")
    #expect(reader.line.hasPrefix("dashboard read ") && !reader.line.contains(reader.token))
    let tokens = root.appendingPathComponent("tokens").path
    try (reader.line + "\n" + recorder.line + "\n").write(
      toFile: tokens, atomically: true, encoding: .utf8)

    let server = try ServerProcess(db: db, arguments: ["--tokens", tokens])
    defer { server.forceStop() }
    #expect(try server.get("/healthz").status == 200)
    #expect(try server.get("/readyz").status == 200)

    let anonymous = try server.get("/api/v1/builds")
    #expect(anonymous.status == 401)
    #expect(anonymous.headers["www-authenticate"] == "Bearer realm=\"buildtrail\"")
    #expect(anonymous.body.contains("needs a bearer token with scope read"))
    #expect(try server.get("/").status == 401)
    #expect(try server.get("/api/v1/nothing").status == 401, "no route is told to a stranger")
    #expect(try server.get("/api/v1/builds", token: "bt_nope").status == 401)

    let forbidden = try server.get("/api/v1/builds", token: recorder.token)
    #expect(forbidden.status == 403)
    #expect(forbidden.body.contains("the token ci has scope record; this needs read"))

    let allowed = try server.get("/api/v1/builds", token: reader.token)
    #expect(allowed.status == 200)
    #expect(allowed.body == (try CLI.run(["builds", "--db", db, "--format", "json"])).stdout)

    #expect(server.stop() == 0)
    #expect(!server.stderr.contains(reader.token) && !server.stderr.contains(recorder.token))
    #expect(!server.stderr.contains("bt_nope"))
  }

  @Test func readAnonymousOpensReadsOnly() throws {
    let root = try scratchDirectory()
    let db = root.appendingPathComponent("history.db").path
    let tokens = root.appendingPathComponent("tokens").path
    try (try Self.newToken("ci", scope: "record").line + "\n").write(
      toFile: tokens, atomically: true, encoding: .utf8)
    let server = try ServerProcess(db: db, arguments: ["--tokens", tokens, "--read-anonymous"])
    defer { server.forceStop() }
    #expect(try server.get("/api/v1/builds").status == 200)
    #expect(try server.get("/api/v1/builds", token: "bt_nope").status == 401)
  }

  @Test func refusesABadTokensFileBeforeListening() throws {
    let root = try scratchDirectory()
    let tokens = root.appendingPathComponent("tokens").path
    try "ci record bt_0123\n".write(toFile: tokens, atomically: true, encoding: .utf8)
    let db = root.appendingPathComponent("history.db").path
    let r = try CLI.run(["serve", "--listen", "127.0.0.1:0", "--db", db, "--tokens", tokens])
    #expect(r.status == 1)
    #expect(
      r.errorLines.first?.contains("\(tokens) line 1: the hash is the token's SHA-256") == true)
    let missing = try CLI.run(["serve", "--db", db, "--read-anonymous"])
    #expect(missing.status == 64)
    #expect(missing.stderr.contains("--read-anonymous goes with --tokens"))
  }

  @Test func tokenNewRefusesBadNamesAndScopes() throws {
    let badScope = try CLI.run(["token", "new", "ci", "--scope", "write"])
    #expect(badScope.status == 64)
    #expect(badScope.stderr.contains("--scope takes read, record or read,record"))
    let badName = try CLI.run(["token", "new", "ci runner", "--scope", "read"])
    #expect(badName.status == 64)
    #expect(badName.stderr.contains("a token name is 1 to 64 letters"))
    let both = try Self.newToken("admin", scope: "record,read")
    #expect(both.line.hasPrefix("admin read,record "))
  }
}
