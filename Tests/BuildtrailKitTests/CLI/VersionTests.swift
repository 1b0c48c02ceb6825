import Foundation
import Testing

/// `buildtrail --version` names the version and the commit the binary was built from.
struct VersionTests {
  static let builtInGitWorkTree = FileManager.default.fileExists(
    atPath: CLI.repositoryRoot.appendingPathComponent(".git").path)

  @Test(.enabled(if: builtInGitWorkTree, "built outside a git work tree: no commit to name"))
  func versionNamesTheCommitOfTheWorkTree() throws {
    let r = try CLI.run(["--version"])
    #expect(r.status == 0, "\(r.stderr)")
    let match = try #require(
      r.stdout.wholeMatch(of: #/(\d+\.\d+\.\d+) \(commit ([0-9a-f]{12})(-dirty)?\)\n/#),
      "--version printed \(r.stdout)")
    let head = try CLI.runExecutable(
      URL(fileURLWithPath: "/usr/bin/git"),
      ["-C", CLI.repositoryRoot.path, "rev-parse", "--short=12", "HEAD"])
    try #require(head.status == 0, "\(head.stderr)")
    #expect(String(match.output.2) == head.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
  }
}
