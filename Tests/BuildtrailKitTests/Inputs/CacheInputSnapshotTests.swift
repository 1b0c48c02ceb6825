import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

struct CacheInputSnapshotTests {
  static let abcSHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
  static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

  @Test func collectsDockerfileIgnoreLockfilesAndManifests() throws {
    let dir = try InputsScratchDirectory()
    try dir.write("Dockerfile", "abc")
    try dir.write(".dockerignore", "")
    try dir.write("uv.lock", "lock")
    try dir.write("pyproject.toml", "[project]")
    try dir.write("requirements-dev.txt", "pytest")
    try dir.write("README.md", "ignored")
    try dir.write("web/package.json", "{}")
    try dir.write("web/package-lock.json", "{}")
    try dir.write("web/deeper/yarn.lock", "too deep")
    try dir.write("node_modules/package.json", "{}")
    try dir.write(".venv/pyproject.toml", "x")
    try dir.write(".git/go.mod", "x")
    try dir.write("svc/Cargo.lock", "c")
    try dir.write("svc/go.mod", "module x")
    try dir.write("svc/go.sum", "")

    let inputs = try CacheInputSnapshot.collect(
      contextDirectory: dir.url, dockerfile: dir.url.appendingPathComponent("Dockerfile"))
    #expect(
      inputs.map(\.path) == [
        ".dockerignore", "Dockerfile", "pyproject.toml", "requirements-dev.txt", "svc/Cargo.lock",
        "svc/go.mod",
        "svc/go.sum", "uv.lock", "web/package-lock.json", "web/package.json",
      ])
    #expect(
      inputs.map(\.role) == [
        .dockerignore, .dockerfile, .manifest, .manifest, .lockfile, .manifest, .lockfile,
        .lockfile, .lockfile,
        .manifest,
      ])
    let dockerfile = try #require(inputs.first { $0.role == .dockerfile })
    #expect(dockerfile.sha256 == Self.abcSHA256)
    #expect(dockerfile.bytes == 3)
    #expect(dockerfile.content == Data("abc".utf8))
    #expect(!dockerfile.contentOmitted)
    #expect(inputs.first { $0.path == "svc/go.sum" }?.sha256 == Self.emptySHA256)
  }

  @Test func prefersDockerfileSpecificIgnoreAndReadsBesideTheDockerfile() throws {
    let dir = try InputsScratchDirectory()
    try dir.write(".dockerignore", "general")
    try dir.write("docker/app.Dockerfile", "FROM x")
    try dir.write("docker/app.Dockerfile.dockerignore", "specific")
    try dir.write("docker/requirements.txt", "flask")
    let dockerfile = dir.url.appendingPathComponent("docker/app.Dockerfile")

    #expect(
      CacheInputSnapshot.dockerignoreURL(contextDirectory: dir.url, dockerfile: dockerfile)?
        .lastPathComponent
        == "app.Dockerfile.dockerignore")
    let inputs = try CacheInputSnapshot.collect(contextDirectory: dir.url, dockerfile: dockerfile)
    #expect(
      inputs.map(\.path) == [
        "docker/app.Dockerfile", "docker/app.Dockerfile.dockerignore", "docker/requirements.txt",
      ])
  }

  @Test func fallsBackToContextDockerignore() throws {
    let dir = try InputsScratchDirectory()
    try dir.write(".dockerignore", "x")
    try dir.write("Dockerfile", "FROM x")
    let found = CacheInputSnapshot.dockerignoreURL(
      contextDirectory: dir.url, dockerfile: dir.url.appendingPathComponent("Dockerfile"))
    #expect(found?.lastPathComponent == ".dockerignore")
    let none = try InputsScratchDirectory()
    #expect(CacheInputSnapshot.dockerignoreURL(contextDirectory: none.url, dockerfile: nil) == nil)
  }

  @Test func skipsWhatDockerignoreExcludes() throws {
    let dir = try InputsScratchDirectory()
    try dir.write("Dockerfile", "FROM x")
    try dir.write(".dockerignore", "legacy\npoetry.lock\n*/yarn.lock\n")
    try dir.write("legacy/package.json", "{}")
    try dir.write("poetry.lock", "p")
    try dir.write("web/yarn.lock", "y")
    try dir.write("web/package.json", "{}")

    let inputs = try CacheInputSnapshot.collect(
      contextDirectory: dir.url, dockerfile: dir.url.appendingPathComponent("Dockerfile"))
    #expect(inputs.map(\.path) == [".dockerignore", "Dockerfile", "web/package.json"])
  }

  @Test func pathsRelativeToRepositoryRootOrOutsideContext() throws {
    let repo = try InputsScratchDirectory()
    try repo.write("app/Dockerfile", "FROM x")
    try repo.write("app/go.mod", "module y")
    try repo.write("docker/Dockerfile", "FROM y")
    let context = repo.url.appendingPathComponent("app")

    let rooted = try CacheInputSnapshot.collect(
      contextDirectory: context, dockerfile: context.appendingPathComponent("Dockerfile"),
      repositoryRoot: repo.url)
    #expect(rooted.map(\.path) == ["app/Dockerfile", "app/go.mod"])

    let outside = try CacheInputSnapshot.collect(
      contextDirectory: context, dockerfile: repo.url.appendingPathComponent("docker/Dockerfile"))
    #expect(outside.map(\.path) == ["../docker/Dockerfile", "go.mod"])
  }

  @Test func largeFilesKeepHashButNotContent() throws {
    let dir = try InputsScratchDirectory()
    try dir.write("Dockerfile", "abc")
    let inputs = try CacheInputSnapshot.collect(
      contextDirectory: dir.url, dockerfile: dir.url.appendingPathComponent("Dockerfile"),
      maxStoredBytes: 2)
    let file = try #require(inputs.first)
    #expect(file.contentOmitted)
    #expect(file.content == nil)
    #expect(file.bytes == 3)
    #expect(file.sha256 == Self.abcSHA256)
    #expect(CacheInputSnapshot.maxStoredBytes == 8 * 1024 * 1024)
  }

  @Test func multiChunkFileHashesWhole() throws {
    let dir = try InputsScratchDirectory()
    let big = Data(repeating: 0x61, count: 3 * 1024 * 1024 + 5)
    try dir.write("Dockerfile", data: big)
    let inputs = try CacheInputSnapshot.collect(
      contextDirectory: dir.url, dockerfile: dir.url.appendingPathComponent("Dockerfile"))
    #expect(inputs.first?.bytes == big.count)
    #expect(inputs.first?.content == big)
  }

  @Test func stdinDockerfileAndMissingDockerfile() throws {
    let dir = try InputsScratchDirectory()
    try dir.write("go.mod", "module z")
    #expect(
      try CacheInputSnapshot.collect(contextDirectory: dir.url, dockerfile: nil).map(\.path) == [
        "go.mod"
      ])
    let missing = dir.url.appendingPathComponent("Nope.Dockerfile")
    #expect(throws: BuildInputsError.fileNotFound(path: missing.path)) {
      try CacheInputSnapshot.collect(contextDirectory: dir.url, dockerfile: missing)
    }
  }

  @Test(arguments: [
    ("uv.lock", InputRole.lockfile), ("pyproject.toml", .manifest), ("requirements.txt", .manifest),
    ("requirements-prod.txt", .manifest), ("poetry.lock", .lockfile), ("package.json", .manifest),
    ("package-lock.json", .lockfile), ("yarn.lock", .lockfile), ("pnpm-lock.yaml", .lockfile),
    ("Cargo.lock", .lockfile), ("go.mod", .manifest), ("go.sum", .lockfile),
    ("Gemfile.lock", .lockfile),
    ("composer.lock", .lockfile),
  ])
  func roles(_ name: String, _ role: InputRole) {
    #expect(CacheInputSnapshot.role(forFileName: name) == role)
  }

  @Test(arguments: ["README.md", "requirements.in", "Cargo.toml", "my-requirements.txt"])
  func notInputs(_ name: String) {
    #expect(CacheInputSnapshot.role(forFileName: name) == nil)
  }
}
