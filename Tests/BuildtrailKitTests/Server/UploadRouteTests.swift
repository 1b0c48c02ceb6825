import BuildStore
import BuildtrailRendering
import Foundation
import Testing

@testable import BuildtrailKit

/// `POST /api/v1/builds` and `POST /api/v1/inputs/missing` on a real `serve`: an upload is recorded
/// exactly as `record` records the same log with the same metadata into a local history.
@Suite(.serialized) struct UploadRouteTests {
  static let fixtures = ExplainFixtureTests.fixtures
  static let recordedAt = Date(timeIntervalSince1970: 1_780_000_000.25)

  /// The metadata `record LOG --context .` gathers in `project`.
  static func metadata(log: URL, project: URL) -> RecordMetadata {
    var warnings: [String] = []
    return MetadataCollector(
      request: RecordRequest(
        logPath: log.path, contextPath: ".", workingDirectory: project.path,
        environment: CLI.environment([:]))
    ).collect(warnings: &warnings)
  }

  /// A fresh uv scenario project, at its first commit.
  static func project(in root: URL) throws -> URL {
    let project = root.appendingPathComponent("backend")
    let r = try DockerTests.ScenarioTests.shell([
      DockerTests.ScenarioTests.script, "init", project.path,
    ])
    try #require(r.status == 0, "\(r.stderr)")
    return project
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  static func show(_ id: Int, db: String) throws -> String {
    let r = try CLI.run(["show", String(id), "--db", db, "--format", "json"])
    try #require(r.status == 0, "\(r.stderr)")
    return r.stdout
  }

  /// What is left in the server's uploads folder.
  static func leftovers(_ db: String) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: db + ".uploads")) ?? []
  }

  @Test func anUploadIsRecordedAsRecordRecordsIt() throws {
    let root = try scratchDirectory()
    let project = try Self.project(in: root)
    let local = try BuildStore(path: root.appendingPathComponent("local.db").path)
    let db = root.appendingPathComponent("server.db").path
    let server = try ServerProcess(db: db)
    defer { server.forceStop() }

    let log = Self.fixtures.appendingPathComponent("00-initial.log")
    let metadata = Self.metadata(log: log, project: project)
    let kept = metadata.inputs.filter { $0.content != nil }
    #expect(kept.count >= 2, "the Dockerfile and uv.lock are kept: \(metadata.inputs)")
    let upload = UploadMetadata(logName: log.path, recordedAt: Self.recordedAt, metadata: metadata)
    #expect(Set(upload.keptInputs.keys) == Set(kept.map(\.sha256)))
    let report = try Recorder(store: local).record(
      logAt: log.path, metadata: metadata, now: Self.recordedAt)
    let expected = RecordReportRenderer(format: .json, terminal: .plain).render(report.summary)
    let logBytes = try Data(contentsOf: log)

    let hashes = kept.map(\.sha256)
    #expect(Set(try server.missingInputs(hashes + hashes)) == Set(hashes))
    #expect(try server.missingInputs(hashes + hashes).count == hashes.count, "each hash once")

    let withoutInputs = try server.post(body: try UploadBody(upload, log: logBytes).closed)
    #expect(withoutInputs.status == 400, "\(withoutInputs.body)")
    let refusal = try Self.json(withoutInputs.body)
    #expect(refusal["missingInputs"] as? [String] == hashes.sorted())
    #expect((refusal["error"] as? String)?.contains("neither sent nor held") == true)
    #expect(try CLI.builds(db: db).isEmpty, "nothing is recorded without the inputs")

    let first = try server.post(body: try UploadBody(upload, inputs: kept, log: logBytes).closed)
    #expect(first.status == 201, "\(first.body)")
    #expect(first.contentType == "application/json; charset=utf-8")
    #expect(first.body == expected)
    #expect(try Self.show(1, db: db) == Self.show(1, db: local.path))
    #expect(try server.missingInputs(hashes).isEmpty, "the contents are held now")

    let again = try server.post(body: try UploadBody(upload, log: logBytes).closed)
    #expect(again.status == 200, "\(again.body)")
    let builds = try #require(try Self.json(again.body)["builds"] as? [[String: Any]])
    #expect(builds.count == 1 && builds[0]["id"] as? Int == 1 && builds[0]["new"] as? Bool == false)
    #expect(try CLI.builds(db: db).count == 1, "the same log again is no new build")

    // The next commit changes app code only: its inputs are held, so none is sent.
    let apply = try DockerTests.ScenarioTests.shell([
      DockerTests.ScenarioTests.script, "apply", project.path, "app-code",
    ])
    try #require(apply.status == 0, "\(apply.stderr)")
    let nextLog = Self.fixtures.appendingPathComponent("01-app-code.log")
    let next = Self.metadata(log: nextLog, project: project)
    let nextUpload = UploadMetadata(
      logName: nextLog.path, recordedAt: Self.recordedAt, metadata: next)
    _ = try Recorder(store: local).record(logAt: nextLog.path, metadata: next, now: Self.recordedAt)
    #expect(try server.missingInputs(Array(nextUpload.keptInputs.keys)).isEmpty)
    let second = try server.post(
      body: try UploadBody(nextUpload, log: try Data(contentsOf: nextLog)).closed)
    #expect(second.status == 201, "\(second.body)")
    #expect(try Self.show(2, db: db) == Self.show(2, db: local.path))
    let why = try CLI.run(["why", "2", "--db", db, "--format", "json"])
    #expect(
      why.stdout == (try CLI.run(["why", "2", "--db", local.path, "--format", "json"])).stdout)
    #expect(Self.leftovers(db).isEmpty, "every upload's files are removed")
    #expect(server.stop() == 0)
    #expect(
      !FileManager.default.fileExists(atPath: db + ".uploads"), "the folder goes with the server")
  }

  @Test func aGzipBodyIsInflatedAsItArrives() throws {
    let root = try scratchDirectory()
    let db = root.appendingPathComponent("server.db").path
    let local = try BuildStore(path: root.appendingPathComponent("local.db").path)
    let server = try ServerProcess(db: db)
    defer { server.forceStop() }
    let log = CLI.repositoryRoot.appendingPathComponent(
      "Tests/BuildLogTests/Fixtures/docker20-multistage-cold.log")
    let metadata = RecordMetadata(target: "app", labels: ["env": "ci", "team": "build"])
    let upload = UploadMetadata(
      logName: nil, recordedAt: Self.recordedAt, exitCode: 0,
      startedAt: Self.recordedAt.addingTimeInterval(-30), endedAt: Self.recordedAt,
      metadata: metadata)
    let body = try UploadBody.gzip(UploadBody(upload, log: try Data(contentsOf: log)).closed)

    let cut = try server.post(
      body: body.prefix(body.count / 2), headers: [("Content-Encoding", "gzip")])
    #expect(cut.status == 400, "\(cut.body)")
    let reply = try server.post(body: body, headers: [("Content-Encoding", "gzip")])
    #expect(reply.status == 201, "\(reply.body)")
    let report = try Recorder(store: local).record(
      spooledLogAt: log.path, metadata: metadata, exitCode: 0,
      started: upload.startedAt, ended: upload.endedAt)
    #expect(try Self.json(reply.body)["exit_code"] as? Int == 0)
    #expect(try CLI.builds(db: db).count == report.entries.count)
    let shown = try #require(try Self.json(try Self.show(1, db: db))["build"] as? [String: Any])
    #expect((shown["labels"] as? [String: String]) == ["env": "ci", "team": "build"])
    #expect((shown["build"] as? [String: Any])?["target"] as? String == "app", "\(shown)")
    #expect(Self.leftovers(db).isEmpty)
  }

  @Test func badUploadsAreRefusedWithTheirReason() throws {
    let root = try scratchDirectory()
    let project = try Self.project(in: root)
    let db = root.appendingPathComponent("server.db").path
    let server = try ServerProcess(db: db)
    defer { server.forceStop() }
    let log = Self.fixtures.appendingPathComponent("00-initial.log")
    let logBytes = try Data(contentsOf: log)
    let metadata = Self.metadata(log: log, project: project)
    let kept = metadata.inputs.filter { $0.content != nil }
    let upload = UploadMetadata(
      logName: "build.log", recordedAt: Self.recordedAt, metadata: metadata)

    let document = try upload.encoded()
    func body(_ parts: [(name: String, filename: String?, content: Data)]) -> Data {
      var body = UploadBody()
      for part in parts {
        body.add(
          name: part.name, filename: part.filename,
          type: part.name == "metadata" ? "application/json" : "application/octet-stream",
          part.content)
      }
      return body.closed
    }
    var future = upload
    future.version = 2
    let refusals: [(body: Data, headers: [(String, String)], status: Int, message: String)] = [
      (
        body([
          ("metadata", nil, document), ("input", kept[0].sha256, Data("FROM scratch\n".utf8)),
          ("log", "build.log", logBytes),
        ]), [], 400, "the input part sent as \(kept[0].sha256) has SHA-256"
      ),
      (
        body([
          ("metadata", nil, document),
          ("input", String(repeating: "ab", count: 32), Data("x".utf8)),
          ("log", "build.log", logBytes),
        ]), [], 400, "is not a kept input of the metadata"
      ),
      (
        try UploadBody(upload, inputs: kept, log: logBytes).closed, [("Content-Encoding", "br")],
        415, "Content-Encoding br is not taken"
      ),
      (
        try UploadBody(upload, inputs: kept, log: Data()).closed, [], 422,
        "build.log is empty: nothing to record"
      ),
      (
        try UploadBody(upload, inputs: kept, log: Data("hello\nworld\n".utf8)).closed, [], 422,
        "no BuildKit, rawjson, tty or legacy build found in build.log"
      ),
      (
        try UploadBody(upload, inputs: kept, log: Data(count: 2 << 20)).closed, [], 422,
        "build.log is a binary file"
      ),
      (body([("metadata", nil, document)]), [], 400, "the body ends before a whole log part"),
      (
        body([("log", "build.log", logBytes)]), [], 400,
        "the log part comes before the metadata part"
      ),
      (
        body([("metadata", nil, Data("{\"version\": 1".utf8)), ("log", "build.log", logBytes)]),
        [], 400, "the metadata part is not an upload document"
      ),
      (
        try UploadBody(future, inputs: kept, log: logBytes).closed, [], 400,
        "the metadata is version 2; this server reads version 1"
      ),
    ]
    for (index, refusal) in refusals.enumerated() {
      let reply = try server.post(body: refusal.body, headers: refusal.headers)
      #expect(reply.status == refusal.status, "refusal \(index): \(reply.body)")
      #expect(reply.body.contains(refusal.message), "refusal \(index): \(reply.body)")
    }
    let plain = try server.post(body: logBytes, contentType: "text/plain")
    #expect(plain.status == 415)
    #expect(plain.body.contains("an upload is multipart/form-data"))

    let badQuery = try server.post(
      "/api/v1/inputs/missing", body: Data("{\"sha256\": [\"ABC\"]}".utf8),
      contentType: "application/json")
    #expect(badQuery.status == 400)
    #expect(badQuery.body.contains("is not a SHA-256 in lowercase hex"))
    let wrongMethod = try server.get("/api/v1/inputs/missing")
    #expect(wrongMethod.status == 405)
    #expect(wrongMethod.headers["allow"] == "POST")

    #expect(try CLI.builds(db: db).isEmpty, "no refused upload recorded anything")
    #expect(Self.leftovers(db).isEmpty, "refused uploads leave no file")
    let fine = try server.post(body: try UploadBody(upload, inputs: kept, log: logBytes).closed)
    #expect(fine.status == 201, "\(fine.body)")
  }

  @Test func concurrentUploadsAreAllStoredWhileReadsGoOn() throws {
    let root = try scratchDirectory()
    let db = root.appendingPathComponent("server.db").path
    let server = try ServerProcess(db: db, arguments: ["--max-concurrent-uploads", "8"])
    defer { server.forceStop() }
    let logs = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path)
      .filter { $0.hasSuffix(".log") }.sorted().prefix(8)
    try #require(logs.count == 8)
    final class Replies: @unchecked Sendable {
      let lock = NSLock()
      var statuses: [String: Int] = [:]
      var reads: [Int] = []
    }
    let replies = Replies()
    let group = DispatchGroup()
    for name in logs {
      group.enter()
      DispatchQueue.global().async {
        defer { group.leave() }
        let upload = UploadMetadata(
          logName: name, recordedAt: Self.recordedAt,
          metadata: RecordMetadata(labels: ["log": name]))
        let status =
          (try? server.post(
            body: UploadBody(
              upload, log: Data(contentsOf: Self.fixtures.appendingPathComponent(name))
            )
            .closed))?.status ?? -1
        replies.lock.withLock { replies.statuses[name] = status }
      }
      group.enter()
      DispatchQueue.global().async {
        defer { group.leave() }
        let status = (try? server.get("/api/v1/builds"))?.status ?? -1
        replies.lock.withLock { replies.reads.append(status) }
      }
    }
    group.wait()
    #expect(replies.statuses.count == 8)
    #expect(replies.statuses.values.allSatisfy { $0 == 201 }, "\(replies.statuses)")
    #expect(replies.reads.allSatisfy { $0 == 200 }, "\(replies.reads)")
    let builds = try CLI.builds(db: db)
    #expect(builds.count == 8)
    #expect(!server.stderr.contains("locked"))
    #expect(server.stop() == 0)
  }
}
