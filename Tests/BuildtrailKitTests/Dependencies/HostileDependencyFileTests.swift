import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Lockfiles are hostile input: TOMLKit and Yams errors come back as `DependencyFileError`s, never
/// a trap, and the size read is bounded.
struct HostileDependencyFileTests {
  @Test(arguments: DependencyFileKind.allCases)
  func filesOverTheLimitAreRefusedUnread(kind: DependencyFileKind) {
    let data = Data(repeating: UInt8(ascii: "a"), count: DependencyFile.maximumBytes + 1)
    #expect(
      throws: DependencyFileError(
        path: "big", line: nil, reason: "\(data.count) bytes, over the 16 MiB buildtrail reads")
    ) {
      try DependencyFile.packages(in: data, kind: kind, path: "big")
    }
  }

  @Test(arguments: [DependencyFileKind.uvLock, .poetryLock, .cargoLock, .pyproject])
  func deepTOMLNestingIsAnError(kind: DependencyFileKind) {
    let text = "a = " + String(repeating: "[", count: 100_000)
    let error = DependencyFixtures.error(text, kind)
    #expect(error?.line == 1)
    #expect(error?.reason.hasPrefix("not valid TOML: ") == true)
  }

  @Test func deepYAMLNestingIsAnError() {
    let text = "lockfileVersion: '9.0'\npackages: " + String(repeating: "[", count: 100_000)
    let error = DependencyFixtures.error(text, .pnpmLock)
    #expect(error?.line == 2)
    #expect(error?.reason.hasPrefix("not valid YAML: ") == true)
  }

  /// Aliases are resolved by reference and only two levels are read, so a "billion laughs" file is cheap.
  @Test func repeatedYAMLAliasesAreNotExpanded() throws {
    var text = "lockfileVersion: '9.0'\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1...30 {
      let previous = "*a\(level - 1)"
      text +=
        "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
    }
    text += "packages:\n  left-pad@1.3.0:\n    resolution: {integrity: sha512-x}\n"
    let clock = ContinuousClock()
    let start = clock.now
    #expect(try DependencyFixtures.listed(text, .pnpmLock) == ["left-pad 1.3.0"])
    #expect(clock.now - start < .seconds(5))
  }

  /// Structural errors name the file and, where one place is at fault, its line: for `[[package]]`
  /// tables the header's line (an inline array has none).
  @Test(
    arguments: [
      (
        "lockfileVersion: '9.0'\npackages: 3\n", DependencyFileKind.pnpmLock, nil,
        "`packages` is not a mapping"
      ),
      (
        "lockfileVersion: '9.0'\npackages:\n  - a@1.0.0\n", .pnpmLock, nil,
        "`packages` is not a mapping"
      ),
      (
        "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {}\n  a@1.0.0: {}\n", .pnpmLock, 3,
        "not valid YAML: duplicate keys `a@1.0.0`"
      ),
      (
        "version = 1\n\n[[package]]\nname = \"a\"\nversion = \"1\"\n\n[[ package ]] # b\nname = \"b\"\n",
        .cargoLock, 7, "package `b` has no `version`"
      ),
      ("package = [{ name = \"a\" }]\n", .cargoLock, nil, "package `a` has no `version`"),
      ("package = [\"a\"]\n", .poetryLock, nil, "[[package]] has no `name`"),
    ] as [(String, DependencyFileKind, Int?, String)])
  func structuralErrors(text: String, kind: DependencyFileKind, line: Int?, reason: String) {
    #expect(
      DependencyFixtures.error(text, kind)
        == DependencyFileError(path: kind.rawValue, line: line, reason: reason))
  }

  @Test func emptyPackagesSectionHasNoPackages() throws {
    #expect(try DependencyFixtures.listed("lockfileVersion: 5.4\npackages:\n", .pnpmLock).isEmpty)
    #expect(
      try DependencyFixtures.listed("lockfileVersion: 5.4\npackages: {}\n", .pnpmLock).isEmpty)
  }
}
