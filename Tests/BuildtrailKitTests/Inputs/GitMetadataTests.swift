import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

struct GitMetadataTests {
  /// The test process's environment without CI branch variables, so results do not depend on where tests run.
  static var cleanEnvironment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    for name in GitMetadata.branchEnvironmentVariables + [
      "GITHUB_REF_TYPE", "GIT_DIR", "GIT_WORK_TREE",
    ] {
      environment[name] = nil
    }
    return environment
  }

  /// Runs git in `directory` and returns its trimmed standard output.
  @discardableResult
  static func git(
    _ arguments: [String], in directory: URL, environment extra: [String: String] = [:]
  ) throws -> String {
    let process = Process()
    process.executableURL = try GitMetadata.executable(environment: cleanEnvironment)
    process.arguments = ["-C", directory.path] + arguments
    process.environment = cleanEnvironment.merging(extra) { $1 }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "git \(arguments)")
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  static func makeRepository(commits: Int = 1) throws -> InputsScratchDirectory {
    let dir = try InputsScratchDirectory()
    try git(["init", "-q", "-b", "main"], in: dir.url)
    try git(["config", "user.name", "Test Person"], in: dir.url)
    try git(["config", "user.email", "test@example.com"], in: dir.url)
    try git(["config", "commit.gpgsign", "false"], in: dir.url)
    for index in 0..<commits {
      try dir.write("file.txt", "version \(index)\n")
      try git(["add", "file.txt"], in: dir.url)
      try git(
        ["commit", "-q", "-m", "Commit number \(index)\n\nBody text"], in: dir.url,
        environment: [
          "GIT_AUTHOR_DATE": "2024-01-02T03:04:05Z", "GIT_COMMITTER_DATE": "2024-01-02T03:04:05Z",
        ])
    }
    return dir
  }

  @Test func readsCommitBranchSubjectAndTime() throws {
    let repo = try Self.makeRepository(commits: 2)
    try repo.makeDirectory("sub/dir")
    let info = try #require(
      try GitMetadata.read(
        at: repo.url.appendingPathComponent("sub/dir"), environment: Self.cleanEnvironment))
    let head = try Self.git(["rev-parse", "HEAD"], in: repo.url)
    #expect(info.commit == head)
    #expect(info.commit?.count == 40)
    #expect(info.branch == "main")
    #expect(!info.isDetached)
    #expect(info.subject == "Commit number 1")
    #expect(info.authorTime == Date(timeIntervalSince1970: 1_704_164_645))
    #expect(!info.isDirty)
    #expect(!info.isShallow)
    #expect(
      info.repositoryRoot.resolvingSymlinksInPath().path == repo.url.resolvingSymlinksInPath().path)
  }

  @Test func dirtyOnlyForTrackedChanges() throws {
    let repo = try Self.makeRepository()
    try repo.write("untracked.txt", "new")
    #expect(
      try GitMetadata.read(at: repo.url, environment: Self.cleanEnvironment)?.isDirty == false)
    try repo.write("file.txt", "changed\n")
    #expect(try GitMetadata.read(at: repo.url, environment: Self.cleanEnvironment)?.isDirty == true)
  }

  @Test func detachedHeadTakesBranchFromEnvironment() throws {
    let repo = try Self.makeRepository()
    try Self.git(["checkout", "-q", "--detach"], in: repo.url)
    let plain = try #require(try GitMetadata.read(at: repo.url, environment: Self.cleanEnvironment))
    #expect(plain.isDetached)
    #expect(plain.branch == nil)
    #expect(plain.commit != nil)

    var environment = Self.cleanEnvironment
    environment["GITHUB_HEAD_REF"] = ""
    environment["GITHUB_REF_NAME"] = "release/2.0"
    let fromCI = try #require(try GitMetadata.read(at: repo.url, environment: environment))
    #expect(fromCI.isDetached)
    #expect(fromCI.branch == "release/2.0")
  }

  @Test(
    arguments: [
      (["GITHUB_HEAD_REF": "feature/x", "GITHUB_REF_NAME": "42/merge"], "feature/x"),
      (["GITHUB_HEAD_REF": "", "GITHUB_REF_NAME": "main"], "main"),
      (
        ["GITHUB_REF_TYPE": "tag", "GITHUB_REF_NAME": "v1.0", "CI_COMMIT_REF_NAME": "stable"],
        "stable"
      ),
      (["CI_COMMIT_REF_NAME": "gitlab-branch"], "gitlab-branch"),
      (["BUILDKITE_BRANCH": "bk"], "bk"),
      ([:], nil),
    ] as [([String: String], String?)])
  func branchEnvironment(_ environment: [String: String], _ expected: String?) {
    #expect(GitMetadata.branchFromEnvironment(environment) == expected)
  }

  @Test func repositoryWithoutCommits() throws {
    let dir = try InputsScratchDirectory()
    try Self.git(["init", "-q", "-b", "trunk"], in: dir.url)
    let info = try #require(try GitMetadata.read(at: dir.url, environment: Self.cleanEnvironment))
    #expect(info.commit == nil)
    #expect(info.subject == nil)
    #expect(info.branch == "trunk")
    #expect(!info.isDirty)
  }

  @Test func shallowClone() throws {
    let origin = try Self.makeRepository(commits: 3)
    let parent = try InputsScratchDirectory()
    try Self.git(
      ["clone", "-q", "--depth", "1", "file://" + origin.url.path, "clone"], in: parent.url)
    let info = try #require(
      try GitMetadata.read(
        at: parent.url.appendingPathComponent("clone"), environment: Self.cleanEnvironment))
    #expect(info.isShallow)
    #expect(info.subject == "Commit number 2")
  }

  @Test func notARepository() throws {
    let dir = try InputsScratchDirectory()
    var environment = Self.cleanEnvironment
    environment["GIT_CEILING_DIRECTORIES"] = dir.url.deletingLastPathComponent().path
    #expect(try GitMetadata.read(at: dir.url, environment: environment) == nil)
    #expect(
      try GitMetadata.read(at: dir.url.appendingPathComponent("missing"), environment: environment)
        == nil)
  }

  @Test func insideGitDirectoryIsNotAWorkTree() throws {
    let repo = try Self.makeRepository()
    #expect(
      try GitMetadata.read(
        at: repo.url.appendingPathComponent(".git"), environment: Self.cleanEnvironment) == nil)
  }

  @Test func gitMissingFromPath() throws {
    let empty = try InputsScratchDirectory()
    let repo = try Self.makeRepository()
    var environment = Self.cleanEnvironment
    environment["PATH"] = empty.url.path
    #expect(throws: BuildInputsError.gitNotFound) {
      try GitMetadata.read(at: repo.url, environment: environment)
    }
    #expect(
      BuildInputsError.gitNotFound.localizedDescription
        == "git was not found on PATH; install git or pass --commit and --branch")
  }

  @Test func largeOutputOnBothPipesDoesNotDeadlock() throws {
    let script =
      "head -c 1000000 /dev/zero | tr '\\0' a; head -c 700000 /dev/zero | tr '\\0' b >&2; exit 3"
    let result = try GitMetadata.Subprocess.run(
      URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script],
      environment: Self.cleanEnvironment, command: "sh")
    #expect(result.status == 3)
    #expect(result.output.count == 1_000_000)
    #expect(result.error.count == 700_000)
    #expect(result.output.allSatisfy { $0 == UInt8(ascii: "a") })
  }

  @Test func trackedChangesInManyFilesAreDirty() throws {
    let repo = try Self.makeRepository()
    for index in 0..<200 {
      try repo.write("many/file-\(index).txt", "x")
    }
    try Self.git(["add", "many"], in: repo.url)
    #expect(try GitMetadata.read(at: repo.url, environment: Self.cleanEnvironment)?.isDirty == true)
  }
}
