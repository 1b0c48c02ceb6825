import BuildLog
import BuildStore
import BuildtrailKit
import Foundation
import Testing

@testable import BuildtrailServer

/// Real requests and answers of `buildtrail serve` over the uv history, validated against the OpenAPI
/// document it serves (Scripts/validate-openapi.py, Python's jsonschema): every read route's 200 and
/// its errors, access refusals, and the upload routes' bodies and answers.
@Suite(.serialized, .enabled(if: OpenAPIValidator.available, "needs python3 with jsonschema"))
struct OpenAPIConformanceTests {
  /// Answers that are errors, one or more per read route.
  static let errors = [
    "/api/v1/builds/999", "/api/v1/builds/abc", "/api/v1/builds/3?limit=1",
    "/api/v1/builds/999/why", "/api/v1/builds/3/why?against=x",
    "/api/v1/builds/999/steps/1", "/api/v1/builds/3/steps/no-such-step",
    "/api/v1/builds/3/steps/1?all=1",
    "/api/v1/builds?limit=0", "/api/v1/builds?outcome=meh", "/api/v1/builds?label=nokey",
    "/api/v1/diff", "/api/v1/diff?before=1&after=999", "/api/v1/broke?all=maybe",
    "/api/v1/trend?since=2026-02-30", "/api/v1/trend?step=zzz-none",
    "/api/v1/regressions?window=0", "/api/v1/check?max-slowdown=20", "/api/v1/check?build=999",
    "/api/v1/failures?last=x", "/?last=0",
  ]

  /// The document as served, written to a file for the script.
  static func servedDocument(_ server: ServerProcess, in root: URL) throws -> URL {
    let reply = try server.get("/api/v1/openapi.json")
    #expect(reply.status == 200)
    let file = root.appendingPathComponent("openapi.json")
    try Data(reply.body.utf8).write(to: file)
    let source = CLI.repositoryRoot.appendingPathComponent(
      "Sources/BuildtrailServer/OpenAPI/openapi.json")
    #expect(reply.body == (try String(contentsOf: source, encoding: .utf8)), "served as embedded")
    return file
  }

  /// Runs the script and expects every case to conform.
  static func expectConforming(_ cases: [OpenAPIValidator.Case], document: URL) throws {
    let verdict = try OpenAPIValidator.validate(cases, document: document)
    #expect(verdict.status == 0, "\(verdict.stdout)\(verdict.stderr)")
    #expect(verdict.stdout.hasSuffix("\(cases.count) validated, 0 failed\n"), "\(verdict.stdout)")
  }

  @Test func readRoutesAnswerAsDocumented() throws {
    let history = try ServerRouteTests.history.get()
    let server = try ServerProcess(db: history.db)
    defer { server.forceStop() }
    let document = try Self.servedDocument(server, in: history.root)
    var cases: [OpenAPIValidator.Case] = []
    var statuses: [String: Set<Int>] = [:]
    let paths =
      ServerRouteTests.routes.map(\.path) + Self.errors + [
        "/", "/healthz", "/readyz", "/api/v1/openapi.json", "/api/v1/builds/8/why",
        "/api/v1/builds/9/why", "/api/v1/broke?all=1", "/api/v1/trend?step=uv%20sync",
        "/builds/3", "/builds/999", "/builds/abc", "/api/v1/builds/latest",
        "/api/v1/builds/latest/why",
      ]
    for path in paths {
      let reply = try server.get(path)
      cases.append(OpenAPIValidator.Case("get", path, reply))
      statuses[Self.template(path), default: []].insert(reply.status)
    }
    try Self.expectConforming(cases, document: document)
    let reads = try OpenAPIDocumentTests.operations(try OpenAPIDocumentTests.document()).keys
      .filter { $0.hasPrefix("GET ") }.map { String($0.dropFirst(4)) }
    for path in reads {
      #expect(statuses[path]?.contains(200) == true, "\(path): \(statuses[path] ?? [])")
    }
    for path in QueryRoutes.all.map(\.path) {
      #expect(statuses[path]?.contains(400) == true, "\(path) has a 400 validated")
    }
  }

  @Test func refusalsAndUploadsAnswerAsDocumented() throws {
    let root = try scratchDirectory()
    let (server, reader, recorder) = try ServerAuthTests.serverWithTokens(in: root)
    defer { server.forceStop() }
    let document = try Self.servedDocument(server, in: root)

    var cases = [
      OpenAPIValidator.Case("get", "/api/v1/builds", try server.get("/api/v1/builds")),
      OpenAPIValidator.Case(
        "get", "/api/v1/check", try server.get("/api/v1/check", token: recorder)),
      OpenAPIValidator.Case("get", "/", try server.get("/", token: "bt_nope")),
      OpenAPIValidator.Case("post", "/api/v1/builds", try server.post(body: Data())),
    ]
    let log = try Data(
      contentsOf: ExplainFixtureTests.fixtures.appendingPathComponent("00-initial.log"))
    let query = #"{"sha256": ["\#(String(repeating: "a", count: 64))"]}"#
    let posts: [(path: String, body: Data, type: String, token: String)] = [
      ("/api/v1/inputs/missing", Data(query.utf8), "application/json", reader),
      ("/api/v1/inputs/missing", Data(query.utf8), "application/json", recorder),
      ("/api/v1/inputs/missing", Data("{}".utf8), "application/json", recorder),
      ("/api/v1/builds", log, "text/plain", recorder),
      ("/api/v1/builds", Data("--x--\r\n".utf8), UploadBody.contentType, recorder),
      ("/api/v1/builds", try Self.upload(.full, log: log), UploadBody.contentType, recorder),
      (
        "/api/v1/builds", try Self.upload(.bare, log: Data()), UploadBody.contentType,
        recorder
      ),
      ("/api/v1/builds", try Self.upload(.bare, log: log), UploadBody.contentType, recorder),
      ("/api/v1/builds", try Self.upload(.bare, log: log), UploadBody.contentType, recorder),
    ]
    var statuses: [Int] = []
    for post in posts {
      let reply = try server.post(
        post.path, body: post.body, contentType: post.type, token: post.token)
      cases.append(OpenAPIValidator.Case("post", post.path, reply))
      statuses.append(reply.status)
    }
    #expect(statuses == [403, 200, 400, 415, 400, 400, 422, 201, 200])
    #expect(cases.prefix(4).map(\.status) == [401, 403, 401, 401])
    for metadata in [Self.Metadata.full, .bare] {
      cases.append(
        OpenAPIValidator.Case(
          request: String(decoding: try metadata.upload.encoded(), as: UTF8.self), "post",
          "/api/v1/builds", type: "multipart/form-data", part: "metadata"))
    }
    cases.append(
      OpenAPIValidator.Case(
        request: query, "post", "/api/v1/inputs/missing", type: "application/json", part: nil))
    try Self.expectConforming(cases, document: document)
  }

  /// A bare upload document, and one with every field of the metadata set.
  enum Metadata {
    case bare, full

    var upload: UploadMetadata {
      let at = Date(timeIntervalSince1970: 1_780_000_000.25)
      guard self == .full else {
        return UploadMetadata(logName: nil, recordedAt: at, metadata: .init())
      }
      let input = InputFact(
        path: "uv.lock", role: .lockfile, sha256: String(repeating: "b", count: 64), bytes: 3,
        content: Data("abc".utf8))
      var metadata = RecordMetadata(
        target: "app", labels: ["team": "web"],
        git: GitFacts(
          commit: "abc", branch: "main", subject: "s", committedAt: at, dirty: false,
          shallow: true, root: "/src"),
        ci: CIFacts(provider: "github", runID: "1", jobID: "2", url: "https://ci.example/1"),
        context: ContextFacts(
          path: ".", dockerfilePath: "Dockerfile", files: 2, bytes: 10,
          entries: [ContextEntry(name: "src", files: 2, bytes: 10)]),
        inputs: [input], command: "docker buildx build .")
      metadata.contextManifest = Data("\(input.sha256) 3 uv.lock\n".utf8)
      metadata.daemonImageIDs = ["python:3.12": "sha256:" + String(repeating: "c", count: 64)]
      metadata.buildArguments = [
        BuildArgumentFact(
          name: "TOKEN", value: nil, sha256: String(repeating: "d", count: 64), secret: true,
          source: .command, fromEnvironment: true)
      ]
      metadata.cachePlumbing = CachePlumbingFact(
        commandKnown: true, noCache: false, cacheFrom: ["type=gha"], builderFlag: "ci",
        cacheImports: [.init(reference: "type=gha", outcome: .failed, error: "404")])
      metadata.composeServices = ["web"]
      metadata.services = ["web": RecordMetadata(target: "web")]
      metadata.onlyService = "web"
      return UploadMetadata(
        logName: "build.log", recordedAt: at, exitCode: 1, startedAt: at, endedAt: at,
        metadata: metadata)
    }
  }

  /// A multipart upload of `metadata` and `log`, without input parts.
  static func upload(_ metadata: Metadata, log: Data) throws -> Data {
    var body = UploadBody()
    body.add(
      name: "metadata", filename: nil, type: "application/json", try metadata.upload.encoded())
    body.add(log: log)
    return body.closed
  }

  /// The document's path for a concrete one: `{id}` and `{step}` for their segments.
  static func template(_ path: String) -> String {
    let segments = path.split(separator: "?")[0].split(separator: "/").map(String.init)
    if segments.count == 2, segments[0] == "builds" { return "/builds/{id}" }
    guard segments.count >= 4, segments[2] == "builds" else {
      return "/" + segments.joined(separator: "/")
    }
    var parts = segments
    parts[3] = "{id}"
    if parts.count == 6 { parts[5] = "{step}" }
    return "/" + parts.joined(separator: "/")
  }
}
