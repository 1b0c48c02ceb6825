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

/// The same rule in the tty and rawjson formats: a cache import's error leaves the build successful.
@Suite struct NonFatalCacheImportTests {
  @Test func ttyFrameWithAFailedImportIsASuccess() {
    let text = """
      [+] Building 3.1s (8/8) FINISHED
       => [internal] load build definition from Dockerfile                         0.0s
       => => transferring dockerfile: 245B                                         0.0s
       => [internal] load .dockerignore                                            0.0s
       => [internal] load metadata for docker.io/local/busybox:1                   0.4s
       => ERROR importing cache manifest from ghcr.io/acme/app:buildcache           0.6s
       => [1/3] FROM docker.io/local/busybox:1                                      0.1s
       => [2/3] WORKDIR /app                                                        0.1s
       => [3/3] RUN echo built                                                      0.2s
       => exporting to image                                                        0.2s
      ------
       > importing cache manifest from ghcr.io/acme/app:buildcache:
      ------

      """
    let log = LogParser.parse(Array(text.utf8))
    #expect(log.builds.count == 1)
    guard let build = log.builds.first else { return }
    #expect(build.format == .tty)
    #expect(build.outcome == .success)
    #expect(BuilderEvidence(scanning: build).cacheImports.map(\.outcome) == [.failed])
  }

  @Test func rawjsonWithAFailedImportIsASuccess() {
    let vertex = { (digest: Character, name: String, extra: String) in
      "{\"vertexes\":[{\"digest\":\"sha256:\(String(repeating: digest, count: 64))\",\"name\":\"\(name)\","
        + "\"started\":\"2025-03-01T10:00:00.1Z\",\"completed\":\"2025-03-01T10:00:00.9Z\"\(extra)}]}"
    }
    let text =
      [
        vertex("1", "[internal] load build definition from Dockerfile", ""),
        vertex(
          "2", "importing cache manifest from ghcr.io/acme/app:buildcache",
          ",\"error\":\"ghcr.io/acme/app:buildcache: not found\""),
        vertex("3", "[1/2] FROM docker.io/local/busybox:1", ""),
        vertex("4", "[2/2] RUN echo built", ""),
      ].joined(separator: "\n") + "\n"
    let log = LogParser.parse(Array(text.utf8))
    #expect(log.builds.count == 1)
    guard let build = log.builds.first else { return }
    #expect(build.format == .rawjson)
    #expect(build.outcome == .success)
    #expect(
      BuilderEvidence(scanning: build).cacheImports == [
        BuilderEvidence.CacheImport(
          reference: "ghcr.io/acme/app:buildcache", outcome: .failed,
          error: "ghcr.io/acme/app:buildcache: not found")
      ])
  }
}
