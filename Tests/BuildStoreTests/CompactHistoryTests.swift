import BuildLog
import BuildtrailMigrations
import Foundation
import GRDB
import Testing

@testable import BuildStore

/// Bytes the history file uses: page bytes less unused bytes (free pages and slack do not count).
func usedBytes(_ path: String, tables: [String]? = nil) throws -> Int {
  try DatabaseQueue(path: path).read { db in
    let filter =
      tables.map { " WHERE name IN (\($0.map { "'\($0)'" }.joined(separator: ",")))" } ?? ""
    return try Int.fetchOne(
      db, sql: "SELECT coalesce(sum(pgsize - unused), 0) FROM dbstat\(filter)") ?? 0
  }
}

/// A manifest of `files` files spread over `directories` folders (all in one folder when 1).
func manifestText(files: Int, directories: Int, changing changed: Int? = nil) -> Data {
  var lines: [String] = []
  for i in 0..<files {
    let folder = directories == 1 ? "" : "dir\(i % directories)/"
    var hash = SHA256Digest.hex(of: Data("file \(i)".utf8))
    if i == changed { hash = SHA256Digest.hex(of: Data("changed \(i)".utf8)) }
    lines.append("\(hash) \(i * 7) \(folder)file-\(i).py")
  }
  return Data(
    (lines.sorted { $0.split(separator: " ")[2] < $1.split(separator: " ")[2] }.joined(
      separator: "\n") + "\n").utf8)
}

@Suite struct CompactHistoryTests {
  @Test func aSimilarBuildIsStoredAgainstAnEarlierOne() throws {
    let store = try BuildStore.inMemory()
    _ = try store.record([NewBuild(parsed: sampleBuild(), logSHA256: "a")])
    var next = sampleBuild()
    next.steps[3].duration = 7.25
    _ = try store.record([NewBuild(parsed: next, logSHA256: "b")])
    let rows = try store.read {
      try Row.fetchAll($0, sql: "SELECT build_id, base_id, length(data) FROM build_record")
    }
    #expect(rows.map { $0[1] as Int64? } == [nil, 1])
    #expect((rows[1][2] as Int) * 2 < rows[0][2] as Int)
    #expect(try store.build(id: 2)?.steps.map(\.key) == (try store.build(id: 1)?.steps.map(\.key)))
    #expect(try store.build(id: 2)?.steps[3].durationSeconds == 7.25)
  }

  @Test func deletingABaseKeepsTheBuildsStoredAgainstIt() throws {
    let store = try BuildStore.inMemory()
    for i in 0..<4 {
      var build = sampleBuild()
      build.steps[3].duration = Double(i) + 0.5
      _ = try store.record([NewBuild(parsed: build, logSHA256: "d\(i)")])
    }
    let before = try (2...4).map { try #require(try store.build(id: Int64($0))) }
    _ = try store.delete(buildIDs: [1])
    #expect(try (2...4).map { try store.build(id: Int64($0)) } == before)
    let bases = try store.read {
      try Row.fetchAll($0, sql: "SELECT base_id FROM build_record ORDER BY build_id").map {
        $0[0] as Int64?
      }
    }
    #expect(bases == [nil, 2, 3])
  }

  @Test func keysReadBackAsRecordedForServicesAndRepeatedNames() throws {
    let store = try BuildStore.inMemory()
    let build = sampleBuild(steps: [
      ParsedStep(
        vertex: 1, name: "[backend internal] load build definition from Dockerfile", status: .done),
      ParsedStep(vertex: 2, name: "[backend base 2/3] RUN uv sync", status: .done, duration: 1),
      ParsedStep(vertex: 3, name: "[worker base 2/3] RUN uv sync", status: .cached),
      ParsedStep(vertex: 4, name: "[3/4] RUN echo hi", status: .done, duration: 1),
      ParsedStep(vertex: 5, name: "[4/4] RUN echo hi", status: .done, duration: 1),
    ])
    let id = try store.record([NewBuild(parsed: build, logSHA256: "k")])[0].id
    let steps = try #require(try store.build(id: id)).steps
    // As recorded: read from each name with the build's services, the second "RUN echo hi" marked #2.
    var expected = build.steps.map { StepName($0.name, services: ["backend"]).stableKey }
    expected[4] += "#2"
    #expect(expected[3] + "#2" == expected[4])
    #expect(steps.map(\.key) == expected)
    #expect(steps.map(\.service) == ["backend", "backend", "worker", nil, nil])
  }

  @Test func outputIsKeptCompressedInTheBuildsRecord() throws {
    let store = try BuildStore.inMemory()
    let lines = (0..<200).map { "Downloading package-\($0 % 7) (12.3MiB)" }
    let build = sampleBuild(steps: [
      ParsedStep(
        vertex: 1, name: "[1/2] RUN pip install", status: .done, duration: 1, outputLineCount: 200,
        outputTail: lines),
      ParsedStep(
        vertex: 2, name: "[2/2] RUN echo \"é ✓\"", status: .done, duration: 1, outputLineCount: 1,
        outputTail: ["é ✓ \u{1B}[2J"]),
    ])
    let id = try store.record([NewBuild(parsed: build, logSHA256: "o")])[0].id
    #expect(try store.stepOutput(buildID: id, position: 0) == lines)
    #expect(try store.stepOutput(buildID: id, position: 1) == ["é ✓ \u{1B}[2J"])
    let stored = try #require(
      try store.read { try Int.fetchOne($0, sql: "SELECT length(data) FROM build_record") })
    #expect(stored < lines.joined(separator: "\n").utf8.count / 10)
  }

  @Test func inputsAreCompressedAndReadBackExactly() throws {
    let store = try BuildStore.inMemory()
    let lock = Data(
      String(repeating: "[[package]]\nname = \"httpx\"\nversion = \"0.27.0\"\n", count: 200).utf8)
    let fact = InputFact(
      path: "uv.lock", role: .lockfile, sha256: SHA256Digest.hex(of: lock), bytes: lock.count,
      content: lock)
    _ = try store.record([NewBuild(parsed: sampleBuild(), logSHA256: "i", inputs: [fact])])
    #expect(try store.inputContent(sha256: fact.sha256) == lock)
    let stored = try store.read {
      try Int.fetchOne($0, sql: "SELECT length(data) FROM input_content WHERE codec = 1")
    }
    #expect(try #require(stored) < lock.count / 10)
  }

  @Test(arguments: [1, 100]) func aContextOfTenThousandFilesWithOneChangeAddsUnder5kB(
    directories: Int
  ) throws {
    let path = try temporaryDirectory().appendingPathComponent("history.db").path
    let store = try BuildStore(path: path)
    let first = manifestText(files: 10_000, directories: directories)
    let second = manifestText(files: 10_000, directories: directories, changing: 4321)
    _ = try store.record([NewBuild(parsed: sampleBuild(), logSHA256: "c1", contextManifest: first)])
    let before = try usedBytes(path, tables: ["context_node"])
    _ = try store.record([NewBuild(parsed: sampleBuild(), logSHA256: "c2", contextManifest: second)]
    )
    let added = try usedBytes(path, tables: ["context_node"]) - before
    #expect(added < 5_000, "one changed file added \(added) bytes of context nodes")
    #expect(try store.contextManifest(buildID: 1) == first)
    #expect(try store.contextManifest(buildID: 2) == second)
  }

  @Test func oddManifestsReadBackAsTheyWereWritten() throws {
    let store = try BuildStore.inMemory()
    let text = Data(
      "# truncated\n- 5 a b/c d\nnot-hex 3 a/.hidden\n\(String(repeating: "0", count: 64)) 0 a//x\n"
        .utf8)
    _ = try store.record([NewBuild(parsed: sampleBuild(), logSHA256: "m", contextManifest: text)])
    let back = try #require(try store.contextManifest(buildID: 1))
    #expect(manifestLines(back) == manifestLines(text))
    #expect(String(decoding: back, as: UTF8.self).hasPrefix("# truncated\n"))
  }

  @Test func schema3HistoriesAreMigratedWithTheirStepsOutputsAndImages() throws {
    let path = try temporaryDirectory().appendingPathComponent("old.db").path
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
      for m in BuildtrailMigrations.all.prefix(3) {
        try db.execute(sql: m.sql)
        try db.execute(sql: "INSERT INTO grdb_migrations VALUES (?)", arguments: [m.identifier])
      }
      try db.execute(
        sql: """
          INSERT INTO build (id, log_sha256, recorded_at, outcome, log_format) VALUES (7, 'old', '2025-01-05T18:29:13.031Z', 'success', 'plain');
          INSERT INTO step (id, build_id, position, vertex, name, kind, step_key, status, duration_seconds, started_at)
            VALUES (70, 7, 0, 1, '[1/2] FROM python:3.12', 'from', '||FROM python:3.12', 'done', 0.5, '2025-01-05T18:29:10.250Z'),
                   (71, 7, 1, 2, '[2/2] RUN uv sync', 'run', '||RUN uv sync', 'done', 1.5, '2025-01-05T18:29:11.999Z');
          INSERT INTO step_output (step_id, lines, text) VALUES (71, 2, 'Resolved 3 packages' || char(10) || 'Installed "x"');
          INSERT INTO base_image (build_id, step_id, reference, digest) VALUES (7, 70, 'docker.io/library/python:3.12', 'sha256:ab');
          """)
    }
    let store = try BuildStore(path: path)
    let detail = try #require(try store.build(id: 7))
    #expect(detail.steps.map(\.name) == ["[1/2] FROM python:3.12", "[2/2] RUN uv sync"])
    #expect(detail.steps.map(\.durationSeconds) == [0.5, 1.5])
    #expect(detail.steps[1].startedAt.map(UTCTimestamp.string(from:)) == "2025-01-05T18:29:11.999Z")
    #expect(
      try store.stepOutput(buildID: 7, position: 1) == ["Resolved 3 packages", "Installed \"x\""])
    #expect(
      detail.baseImages == [
        StoredBaseImage(
          stage: nil, reference: "docker.io/library/python:3.12", digest: "sha256:ab", position: 0)
      ])
    #expect(try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") } == ["ok"])
  }
}

/// A manifest's lines as a set (the tree reads files back sorted by path).
private func manifestLines(_ data: Data) -> Set<String> {
  Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
}
