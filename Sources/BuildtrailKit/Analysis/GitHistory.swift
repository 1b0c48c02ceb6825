import Foundation

/// Reads a repository's history through the `git` executable: which commits lie between two builds,
/// which files they changed, and what a file held at a commit.
public struct GitHistory: Sendable {
  /// The repository's top-level folder.
  public let root: URL
  private let executable: URL
  private let environment: [String: String]

  /// Opens the repository at `root`; throws ``BuildInputsError/gitNotFound`` when git is missing.
  public init(root: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws
  {
    self.root = root
    self.environment = environment
    self.executable = try GitMetadata.executable(environment: environment)
  }

  private func run(_ arguments: [String]) throws -> GitMetadata.Subprocess.Result {
    try GitMetadata.Runner(executable: executable, directory: root, environment: environment).run(
      arguments)
  }

  /// Whether the clone holds `commit` (a depth-1 clone does not hold its parents).
  public func contains(_ commit: String) -> Bool {
    (try? run(["cat-file", "-e", commit + "^{commit}"]).status) == 0
  }

  /// Whether `ancestor` is `commit` or one of its ancestors (`git merge-base --is-ancestor`).
  public func isAncestor(_ ancestor: String, of commit: String) -> Bool {
    (try? run(["merge-base", "--is-ancestor", ancestor, commit]).status) == 0
  }

  /// A commit between two builds: its id and subject.
  public struct Commit: Sendable, Equatable, Codable {
    /// The full commit hash.
    public var commit: String
    /// The commit's subject line.
    public var subject: String
  }

  /// The commits after `from` up to and including `to`, oldest first.
  public func commits(from: String, to: String) throws -> [Commit] {
    let r = try run(["log", "--reverse", "--format=%H%x09%s", "\(from)..\(to)"])
    guard r.status == 0 else { throw r.failure }
    return r.outputText.split(separator: "\n").map { line in
      let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
      return Commit(commit: String(parts[0]), subject: parts.count > 1 ? String(parts[1]) : "")
    }
  }

  /// Paths (relative to the repository root) that differ between two commits.
  public func changedFiles(from: String, to: String) throws -> [String] {
    let r = try run(["diff", "--name-only", "--no-renames", from, to])
    guard r.status == 0 else { throw r.failure }
    return r.outputText.split(separator: "\n").map(String.init)
  }

  /// What `path` (relative to the repository root) held at `commit`; nil when it did not exist there.
  public func content(of path: String, at commit: String) -> Data? {
    guard let r = try? run(["show", "\(commit):\(path)"]), r.status == 0 else { return nil }
    return r.output
  }

  /// The repository's default branch: origin's HEAD when known, else `main` or `master` if present.
  public func defaultBranch() -> String? {
    if let r = try? run(["symbolic-ref", "--short", "refs/remotes/origin/HEAD"]), r.status == 0 {
      return String(r.outputText.split(separator: "/", maxSplits: 1).last ?? "")
    }
    for name in ["main", "master"]
    where (try? run(["rev-parse", "--verify", "--quiet", "refs/heads/\(name)"]).status) == 0 {
      return name
    }
    return nil
  }
}
