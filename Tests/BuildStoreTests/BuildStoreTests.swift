import BuildLog
import BuildtrailMigrations
import Foundation
import GRDB
import Testing

@testable import BuildStore

func sampleBuild(outcome: BuildOutcome = .success, steps: [ParsedStep]? = nil) -> ParsedBuild {
  ParsedBuild(
    format: .plain,
    steps: steps ?? [
      ParsedStep(
        vertex: 1, name: "[internal] load build definition from Dockerfile", status: .done,
        duration: 0.1),
      ParsedStep(
        vertex: 2, name: "[base 1/3] FROM docker.io/library/python:3.12@sha256:aaaa", status: .done,
        duration: 0.0),
      ParsedStep(vertex: 3, name: "[base 2/3] RUN uv sync", status: .cached),
      ParsedStep(
        vertex: 4, name: "[base 3/3] COPY . /app", status: .done, duration: 2.5, outputLineCount: 2,
        outputTail: ["one", "two"]),
    ],
    outcome: outcome, builderName: "default", driver: "docker",
    warnings: ["JSONArgsRecommended: x (line 4)"],
    imageNames: ["app:1"], contextTransferBytes: 4800)
}

func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "buildtrail-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Suite struct BuildStoreTests {
  @Test func recordsABuildAndReadsItBack() throws {
    // Given an empty history
    let store = try BuildStore.inMemory()
    // When a build is recorded with its metadata
    let results = try store.record([
      NewBuild(
        parsed: sampleBuild(), logSHA256: "abc",
        recordedAt: Date(timeIntervalSince1970: 1_700_000_000), target: "prod",
        labels: ["env": "ci"],
        git: GitFacts(
          commit: "0123456789abcdef", branch: "main", subject: "Bump deps", dirty: false),
        ci: CIFacts(provider: "github-actions", runID: "42", url: "https://example.invalid/run/42"),
        inputs: [
          InputFact(
            path: "uv.lock", role: .lockfile,
            sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", bytes: 3,
            content: Data("abc".utf8))
        ])
    ])
    // Then it reads back whole
    let id = try #require(results.first?.id)
    #expect(results == [.recorded(id: id)])
    let detail = try #require(try store.build(id: id))
    #expect(detail.summary.branch == "main")
    #expect(detail.summary.target == "prod")
    #expect(detail.summary.stepsTotal == 2)
    #expect(detail.summary.stepsCached == 1)
    #expect(detail.summary.stepSeconds == 2.6)
    #expect(detail.labels == ["env": "ci"])
    #expect(detail.ci?.runID == "42")
    #expect(detail.steps.map(\.status) == [.done, .done, .cached, .done])
    #expect(detail.steps[2].key == "||base|RUN uv sync")
    #expect(
      detail.baseImages == [
        StoredBaseImage(
          stage: "base", reference: "docker.io/library/python:3.12", digest: "sha256:aaaa",
          position: 1)
      ])
    #expect(detail.warnings == ["JSONArgsRecommended: x (line 4)"])
    #expect(
      detail.inputs == [
        StoredInput(
          path: "uv.lock", role: .lockfile,
          sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", bytes: 3)
      ])
    #expect(
      try store.inputContent(
        sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        == Data("abc".utf8))
    #expect(try store.stepOutput(buildID: id, position: 3) == ["one", "two"])
  }

  @Test func recordingTheSameLogTwiceKeepsOneBuild() throws {
    let store = try BuildStore.inMemory()
    let first = try store.record([NewBuild(parsed: sampleBuild(), logSHA256: "same")])
    let second = try store.record([NewBuild(parsed: sampleBuild(), logSHA256: "same")])
    #expect(second == [.alreadyRecorded(id: first[0].id)])
    #expect(try store.builds().count == 1)
  }

  @Test func aLogIsRecordedAllOrNothing() throws {
    // Given a history that refuses the label value "boom"
    let store = try BuildStore.inMemory()
    try store.writer.write { db in
      try db.execute(
        sql:
          "CREATE TRIGGER refuse BEFORE INSERT ON build_label WHEN NEW.value = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END"
      )
    }
    // When the second build of a log has such a label
    let good = NewBuild(parsed: sampleBuild(), logSHA256: "log", buildIndex: 0)
    var bad = NewBuild(parsed: sampleBuild(), logSHA256: "log", buildIndex: 1)
    bad.labels = ["env": "boom"]
    #expect(throws: (any Error).self) { try store.record([good, bad]) }
    // Then nothing of the log is kept, not even its first build
    #expect(try store.builds().isEmpty)
  }

  @Test func filtersBuilds() throws {
    let store = try BuildStore.inMemory()
    for (i, (branch, outcome)) in [
      ("main", BuildOutcome.success), ("main", .failed), ("feature", .success),
    ].enumerated() {
      _ = try store.record([
        NewBuild(
          parsed: sampleBuild(outcome: outcome), logSHA256: "log\(i)",
          recordedAt: Date(timeIntervalSince1970: Double(1000 + i)),
          labels: ["n": "\(i)"], git: GitFacts(branch: branch))
      ])
    }
    #expect(try store.builds(BuildFilter(branch: "main")).map(\.id) == [2, 1])
    #expect(try store.builds(BuildFilter(outcome: .failed)).map(\.id) == [2])
    #expect(try store.builds(BuildFilter(labels: ["n": "2"])).map(\.id) == [3])
    #expect(try store.builds(BuildFilter(limit: 1)).map(\.id) == [3])
    #expect(try store.latestBuildID() == 3)
  }

  @Test func exitCodeDecidesTheOutcomeOfAWrappedBuild() throws {
    let store = try BuildStore.inMemory()
    let r = try store.record([
      NewBuild(parsed: sampleBuild(outcome: .unknown), logSHA256: "x", exitCode: 1)
    ])
    #expect(try store.build(id: r[0].id)?.summary.outcome == .failed)
  }
}

@Suite struct StoreFileTests {
  @Test func aFileThatIsNotSQLiteIsNamed() throws {
    let dir = try temporaryDirectory()
    let path = dir.appendingPathComponent("notes.db").path
    try Data(String(repeating: "not a database\n", count: 100).utf8).write(
      to: URL(fileURLWithPath: path))
    #expect(throws: StoreError.notADatabase(path: path)) { try BuildStore(path: path) }
  }

  @Test func aNewerSchemaIsRefused() throws {
    let dir = try temporaryDirectory()
    let path = dir.appendingPathComponent("history.db").path
    _ = try BuildStore(path: path)
    let queue = try DatabaseQueue(path: path)
    try queue.write {
      try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('0099_future')")
    }
    #expect(throws: StoreError.newerSchema(path: path, unknownMigrations: ["0099_future"])) {
      try BuildStore(path: path)
    }
  }

  @Test func aReadOnlyFolderIsNamed() throws {
    guard getuid() != 0 else { return try readOnlyFileIsNamed() }
    let dir = try temporaryDirectory()
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
    let path = dir.appendingPathComponent("history.db").path
    #expect(throws: StoreError.self) { try BuildStore(path: path) }
  }

  /// As root, permissions do not stop writes; an immutable-looking path does: a folder that is a file.
  func readOnlyFileIsNamed() throws {
    let dir = try temporaryDirectory()
    let blocker = dir.appendingPathComponent("file")
    try Data("x".utf8).write(to: blocker)
    let path = blocker.appendingPathComponent("history.db").path
    #expect(
      throws: StoreError.cannotOpen(path: path, reason: "the file cannot be created or opened")
    ) {
      try BuildStore(path: path)
    }
  }

  @Test func aLockedDatabaseIsNamed() throws {
    let dir = try temporaryDirectory()
    let path = dir.appendingPathComponent("history.db").path
    let store = try BuildStore(path: path, busyTimeout: 0.2)
    var configuration = Configuration()
    configuration.busyMode = .immediateError
    let other = try DatabaseQueue(path: path, configuration: configuration)
    try other.inDatabase { db in
      // Given another process holding the write lock
      try db.execute(sql: "BEGIN EXCLUSIVE")
      // Then recording waits, gives up and names the file
      #expect(throws: StoreError.locked(path: path)) {
        try store.record([NewBuild(parsed: sampleBuild(), logSHA256: "l")])
      }
      try db.execute(sql: "ROLLBACK")
    }
    #expect(try store.builds().isEmpty)
  }

  @Test func migrationsAreAllRegistered() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Migrations/SQL")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      $0.hasSuffix(".sql")
    }.sorted()
    #expect(files.map { String($0.dropLast(4)) } == BuildtrailMigrations.all.map(\.identifier))
  }
}
