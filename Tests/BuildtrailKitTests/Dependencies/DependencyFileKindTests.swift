import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

struct DependencyFileKindTests {
  @Test(arguments: [
    ("uv.lock", DependencyFileKind.uvLock),
    ("services/api/poetry.lock", .poetryLock),
    ("requirements.txt", .requirements),
    ("backend/requirements-dev.txt", .requirements),
    ("requirements_test.txt", .requirements),
    ("pyproject.toml", .pyproject),
    ("web/package-lock.json", .packageLock),
    ("yarn.lock", .yarnLock),
    ("apps/site/pnpm-lock.yaml", .pnpmLock),
    ("package.json", .packageJSON),
    ("Cargo.lock", .cargoLock),
    ("go.sum", .goSum),
    ("cmd/go.mod", .goMod),
    ("Gemfile.lock", .gemfileLock),
    ("php/composer.lock", .composerLock),
  ])
  func kindFromPath(path: String, kind: DependencyFileKind) {
    #expect(DependencyFileKind.from(path: path) == kind)
  }

  @Test(arguments: [
    "README.md", "Dockerfile", "Gemfile", "Cargo.toml", "requirements.in", "docs/requirements.md",
    "", "lock/",
  ])
  func otherFilesHaveNoKind(path: String) {
    #expect(DependencyFileKind.from(path: path) == nil)
  }

  @Test func lockfilesAndManifests() {
    let manifests = DependencyFileKind.allCases.filter { !$0.isLockfile }
    #expect(manifests == [.requirements, .pyproject, .packageJSON, .goMod])
    #expect(DependencyFileKind.allCases.count == 13)
  }

  @Test func summaries() {
    #expect(
      DependencyChange(kind: .upgraded, name: "fastapi", old: "0.110.0", new: "0.111.0").summary
        == "fastapi 0.110.0 → 0.111.0")
    #expect(
      DependencyChange(kind: .added, name: "httpx", old: nil, new: "0.27.0").summary
        == "+httpx 0.27.0")
    #expect(
      DependencyChange(kind: .removed, name: "requests", old: "2.31.0", new: nil).summary
        == "-requests 2.31.0")
    #expect(DependencyChange(kind: .added, name: "rich", old: nil, new: "").summary == "+rich")
    #expect(
      DependencyChange(kind: .changed, name: "rich", old: "", new: ">=13").summary
        == "rich (any) → >=13")
  }

  @Test func errorDescriptionNamesPathAndLine() {
    #expect(
      DependencyFileError(path: "uv.lock", line: 12, reason: "unterminated string").errorDescription
        == "uv.lock:12: unterminated string")
    #expect(
      DependencyFileError(path: "package.json", line: nil, reason: "not valid JSON")
        .errorDescription == "package.json: not valid JSON")
  }
}
