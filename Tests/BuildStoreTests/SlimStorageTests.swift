import BuildLog
import Foundation
import GRDB
import Testing

@testable import BuildStore

/// Schema 10's storage: input contents stored against their previous version, compressed context
/// nodes, failures, arguments and plumbing in the record, git commits as bytes.
@Suite struct SlimStorageTests {
  /// A lockfile of `packages` packages, one version bumped by `bump`.
  static func lock(_ packages: Int, bump: Int) -> Data {
    var text = "version = 1\nrequires-python = \">=3.12\"\n"
    for i in 0..<packages {
      text += "\n[[package]]\nname = \"pkg-\(i)\"\nversion = \"1.\(i == bump ? 99 : i).0\"\n"
      text += "source = { registry = \"https://pypi.org/simple\" }\n"
      text += "sdist = { hash = \"sha256:\(SHA256Digest.hex(of: Data("\(i)".utf8)))\" }\n"
    }
    return Data(text.utf8)
  }

  static func record(_ store: BuildStore, _ log: String, lock: Data) throws -> Int64 {
    let fact = InputFact(
      path: "uv.lock", role: .lockfile, sha256: SHA256Digest.hex(of: lock), bytes: lock.count,
      content: lock)
    return try store.record([NewBuild(parsed: sampleBuild(), logSHA256: log, inputs: [fact])])[0]
      .id
  }

  @Test func aChangedInputIsStoredAgainstItsPreviousVersionAndSurvivesItsDeletion() throws {
    let store = try BuildStore.inMemory()
    let locks = (0..<12).map { Self.lock(40, bump: $0) }
    for (i, lock) in locks.enumerated() { _ = try Self.record(store, "log-\(i)", lock: lock) }
    let rows = try store.read {
      try Row.fetchAll($0, sql: "SELECT codec, length(data), base IS NOT NULL FROM input_content")
    }
    #expect(rows.count == 12)
    let deltas = rows.filter { $0[0] == 2 }
    #expect(deltas.count >= 9)
    // Each delta costs a small part of the first version compressed on its own.
    let alone: Int = try #require(rows.first { $0[0] == 1 })[1]
    #expect(deltas.allSatisfy { ($0[1] as Int) * 4 < alone })
    for (i, lock) in locks.enumerated() {
      #expect(try store.inputContent(sha256: SHA256Digest.hex(of: lock)) == lock, "version \(i)")
    }
    // No chain is longer than the limit.
    let depths = try store.read { db in
      try Row.fetchAll(db, sql: "SELECT sha256 FROM input_content").map { row -> Int in
        var depth = 0
        var key = row[0] as DatabaseValue
        while let base = try DatabaseValue.fetchOne(
          db, sql: "SELECT base FROM input_content WHERE sha256 = ?", arguments: [key]),
          !base.isNull
        {
          depth += 1
          key = base
        }
        return depth
      }
    }
    #expect(depths.max()! <= BuildStore.maxInputChain)

    let report = try store.delete(buildIDs: Array(1...6))
    #expect(report.inputBlobs == 6)
    for lock in locks[6...] {
      #expect(try store.inputContent(sha256: SHA256Digest.hex(of: lock)) == lock)
    }
    let dangling = try store.read {
      try Int.fetchOne(
        $0,
        sql: """
          SELECT count(*) FROM input_content c WHERE c.base IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM input_content b WHERE b.sha256 = c.base)
          """)
    }
    #expect(dangling == 0)
  }

  @Test func aContextOfRepeatedFilesIsStoredCompressedAndReadsBack() throws {
    let store = try BuildStore.inMemory()
    let hash = SHA256Digest.hex(of: Data("same".utf8))
    var lines: [String] = []
    for p in 1...20 {
      for m in 1...15 {
        lines.append(
          "\(hash) 96000 .venv/lib/site-packages/pkg_\(String(format: "%02d", p))/module_\(m).py")
      }
    }
    let manifest = Data((lines.sorted().joined(separator: "\n") + "\n").utf8)
    _ = try store.record([
      NewBuild(parsed: sampleBuild(), logSHA256: "venv", contextManifest: manifest)
    ])
    let nodes = try store.read {
      try Row.fetchAll($0, sql: "SELECT data FROM context_node").map { $0[0] as Data }
    }
    #expect(nodes.contains { $0.first == 3 })
    #expect(nodes.map(\.count).reduce(0, +) < 1_500)
    #expect(try store.contextManifest(buildID: 1) == manifest)
  }

  @Test func aCommitIsStoredAsItsBytesAndReadAsHex() throws {
    let store = try BuildStore.inMemory()
    let sha1 = "8a641451de9d7d94906dd68fc88ea8a51240499c"
    for (i, commit) in [sha1, "not-a-hash", String(repeating: "ab", count: 32)].enumerated() {
      _ = try store.record([
        NewBuild(
          parsed: sampleBuild(), logSHA256: "c\(i)",
          git: GitFacts(commit: commit, branch: "main", subject: "s"))
      ])
    }
    let stored = try store.read {
      try Row.fetchAll($0, sql: "SELECT typeof(git_commit), length(git_commit) FROM build")
        .map { "\($0[0] as String) \($0[1] as Int)" }
    }
    #expect(stored == ["blob 20", "text 10", "blob 32"])
    #expect(
      try store.builds().compactMap(\.commit).sorted()
        == [sha1, "not-a-hash", String(repeating: "ab", count: 32)].sorted())
    #expect(try store.build(id: 1)?.git?.commit == sha1)
  }
}
