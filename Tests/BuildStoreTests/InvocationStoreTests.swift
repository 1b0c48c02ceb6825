import BuildLog
import Foundation
import GRDB
import Testing

@testable import BuildStore

/// Build arguments and cache plumbing (schema 7): stored with the build, read back, removed with it.
@Suite struct InvocationStoreTests {
  static func build(_ log: String) -> NewBuild {
    var parsed = sampleBuild()
    parsed.builderName = "ci"
    parsed.driver = "docker-container"
    parsed.steps.insert(
      ParsedStep(vertex: 20, name: "[internal] booting buildkit", status: .done), at: 0)
    parsed.steps.append(
      ParsedStep(
        vertex: 21, name: "importing cache manifest from ghcr.io/a/b:cache", status: .error,
        errorText: "ghcr.io/a/b:cache: not found"))
    var new = NewBuild(parsed: parsed, logSHA256: log)
    new.buildArguments = [
      BuildArgumentFact(
        name: "GIT_SHA", value: "3f2a", sha256: String(repeating: "a", count: 64), secret: false,
        source: .command,
        fromEnvironment: false),
      BuildArgumentFact(
        name: "NPM_TOKEN", value: "must-not-be-stored", sha256: String(repeating: "b", count: 64),
        secret: true,
        source: .option, fromEnvironment: true),
    ]
    new.cachePlumbing = CachePlumbingFact(
      commandKnown: true, noCacheFilter: ["deps"],
      cacheFrom: ["type=registry,ref=ghcr.io/a/b:cache"])
    return new
  }

  @Test func storedReadBackAndDeletedWithTheBuild() throws {
    let store = try BuildStore.inMemory()
    let id = try store.record([Self.build("log-a")])[0].id
    let detail = try #require(try store.build(id: id))
    #expect(detail.buildArguments.map(\.name) == ["GIT_SHA", "NPM_TOKEN"])
    #expect(detail.buildArguments[0].value == "3f2a")
    #expect(detail.buildArguments[1].value == nil)
    #expect(detail.buildArguments[1].shownValue == "sha256:" + String(repeating: "b", count: 64))
    let plumbing = try #require(detail.cachePlumbing)
    #expect(plumbing.commandKnown && plumbing.noCacheFilter == ["deps"] && plumbing.bootedBuilder)
    #expect(plumbing.cacheFrom == ["type=registry,ref=ghcr.io/a/b:cache"])
    #expect(
      plumbing.cacheImports == [
        BuilderEvidence.CacheImport(
          reference: "ghcr.io/a/b:cache", outcome: .failed, error: "ghcr.io/a/b:cache: not found")
      ])
    let records = try store.read { db in
      try Row.fetchAll(db, sql: "SELECT base_id, data FROM build_record").compactMap {
        ($0[0] as Int64?) == nil ? RecordCodec.decompress($0[1], base: nil) : nil
      }
    }
    #expect(records.count == 1)
    #expect(records[0].range(of: Data("must-not-be-stored".utf8)) == nil)
    #expect(records[0].range(of: Data("3f2a".utf8)) != nil)

    _ = try store.delete(buildIDs: [id])
    #expect(try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM build_record") } == 0)
  }

  @Test func aLogRecordedFromAFileHasPlumbingFromItsLogOnly() throws {
    let store = try BuildStore.inMemory()
    var new = Self.build("log-b")
    new.cachePlumbing = nil
    new.buildArguments = []
    let id = try store.record([new])[0].id
    let plumbing = try #require(try store.build(id: id)?.cachePlumbing)
    #expect(!plumbing.commandKnown && !plumbing.noCache && plumbing.cacheFrom.isEmpty)
    #expect(plumbing.bootedBuilder && plumbing.cacheImports.count == 1)
  }
}
