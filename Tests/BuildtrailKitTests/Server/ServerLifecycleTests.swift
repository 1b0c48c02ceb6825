import BuildtrailServer
import Foundation
import Testing

/// Starting and stopping `buildtrail serve`: health and readiness, a new history, signals, and the
/// listen address.
@Suite struct ServerLifecycleTests {
  @Test func answersHealthAndReadinessOnANewHistoryAndStopsOnSIGTERM() throws {
    let db = try scratchDirectory().appendingPathComponent("new/history.db").path
    let server = try ServerProcess(db: db)
    defer { server.forceStop() }
    #expect(FileManager.default.fileExists(atPath: db))
    let health = try server.get("/healthz")
    #expect(health.status == 200)
    #expect(health.body.contains("\"ok\""))
    let ready = try server.get("/readyz")
    #expect(ready.status == 200, "\(ready.body)")
    #expect(ready.body.contains("\"ready\""))

    let builds = try server.get("/api/v1/builds")
    #expect(builds.status == 200)
    #expect(builds.body == (try CLI.run(["builds", "--db", db, "--format", "json"])).stdout)
    let missing = try server.get("/api/v1/builds/1")
    #expect(missing.status == 404)
    #expect(missing.body.contains("no build 1 in the history"))
    let trend = try server.get("/api/v1/trend")
    #expect(trend.status == 404)
    #expect(trend.body.contains("has no builds yet"))
    let folder = URL(fileURLWithPath: db).deletingLastPathComponent().path
    #expect(!trend.body.contains(folder), "the answer names the server's folder: \(trend.body)")
    let remote = try CLI.run(["trend", "--server", "http://127.0.0.1:\(server.port)"])
    #expect(remote.status != 0)
    #expect(
      remote.stderr.contains(
        "the history \(URL(fileURLWithPath: db).lastPathComponent) has no builds yet"),
      "\(remote.stderr)")
    for (path, allow, use) in [
      ("/api/v1/builds", "GET, HEAD, POST", "GET or POST"),
      ("/api/v1/builds/7/why", "GET, HEAD", "GET"), ("/healthz", "GET, HEAD", "GET"),
      ("/api/v1/inputs/missing", "POST", "POST"),
    ] {
      let wrong = try server.get(path, method: "DELETE")
      #expect(wrong.status == 405, "\(path): \(wrong.body)")
      #expect(wrong.headers["allow"] == allow, "\(path)")
      #expect(
        wrong.body.contains("DELETE is not allowed on \(path); use \(use)\""), "\(wrong.body)")
    }
    #expect(try server.get("/api/v1/nowhere", method: "DELETE").status == 404)

    #expect(server.stop(SIGTERM) == 0)
    #expect(server.stderr.contains("buildtrail: stopped"))
    #expect(server.stderr.contains("path=/healthz"), "an access log line per request")
  }

  @Test func stopsOnSIGINTWithExitZero() throws {
    let db = try scratchDirectory().appendingPathComponent("history.db").path
    let server = try ServerProcess(db: db)
    defer { server.forceStop() }
    #expect(try server.get("/healthz").status == 200)
    #expect(server.stop(SIGINT) == 0)
  }

  @Test func refusesAnAddressInUse() throws {
    let db = try scratchDirectory().appendingPathComponent("history.db").path
    let first = try ServerProcess(db: db)
    defer { first.forceStop() }
    let second = try CLI.run(["serve", "--listen", "127.0.0.1:\(first.port)", "--db", db])
    #expect(second.status == 1)
    #expect(second.errorLines.first?.contains("cannot serve on 127.0.0.1:\(first.port)") == true)
    #expect(try first.get("/healthz").status == 200)
  }

  @Test func refusesABadListenAddress() throws {
    let db = try scratchDirectory().appendingPathComponent("history.db").path
    let r = try CLI.run(["serve", "--listen", "localhost", "--db", db])
    #expect(r.status == 64)
    #expect(r.stderr.contains("--listen: a listen address is HOST:PORT"))
    #expect(!FileManager.default.fileExists(atPath: db))
  }

  @Test(arguments: [
    ("127.0.0.1:8080", "127.0.0.1", 8080, true),
    ("0.0.0.0:0", "0.0.0.0", 0, false),
    ("[::1]:9000", "::1", 9000, true),
    ("localhost:65535", "localhost", 65535, true),
    ("ci.example:80", "ci.example", 80, false),
  ])
  func readsListenAddresses(text: String, host: String, port: Int, loopback: Bool) throws {
    let address = try ListenAddress(parsing: text)
    #expect(address == ListenAddress(host: host, port: port))
    #expect(address.isLoopback == loopback)
    #expect(address.description == text)
  }

  @Test(arguments: [
    "8080", ":8080", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "::1:8080", "a b:1",
    "127.0.0.1:+80", "127.0.0.1:080000",
  ])
  func refusesMalformedListenAddresses(text: String) {
    #expect(throws: (any Error).self) { try ListenAddress(parsing: text) }
  }
}
