import BuildLog
import Foundation
import GRDB
import Testing

@testable import BuildStore

/// A build of `log` on `branch`, recorded `daysAgo` days before `now`, with a step of its own name,
/// a lockfile of its own content and a context list with one file of its own.
private func build(_ log: String, branch: String, daysAgo: Double, now: Date) -> NewBuild {
  var parsed = sampleBuild()
  parsed.steps.append(ParsedStep(vertex: 9, name: "[base 4/4] RUN echo \(log)", status: .done))
  let lock = Data("lock of \(log)\n".utf8)
  return NewBuild(
    parsed: parsed, logSHA256: log, recordedAt: now.addingTimeInterval(-daysAgo * 86_400),
    labels: ["log": log], git: GitFacts(commit: "c-\(log)", branch: branch),
    inputs: [
      InputFact(
        path: "uv.lock", role: .lockfile, sha256: SHA256Digest.hex(of: lock), bytes: lock.count,
        content: lock)
    ],
    contextManifest: manifestText(
      files: 300, directories: 10, changing: (Int(log.dropFirst(3)) ?? 0) * 37))
}

private func count(_ store: BuildStore, _ table: String) throws -> Int {
  try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? 0 }
}

@Suite struct MaintenanceTests {
  let now = Date(timeIntervalSince1970: 1_780_000_000)

  func history() throws -> BuildStore {
    let store = try BuildStore.inMemory()
    for (i, branch) in ["main", "feature", "main", "feature", "main"].enumerated() {
      _ = try store.record([
        build("log\(i)", branch: branch, daysAgo: Double(40 - i * 10), now: now)
      ])
    }
    return store
  }

  @Test func pruneCandidatesFollowAgeCountAndBranch() throws {
    let store = try history()
    // Recorded 40, 30, 20, 10 and 0 days ago; builds 2 and 4 are on feature.
    let older = { (days: Double) in self.now.addingTimeInterval(-days * 86_400) }
    #expect(
      try store.pruneCandidates(recordedBefore: older(25), keepNewest: nil, branch: nil).map(\.id)
        == [1, 2])
    #expect(
      try store.pruneCandidates(recordedBefore: older(25), keepNewest: nil, branch: "main").map(
        \.id) == [1])
    #expect(
      try store.pruneCandidates(recordedBefore: nil, keepNewest: 2, branch: nil).map(\.id) == [
        1, 2, 3,
      ])
    #expect(
      try store.pruneCandidates(recordedBefore: nil, keepNewest: 1, branch: "main").map(\.id) == [
        1, 3,
      ])
    #expect(
      try store.pruneCandidates(recordedBefore: nil, keepNewest: 0, branch: "feature").map(\.id)
        == [2, 4])
  }

  @Test func deletingBuildsRemovesWhatOnlyTheyReferred() throws {
    let store = try history()
    let before = try ["build_record", "input_content", "context_node"].map { try count(store, $0) }
    let report = try store.delete(buildIDs: [1, 2])
    #expect(report.deletedBuilds == [1, 2])
    #expect(try store.build(id: 1) == nil && store.build(id: 2) == nil)
    // Each build had one lockfile of its own; the context lists share most nodes.
    #expect(report.inputBlobs == 2)
    #expect(report.inputBlobBytes > 0)
    #expect(report.contextNodes > 0 && report.contextNodeBytes > 0)
    let after = try ["build_record", "input_content", "context_node"].map { try count(store, $0) }
    #expect(after == [before[0] - 2, before[1] - 2, before[2] - report.contextNodes])
    // The remaining builds read back whole.
    for id: Int64 in [3, 4, 5] {
      let detail = try #require(try store.build(id: id))
      #expect(detail.steps.count == 5)
      #expect(
        try store.contextManifest(buildID: id)
          == build("log\(id - 1)", branch: "", daysAgo: 0, now: now).contextManifest)
      #expect(
        try store.inputContent(sha256: detail.inputs[0].sha256)
          == Data("lock of log\(id - 1)\n".utf8))
    }
    #expect(try store.read { try String.fetchAll($0, sql: "PRAGMA foreign_key_check") }.isEmpty)
  }

  @Test func deletingAnUnknownBuildDeletesNothing() throws {
    let store = try history()
    #expect(throws: StoreError.noSuchBuild("7, 9")) { try store.delete(buildIDs: [1, 7, 9]) }
    #expect(try count(store, "build") == 5)
  }

  @Test func garbageCollectionRemovesContentsNoRecordLists() throws {
    let store = try history()
    try store.write { db in
      try db.execute(
        sql: "INSERT INTO input_content (sha256, bytes, data) VALUES ('dead', 1, x'00')")
    }
    let report = try store.write { try BuildStore.collectGarbage($0) }
    #expect(report.inputBlobs == 1)
    #expect(try store.inputContent(sha256: "dead") == nil)
    let detail = try #require(try store.build(id: 5))
    #expect(try store.inputContent(sha256: detail.inputs[0].sha256) == Data("lock of log4\n".utf8))
  }

  @Test func aBuildReadAndImportedElsewhereReadsBackTheSame() throws {
    let source = try history()
    let target = try BuildStore.inMemory()
    var ids: [Int64] = [5, 3, 1]
    let results = try target.importBuilds {
      try ids.popLast().flatMap { try source.portableBuild(id: $0) }
    }
    #expect(results == [.recorded(id: 1), .recorded(id: 3), .recorded(id: 5)])
    for id: Int64 in [1, 3, 5] {
      #expect(try target.portableBuild(id: id) == source.portableBuild(id: id))
      #expect(try target.build(id: id) == source.build(id: id))
    }
    var again: [Int64] = [3]
    let second = try target.importBuilds {
      try again.popLast().flatMap { try source.portableBuild(id: $0) }
    }
    #expect(second == [.alreadyRecorded(id: 3)])
  }

  @Test func anImportThatFailsMidwayImportsNothing() throws {
    let source = try history()
    let target = try BuildStore.inMemory()
    var ids: [Int64] = [2, 1]
    struct Stop: Error {}
    #expect(throws: Stop.self) {
      try target.importBuilds {
        guard let id = ids.popLast() else { throw Stop() }
        return try source.portableBuild(id: id)
      }
    }
    #expect(try count(target, "build") == 0)
    #expect(try count(target, "build_record") == 0)
  }
}
