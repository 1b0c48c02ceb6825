import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// The primer's advice attached to a cause: local environments in the context, and a lost cache.
@Suite struct MissCauseAdviceTests {
  @Test func aLocalEnvironmentInTheContextIsNamedWithItsFix() throws {
    let cause = MissCause.files(
      source: "COPY . /app",
      paths: [".venv/lib/python3.12/site-packages/x.py", "app/__pycache__/main.cpython-312.pyc"],
      count: 40)
    let advice = try #require(cause.advice)
    #expect(advice.hasPrefix(".venv/, __pycache__/ are in the build context"))
    #expect(advice.hasSuffix("add .venv/, __pycache__/ to .dockerignore"))
    #expect(
      MissCause.files(source: "COPY . /app", paths: ["app/main.py"], count: 1).advice == nil)
  }

  @Test func aDockerignoreThatStoppedExcludingAnEnvironmentSaysPutItBack() throws {
    let cause = MissCause.dockerignore(
      file: ".dockerignore", added: [], removed: [".venv", "docs"], contextBefore: nil,
      contextAfter: nil)
    #expect(cause.advice?.hasPrefix("put .venv back in .dockerignore") == true)
    let unrelated = MissCause.dockerignore(
      file: ".dockerignore", added: ["tmp"], removed: ["docs"], contextBefore: nil,
      contextAfter: nil)
    #expect(unrelated.advice == nil)
  }

  @Test func aLostCacheNamesPruneAndANewBuilderNotNoCache() throws {
    let advice = try #require(MissCause.cacheLost(mounts: []).advice)
    #expect(advice.contains("docker builder prune"))
    #expect(!advice.contains("--no-cache "))
  }
}
