import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

struct DependencyDiffTests {
  static func packages(_ pairs: [(String, String)]) -> [DependencyPackage] {
    pairs.map { DependencyPackage(name: $0.0, version: $0.1) }
  }

  @Test func addedRemovedUpgradedDowngradedChanged() {
    let old = Self.packages([
      ("fastapi", "0.110.0"), ("requests", "2.31.0"), ("pydantic", "2.8.0"), ("uvicorn", ">=0.29"),
      ("anyio", "4.4.0"),
      ("rich", "13.7.1"),
    ])
    let new = Self.packages([
      ("fastapi", "0.111.0"), ("httpx", "0.27.0"), ("pydantic", "2.7.4"), ("uvicorn", ">=0.30"),
      ("anyio", "4.4.0"),
      ("rich", "13.7.1.0"),
    ])
    let changes = DependencyFile.diff(old: old, new: new)
    #expect(
      changes == [
        DependencyChange(kind: .added, name: "httpx", old: nil, new: "0.27.0"),
        DependencyChange(kind: .removed, name: "requests", old: "2.31.0", new: nil),
        DependencyChange(kind: .upgraded, name: "fastapi", old: "0.110.0", new: "0.111.0"),
        DependencyChange(kind: .downgraded, name: "pydantic", old: "2.8.0", new: "2.7.4"),
        DependencyChange(kind: .changed, name: "rich", old: "13.7.1", new: "13.7.1.0"),
        DependencyChange(kind: .changed, name: "uvicorn", old: ">=0.29", new: ">=0.30"),
      ])
    #expect(
      changes.map(\.summary) == [
        "+httpx 0.27.0", "-requests 2.31.0", "fastapi 0.110.0 → 0.111.0", "pydantic 2.8.0 → 2.7.4",
        "rich 13.7.1 → 13.7.1.0", "uvicorn >=0.29 → >=0.30",
      ])
  }

  @Test func noChanges() {
    let same = Self.packages([("a", "1.0"), ("b", "2.0"), ("b", "3.0")])
    #expect(DependencyFile.diff(old: same, new: same.reversed()).isEmpty)
    #expect(DependencyFile.diff(old: [], new: []).isEmpty)
  }

  @Test func specifierToPinAndBack() {
    let changes = DependencyFile.diff(
      old: Self.packages([("django", "^5.0"), ("flask", "3.0.3"), ("celery", "")]),
      new: Self.packages([("django", "5.0.7"), ("flask", ">=3"), ("celery", "5.4.0")]))
    #expect(changes.map(\.kind) == [.changed, .changed, .changed])
    #expect(
      changes.map(\.summary) == [
        "celery (any) → 5.4.0", "django ^5.0 → 5.0.7", "flask 3.0.3 → >=3",
      ])
  }

  @Test func duplicateVersionsPairFromTheHighest() {
    let changes = DependencyFile.diff(
      old: Self.packages([
        ("numpy", "1.26.4"), ("numpy", "2.0.0"), ("semver", "6.3.1"), ("semver", "7.6.2"),
      ]),
      new: Self.packages([("numpy", "1.26.4"), ("numpy", "2.1.0"), ("semver", "7.6.2")]))
    #expect(
      changes == [
        DependencyChange(kind: .removed, name: "semver", old: "6.3.1", new: nil),
        DependencyChange(kind: .upgraded, name: "numpy", old: "2.0.0", new: "2.1.0"),
      ])
  }

  @Test func aSecondVersionAppearingPairsWithTheHighest() {
    let changes = DependencyFile.diff(
      old: Self.packages([("ms", "2.1.3")]),
      new: Self.packages([("ms", "2.0.0"), ("ms", "2.1.2")]))
    #expect(
      changes == [
        DependencyChange(kind: .added, name: "ms", old: nil, new: "2.0.0"),
        DependencyChange(kind: .downgraded, name: "ms", old: "2.1.3", new: "2.1.2"),
      ])
  }

  @Test func repeatedEntriesCountOnce() {
    let changes = DependencyFile.diff(
      old: Self.packages([("debug", "2.6.9"), ("debug", "2.6.9")]),
      new: Self.packages([("debug", "2.6.9"), ("debug", "4.3.5")]))
    #expect(changes == [DependencyChange(kind: .added, name: "debug", old: nil, new: "4.3.5")])
  }

  @Test func sortedByKindThenName() {
    let changes = DependencyFile.diff(
      old: Self.packages([("zeta", "1.0"), ("beta", "1.0"), ("yank", "1"), ("alpha", "1")]),
      new: Self.packages([("zeta", "2.0"), ("beta", "2.0"), ("omega", "1"), ("delta", "1")]))
    #expect(
      changes.map(\.summary) == [
        "+delta 1", "+omega 1", "-alpha 1", "-yank 1", "beta 1.0 → 2.0", "zeta 1.0 → 2.0",
      ])
  }

  @Test func endToEndFromLockfiles() throws {
    let before = """
      [[package]]
      name = "fastapi"
      version = "0.110.0"

      [[package]]
      name = "requests"
      version = "2.31.0"
      """
    let after = """
      [[package]]
      name = "FastAPI"
      version = "0.111.0"

      [[package]]
      name = "httpx"
      version = "0.27.0"
      """
    let changes = DependencyFile.diff(
      old: try DependencyFixtures.packages(before, .uvLock),
      new: try DependencyFixtures.packages(after, .uvLock))
    #expect(
      changes.map(\.summary) == ["+httpx 0.27.0", "-requests 2.31.0", "fastapi 0.110.0 → 0.111.0"])
  }
}
