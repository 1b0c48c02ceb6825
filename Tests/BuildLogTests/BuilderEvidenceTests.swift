import Foundation
import Testing

@testable import BuildLog

/// The builder and cache-import evidence read from real logs (Docker 20.10's BuildKit, the corpus) and
/// from buildx logs written by the rules of `../shared/docs/buildkit-log-formats.md`.
@Suite struct BuilderEvidenceTests {
  static func evidence(_ path: String) throws -> (BuilderEvidence, ParsedBuild) {
    let log = try LogParser.parse(fileAt: path)
    try #require(log.builds.count == 1, "\(path): \(log.builds.count) builds")
    return (BuilderEvidence(scanning: log.builds[0]), log.builds[0])
  }

  @Test func aFailedCacheImportIsRecordedAndDoesNotFailTheBuild() throws {
    // Real: `docker build --cache-from buildargs-fx-nonexistent:cache` with no network; exit code 0.
    let (evidence, build) = try Self.evidence(
      Fixtures.url("build-args/05-cache-from-import-failed.log").path)
    #expect(build.outcome == .success)
    #expect(evidence.cacheImports.count == 1)
    #expect(evidence.cacheImports.first?.reference == "buildargs-fx-nonexistent:cache")
    #expect(evidence.cacheImports.first?.outcome == .failed)
    #expect(evidence.cacheImports.first?.error?.hasPrefix("failed to do request: Head ") == true)
    #expect(evidence.builderName == nil && evidence.driver == nil && !evidence.bootedBuilder)
  }

  @Test func aFreshBuildxBuilderIsBootedAndNamed() throws {
    let (evidence, build) = try Self.evidence(
      Fixtures.url("cache-plumbing/buildx-container-fresh-no-import.log").path)
    #expect(build.outcome == .success)
    #expect(evidence.builderName == "builder-5b1e7f0c-0a3d-4c1e-9d62-7f1c2b8e4a90")
    #expect(evidence.driver == "docker-container")
    #expect(evidence.bootedBuilder)
    #expect(evidence.cacheImports.isEmpty && evidence.cacheExports.isEmpty)
    #expect(build.steps.filter { $0.status == .done }.count == 13)
  }

  @Test func registryImportFailureAndExportAreReadFromABuildxLog() throws {
    let (evidence, build) = try Self.evidence(
      Fixtures.url("cache-plumbing/buildx-container-import-failed.log").path)
    #expect(build.outcome == .success)
    #expect(
      evidence.cacheImports == [
        BuilderEvidence.CacheImport(
          reference: "ghcr.io/acme/app:buildcache", outcome: .failed,
          error:
            "failed to configure registry cache importer: ghcr.io/acme/app:buildcache: not found")
      ])
    #expect(evidence.cacheExports == ["exporting cache to registry"])
  }

  @Test func aPersistentBuilderIsNotBooted() throws {
    let (evidence, _) = try Self.evidence(
      Fixtures.url("cache-plumbing/buildx-container-pruned.log").path)
    #expect(evidence.builderName == "ci-builder")
    #expect(!evidence.bootedBuilder)
    let (imported, _) = try Self.evidence(
      Fixtures.url("cache-plumbing/buildx-container-import-missed.log").path)
    #expect(imported.cacheImports.map(\.outcome) == [.imported])
  }

  @Test(.enabled(if: Corpus.isAvailable, Corpus.missing))
  func corpusRegistryCacheImportAndBootedBuilder() throws {
    let (buildctl, _) = try Self.evidence(
      Corpus.directory.appendingPathComponent("043-buildctl-registry-cache-import-export-push.log")
        .path)
    #expect(
      buildctl.cacheImports == [
        BuilderEvidence.CacheImport(
          reference: "docker.io/serbenyuk/buildkit:cache", outcome: .imported)
      ])
    #expect(buildctl.cacheExports == ["exporting cache to registry"])
    #expect(buildctl.builderName == nil && !buildctl.bootedBuilder)
    let log = try LogParser.parse(
      fileAt: Corpus.directory.appendingPathComponent(
        "029-buildx-2021-booting-buildkit-multiarch-push.log"
      ).path)
    #expect(log.builds.contains { BuilderEvidence(scanning: $0).bootedBuilder })
  }

  @Test func onlyACacheImportsErrorIsNonFatal() {
    #expect(
      BuilderEvidence.isNonFatal(
        ParsedStep(vertex: 3, name: "importing cache manifest from r/a:c", status: .error)))
    #expect(
      !BuilderEvidence.isNonFatal(ParsedStep(vertex: 3, name: "[2/3] RUN make", status: .error)))
    #expect(
      !BuilderEvidence.isNonFatal(
        ParsedStep(vertex: 3, name: "importing cache manifest from r/a:c", status: .done)))
  }
}
