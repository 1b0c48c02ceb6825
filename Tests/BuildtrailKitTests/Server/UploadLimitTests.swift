import BuildtrailKit
import Foundation
import Testing

/// The limits of `POST /api/v1/builds` on a real `serve`: tokens and announced sizes refused before
/// any body byte is read, sizes counted while streaming (gzip included), the cap on uploads in
/// flight, a cut connection, and SIGTERM during an upload.
@Suite(.serialized) struct UploadLimitTests {
  static let log = ExplainFixtureTests.fixtures.appendingPathComponent("00-initial.log")

  /// An upload of the uv scenario's log `name` without metadata.
  static func upload(_ name: String = "00-initial.log") throws -> Data {
    try UploadBody(
      UploadMetadata(logName: name, recordedAt: Date(), metadata: RecordMetadata()),
      log: try Data(contentsOf: ExplainFixtureTests.fixtures.appendingPathComponent(name))
    ).closed
  }

  /// Sends the headers of an upload of `body` and its first `sent` bytes, and waits (up to 5 s) until
  /// the server has begun to receive it.
  static func begin(_ body: Data, sent: Int, on server: ServerProcess, db: String) throws
    -> RawHTTPConnection
  {
    let connection = try RawHTTPConnection(port: server.port)
    try connection.send(
      RawHTTPConnection.head(
        "POST", "/api/v1/builds",
        headers: [("Content-Type", UploadBody.contentType), ("Content-Length", String(body.count))])
        + body.prefix(sent))
    var waited = 0
    while UploadRouteTests.leftovers(db).isEmpty && waited < 100 {
      usleep(50_000)
      waited += 1
    }
    #expect(!UploadRouteTests.leftovers(db).isEmpty, "the upload is being received")
    return connection
  }

  /// Headers announcing a 512 MiB body, sent without it.
  static func headersOfAHugeBody(_ extra: [(String, String)] = []) -> Data {
    RawHTTPConnection.head(
      "POST", "/api/v1/builds",
      headers: [("Content-Type", UploadBody.contentType), ("Content-Length", String(512 << 20))]
        + extra)
  }

  @Test func tokensAreCheckedBeforeTheBodyIsRead() throws {
    let (server, reader, recorder) = try ServerAuthTests.serverWithTokens(
      in: try scratchDirectory())
    defer { server.forceStop() }

    for (token, status, message) in [
      (nil, 401, "needs a bearer token with scope record"),
      ("bt_nope", 401, "the token is not known to this server"),
      (reader, 403, "the token dashboard has scope read; this needs record"),
    ] {
      let connection = try RawHTTPConnection(port: server.port, timeout: 20)
      try connection.send(
        Self.headersOfAHugeBody(token.map { [("Authorization", "Bearer \($0)")] } ?? []))
      let reply = try connection.response()
      #expect(reply.status == status, "answered with none of the 512 MiB sent: \(reply.body)")
      #expect(reply.body.contains(message))
    }
    let missing = try server.post(
      "/api/v1/inputs/missing", body: Data("{\"sha256\": []}".utf8),
      contentType: "application/json", token: reader)
    #expect(missing.status == 403)

    let allowed = try server.post(body: try Self.upload(), token: recorder)
    #expect(allowed.status == 201, "\(allowed.body)")
    #expect(try server.missingInputs([], token: recorder).isEmpty)
    #expect(server.stop() == 0)
    #expect(!server.stderr.contains(recorder) && !server.stderr.contains(reader))
  }

  @Test func sizesAreRefusedWhenAnnouncedAndWhileStreaming() throws {
    let db = try scratchDirectory().appendingPathComponent("history.db").path
    let server = try ServerProcess(db: db, arguments: ["--max-upload-bytes", "1000000"])
    defer { server.forceStop() }
    let connection = try RawHTTPConnection(port: server.port, timeout: 20)
    try connection.send(Self.headersOfAHugeBody())
    let announced = try connection.response()
    #expect(announced.status == 413)
    #expect(
      announced.body.contains(
        "the upload is larger than this server's limit of 1000000 bytes (serve --max-upload-bytes)")
    )

    // 8 MB of log in about 8 kB of gzip: stopped when the inflated bytes pass the limit.
    var bomb = UploadBody()
    bomb.add(
      name: "metadata", filename: nil, type: "application/json",
      try UploadMetadata(logName: nil, recordedAt: Date(), metadata: RecordMetadata()).encoded())
    bomb.add(log: Data(repeating: UInt8(ascii: "a"), count: 8_000_000))
    let compressed = try UploadBody.gzip(bomb.closed)
    #expect(compressed.count < 100_000)
    let inflated = try server.post(body: compressed, headers: [("Content-Encoding", "gzip")])
    #expect(inflated.status == 413, "\(inflated.body)")

    var bigMetadata = UploadBody()
    bigMetadata.add(
      name: "metadata", filename: nil, type: "application/json",
      Data(repeating: UInt8(ascii: " "), count: 17 << 20))
    bigMetadata.add(log: try Data(contentsOf: Self.log))
    let tooBig = try ServerProcess(db: db + "-2")
    defer { tooBig.forceStop() }
    let metadataReply = try tooBig.post(body: bigMetadata.closed)
    #expect(metadataReply.status == 413)
    #expect(metadataReply.body.contains("the metadata part is larger than 16 MiB"))

    #expect(try server.post(body: try Self.upload()).status == 201)
    #expect(try CLI.builds(db: db).count == 1)
    #expect(UploadRouteTests.leftovers(db).isEmpty)
  }

  @Test func uploadsPastTheCapWaitTheirTurn() throws {
    let db = try scratchDirectory().appendingPathComponent("history.db").path
    let server = try ServerProcess(db: db, arguments: ["--max-concurrent-uploads", "1"])
    defer { server.forceStop() }
    let body = try Self.upload()
    let first = try Self.begin(body, sent: body.count / 2, on: server, db: db)
    let second = try server.post(body: try Self.upload("01-app-code.log"))
    #expect(second.status == 503, "\(second.body)")
    #expect(second.headers["retry-after"] == "2")
    #expect(second.body.contains("uploads are in progress, the most this server takes at once"))
    try first.send(body.suffix(from: body.count / 2))
    #expect(try first.response().status == 201)
    #expect(try server.post(body: try Self.upload("02-add-dependency.log")).status == 201)
  }

  @Test func aCutUploadLeavesNothing() throws {
    let db = try scratchDirectory().appendingPathComponent("history.db").path
    let server = try ServerProcess(db: db)
    defer { server.forceStop() }
    let body = try Self.upload()
    do {
      _ = try Self.begin(body, sent: body.count - 100, on: server, db: db)
    }
    var waited = 0
    while !UploadRouteTests.leftovers(db).isEmpty && waited < 200 {
      usleep(50_000)
      waited += 1
    }
    #expect(UploadRouteTests.leftovers(db).isEmpty, "the cut upload's files are removed")
    #expect(try CLI.builds(db: db).isEmpty)
    #expect(try server.get("/healthz").status == 200)
  }

  @Test func sigtermFinishesTheUploadInFlightAndRefusesNewOnes() throws {
    let db = try scratchDirectory().appendingPathComponent("history.db").path
    let server = try ServerProcess(db: db)
    defer { server.forceStop() }
    let body = try Self.upload()
    let inFlight = try Self.begin(body, sent: body.count / 2, on: server, db: db)
    kill(server.process.processIdentifier, SIGTERM)
    var waited = 0
    while RawHTTPConnection.accepts(port: server.port) && waited < 100 {
      usleep(50_000)
      waited += 1
    }
    #expect(!RawHTTPConnection.accepts(port: server.port), "no new connection once stopping")
    #expect(server.process.isRunning, "the upload in flight holds the server")
    try inFlight.send(body.suffix(from: body.count / 2))
    let reply = try inFlight.response()
    #expect(reply.status == 201, "\(reply.body)")
    #expect(server.stop() == 0)
    #expect(try CLI.builds(db: db).count == 1, "the upload in flight was stored")
  }
}

/// `serve --idle-timeout`: a connection silent within its headers or its body is closed, and the
/// upload it began leaves nothing.
@Suite struct UploadTimeoutTests {
  @Test func silentConnectionsAreClosed() throws {
    let db = try scratchDirectory().appendingPathComponent("history.db").path
    let server = try ServerProcess(db: db, arguments: ["--idle-timeout", "1"])
    defer { server.forceStop() }
    let headers = try RawHTTPConnection(port: server.port, timeout: 20)
    try headers.send(Data("POST /api/v1/builds HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-".utf8))
    let started = Date()
    #expect(throws: RawHTTPConnection.Failure.self) { try headers.response() }
    #expect(Date().timeIntervalSince(started) < 10, "closed after about a second of silence")

    let body = try UploadLimitTests.upload()
    let stalled = try UploadLimitTests.begin(body, sent: body.count / 2, on: server, db: db)
    #expect(throws: RawHTTPConnection.Failure.self) { try stalled.response() }
    var waited = 0
    while !UploadRouteTests.leftovers(db).isEmpty && waited < 100 {
      usleep(50_000)
      waited += 1
    }
    #expect(UploadRouteTests.leftovers(db).isEmpty, "the stalled upload's files are removed")
    #expect(try server.post(body: body).status == 201, "a prompt upload is not cut")
  }
}
