import Foundation
import GRDB
import Testing

@testable import BuildStore

/// `why` on builds whose cache was lost with no input changed, told apart by their cache plumbing: buildx
/// logs on a docker-container builder written by the rules of `../shared/docs/buildkit-log-formats.md`
/// (Fixtures/cache-plumbing), each recorded after a warm build on the persistent builder `ci-builder`.
@Suite struct CachePlumbingTests {
  static let fixtures = CLI.repositoryRoot.appendingPathComponent(
    "Tests/BuildLogTests/Fixtures/cache-plumbing")

  /// The cause `why` gives the build recorded from `log` after the warm baseline, and its verdict.
  static func cause(after log: String) throws -> (
    cause: [String: Any], verdict: String, outcome: String?
  ) {
    let p = try BuildArgumentTests.project()
    for name in ["buildx-container-warm-baseline.log", log] {
      let r = try CLI.run(
        ["record", fixtures.appendingPathComponent(name).path, "--db", p.db, "--context", "."],
        in: p.dir)
      try #require(r.status == 0, "\(name): \(r.stderr)")
    }
    let why = try #require(
      try BuildArgumentTests.json(["why", "2"], db: p.db)["why"] as? [String: Any])
    let misses = why["root_misses"] as? [[String: Any]] ?? []
    try #require(misses.count == 1, "\(log): \(misses.count) root misses")
    let build = why["build"] as? [String: Any]
    return (
      try #require(misses[0]["cause"] as? [String: Any]), why["verdict"] as? String ?? "",
      build?["outcome"] as? String
    )
  }

  @Test func aNewBuilderWithNoImportIsACauseOfItsOwn() throws {
    let (cause, _, _) = try Self.cause(after: "buildx-container-fresh-no-import.log")
    #expect(cause["kind"] as? String == "new-builder")
    #expect(
      cause["summary"] as? String
        == "a new builder instance (\"builder-5b1e7f0c-0a3d-4c1e-9d62-7f1c2b8e4a90\", docker-container driver) started "
        + "with an empty cache and no cache was imported")
    #expect((cause["advice"] as? String)?.contains("--cache-from") == true)
    #expect((cause["cache_plumbing"] as? [String: Any])?["driver"] as? String == "docker-container")
  }

  @Test func aFailedImportIsNamedAndTheBuildStillSucceeded() throws {
    let (cause, verdict, outcome) = try Self.cause(after: "buildx-container-import-failed.log")
    #expect(cause["kind"] as? String == "cache-import-failed")
    #expect(
      (cause["summary"] as? String)?.hasPrefix(
        "the cache import from ghcr.io/acme/app:buildcache failed: failed to configure registry cache importer: "
          + "ghcr.io/acme/app:buildcache: not found") == true)
    #expect(outcome == "success")
    #expect(!verdict.contains("failed at"))
  }

  @Test func anImportThatDidNotHoldTheStepsSaysSo() throws {
    let (cause, _, _) = try Self.cause(after: "buildx-container-import-missed.log")
    #expect(cause["kind"] as? String == "cache-import-missed")
    #expect((cause["advice"] as? String)?.contains("mode=max") == true)
  }

  @Test func thePersistentBuilderThatLostItsCacheStaysACacheLoss() throws {
    let (cause, _, _) = try Self.cause(after: "buildx-container-pruned.log")
    #expect(cause["kind"] as? String == "cache-lost")
  }

  /// Real: Docker 20.10 with `--cache-from` an image that cannot be reached; the builder's own cache
  /// still served every step, so the failed import explains nothing and the build is a success.
  @Test func aFailedImportWhereTheLocalCacheServedIsNoMiss() throws {
    let p = try BuildArgumentTests.project()
    for name in ["03-git-sha-9c1d-again.log", "05-cache-from-import-failed.log"] {
      let r = try CLI.run(["record", name, "--db", p.db, "--context", "."], in: p.dir)
      try #require(r.status == 0, "\(name): \(r.stderr)")
    }
    let why = try #require(
      try BuildArgumentTests.json(["why", "2"], db: p.db)["why"] as? [String: Any])
    #expect((why["root_misses"] as? [Any])?.isEmpty == true)
    #expect(why["failed_step"] == nil)
    let show = try CLI.run(["show", "2", "--db", p.db])
    #expect(
      show.stdout.contains(
        "  import   buildargs-fx-nonexistent:cache: FAILED: failed to do request: Head "))
  }

  /// A history recorded before schema 7 has no plumbing rows: the booted builder and the failed import
  /// are read again from the stored steps.
  @Test func buildsRecordedBeforeTheSchemaAreReadFromTheirSteps() throws {
    let p = try BuildArgumentTests.project()
    for name in ["buildx-container-warm-baseline.log", "buildx-container-import-failed.log"] {
      let r = try CLI.run(
        [
          "record", Self.fixtures.appendingPathComponent(name).path, "--db", p.db, "--context", ".",
        ],
        in: p.dir)
      try #require(r.status == 0, "\(name): \(r.stderr)")
    }
    try BuildStore(path: p.db).write { db in
      try BuildStore.transformRecords(db) { _, record in
        record.cachePlumbing = nil
        return true
      }
    }
    let why = try #require(
      try BuildArgumentTests.json(["why", "2"], db: p.db)["why"] as? [String: Any])
    let cause = (why["root_misses"] as? [[String: Any]])?.first?["cause"] as? [String: Any]
    #expect(cause?["kind"] as? String == "cache-import-failed")
  }
}
