import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// A dependency file whose bytes changed while its packages did not: how, in words.
@Suite struct DependencyRewriteTests {
  static func describe(_ old: String, _ new: String) -> [String] {
    DependencyRewrite.describe(old: Data(old.utf8), new: Data(new.utf8))
  }

  static let base = "flask==3.0.2\ngunicorn==21.2.0\nrequests==2.31.0\n"

  @Test func reordered() {
    #expect(
      Self.describe(Self.base, "requests==2.31.0\nflask==3.0.2\ngunicorn==21.2.0\n") == [
        "reordered"
      ])
  }

  @Test func commentsOnly() {
    #expect(
      Self.describe(
        Self.base, "# web\nflask==3.0.2  # the app\ngunicorn==21.2.0\nrequests==2.31.0\n") == [
          "comments"
        ])
  }

  @Test func regroupedByBlankLines() {
    #expect(
      Self.describe(Self.base, "flask==3.0.2\ngunicorn==21.2.0\n\nrequests==2.31.0\n") == [
        "regrouped"
      ])
    // Trailing blank lines do not regroup anything.
    #expect(Self.describe(Self.base, Self.base + "\n\n") == ["rewritten"])
  }

  @Test func hashesOptionsAndLockLines() {
    let old = "flask==3.0.2 \\\n    --hash=sha256:aaaa\n"
    let new = "flask==3.0.2 \\\n    --hash=sha256:bbbb\n"
    #expect(Self.describe(old, new) == ["hashes"])
    let lockOld = "[[package]]\nname = \"a\"\nversion = \"1.0\"\nsdist = { hash = \"sha256:1\" }\n"
    let lockNew = "[[package]]\nname = \"a\"\nversion = \"1.0\"\nsdist = { hash = \"sha256:2\" }\n"
    #expect(Self.describe(lockOld, lockNew) == ["hashes"])
  }

  @Test func severalAtOnceAndOtherRewrites() {
    #expect(
      Self.describe(Self.base, "# pinned\nrequests==2.31.0\nflask==3.0.2\ngunicorn==21.2.0\n") == [
        "reordered", "comments",
      ])
    #expect(
      Self.describe(Self.base, "Flask == 3.0.2\ngunicorn==21.2.0\nrequests==2.31.0\n") == [
        "rewritten"
      ])
    #expect(Self.describe(Self.base, Self.base).isEmpty)
  }

  @Test func theCauseSaysNoPackageChanged() {
    let cause = MissCause.dependenciesUnchanged(file: "requirements.txt", rewrite: ["reordered"])
    #expect(cause.summary == "requirements.txt changed, but no package changed (reordered)")
    #expect(cause.kind == "dependencies")
  }
}
