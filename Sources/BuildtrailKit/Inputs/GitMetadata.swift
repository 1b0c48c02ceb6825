import Foundation

/// What git says about the checkout a build ran in.
public struct GitInfo: Sendable, Equatable {
  /// Full SHA of HEAD, nil in a repository without commits.
  public var commit: String?
  /// The checked-out branch; on a detached HEAD, the branch named by the CI environment, if any.
  public var branch: String?
  /// Whether HEAD is detached (then `branch` came from the environment, if set).
  public var isDetached: Bool
  /// First line of HEAD's commit message.
  public var subject: String?
  /// When HEAD was authored.
  public var authorTime: Date?
  /// Whether tracked files differ from HEAD (untracked files do not count).
  public var isDirty: Bool
  /// Whether the clone is shallow, as CI checkouts often are.
  public var isShallow: Bool
  /// The top directory of the work tree.
  public var repositoryRoot: URL

  /// Creates a value; `read(at:environment:)` is the usual source.
  public init(
    commit: String?, branch: String?, isDetached: Bool, subject: String?, authorTime: Date?,
    isDirty: Bool,
    isShallow: Bool, repositoryRoot: URL
  ) {
    self.commit = commit
    self.branch = branch
    self.isDetached = isDetached
    self.subject = subject
    self.authorTime = authorTime
    self.isDirty = isDirty
    self.isShallow = isShallow
    self.repositoryRoot = repositoryRoot
  }
}

/// Reads commit, branch and work-tree state by running the `git` executable.
public enum GitMetadata {
  /// Environment variables naming the branch on a detached HEAD, in the order they are tried.
  public static let branchEnvironmentVariables = [
    "GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME", "BUILDKITE_BRANCH",
  ]

  /// Reads the repository containing `directory`; nil when it is not inside a git work tree.
  public static func read(
    at directory: URL,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> GitInfo? {
    let git = try executable(environment: environment)
    var childEnvironment = environment
    childEnvironment["LC_ALL"] = "C"
    childEnvironment["GIT_OPTIONAL_LOCKS"] = "0"
    childEnvironment["GIT_TERMINAL_PROMPT"] = "0"
    let runner = Runner(executable: git, directory: directory, environment: childEnvironment)

    let inside = try runner.run(["rev-parse", "--is-inside-work-tree"])
    guard inside.status == 0 else {
      if inside.errorText.contains("not a git repository")
        || inside.errorText.contains("cannot change to")
      {
        return nil
      }
      if inside.errorText.contains("dubious ownership") {
        throw BuildInputsError.gitUnsafeRepository(path: directory.path)
      }
      throw inside.failure
    }
    guard inside.outputText == "true" else { return nil }

    let layout = try runner.run(["rev-parse", "--show-toplevel", "--is-shallow-repository"])
    guard layout.status == 0 else { throw layout.failure }
    let layoutLines = layout.outputText.split(separator: "\n").map(String.init)
    guard let root = layoutLines.first else { throw layout.failure }

    var commit: String?
    var subject: String?
    var authorTime: Date?
    let log = try runner.run(["log", "-1", "--no-show-signature", "--format=%H%x00%at%x00%s"])
    if log.status == 0 {
      let fields = log.outputText.split(separator: "\0", omittingEmptySubsequences: false).map(
        String.init)
      commit = fields.first.flatMap { $0.isEmpty ? nil : $0 }
      if fields.count > 1, let seconds = TimeInterval(fields[1]) {
        authorTime = Date(timeIntervalSince1970: seconds)
      }
      if fields.count > 2 { subject = fields[2] }
    } else if !(log.errorText.contains("does not have any commits")
      || log.errorText.contains("bad default revision"))
    {
      throw log.failure
    }

    let symbolic = try runner.run(["symbolic-ref", "--quiet", "--short", "HEAD"])
    let isDetached = symbolic.status != 0 || symbolic.outputText.isEmpty
    let branch = isDetached ? branchFromEnvironment(environment) : symbolic.outputText

    let status = try runner.run(["status", "--porcelain", "--untracked-files=no"])
    guard status.status == 0 else { throw status.failure }

    return GitInfo(
      commit: commit, branch: branch, isDetached: isDetached, subject: subject,
      authorTime: authorTime,
      isDirty: !status.outputText.isEmpty, isShallow: layoutLines.dropFirst().first == "true",
      repositoryRoot: URL(fileURLWithPath: root, isDirectory: true))
  }

  /// The branch a CI system names in `environment`, for checkouts on a detached HEAD.
  public static func branchFromEnvironment(_ environment: [String: String]) -> String? {
    for name in branchEnvironmentVariables {
      if name == "GITHUB_REF_NAME", environment["GITHUB_REF_TYPE"] == "tag" { continue }
      if let value = environment[name], !value.isEmpty { return value }
    }
    return nil
  }

  /// The `git` executable on the environment's PATH.
  public static func executable(environment: [String: String]) throws -> URL {
    let searchPath = environment["PATH"] ?? "/usr/bin:/bin"
    for directory in searchPath.split(separator: ":", omittingEmptySubsequences: true) {
      let candidate = URL(fileURLWithPath: String(directory), isDirectory: true)
        .appendingPathComponent("git")
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
        !isDirectory.boolValue,
        FileManager.default.isExecutableFile(atPath: candidate.path)
      {
        return candidate
      }
    }
    throw BuildInputsError.gitNotFound
  }
}

extension GitMetadata {
  /// Runs git commands in one directory.
  struct Runner {
    let executable: URL
    let directory: URL
    let environment: [String: String]

    func run(_ arguments: [String]) throws -> Subprocess.Result {
      let command = (["git"] + arguments).joined(separator: " ")
      do {
        return try Subprocess.run(
          executable, arguments: ["-C", directory.path] + arguments, environment: environment,
          command: command)
      } catch {
        throw BuildInputsError.gitFailed(
          command: command, status: -1, message: error.localizedDescription)
      }
    }
  }

  /// Runs a program to completion, reading stdout and stderr fully (concurrently) before waiting for it.
  enum Subprocess {
    struct Result {
      var command: String
      var status: Int32
      var output: Data
      var error: Data

      var outputText: String {
        String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      }
      var errorText: String {
        String(decoding: error, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      }
      var failure: BuildInputsError {
        let firstLine = errorText.split(separator: "\n").first.map(String.init) ?? "no error output"
        return .gitFailed(command: command, status: status, message: firstLine)
      }
    }

    static func run(
      _ executable: URL, arguments: [String], environment: [String: String], command: String
    ) throws
      -> Result
    {
      let captured = try ProcessSpawner.capture(
        executable.path, arguments: arguments, environment: environment)
      return Result(
        command: command, status: captured.status, output: captured.output, error: captured.error)
    }

  }
}
