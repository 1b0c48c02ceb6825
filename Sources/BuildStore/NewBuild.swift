import BuildLog
import Foundation

/// Everything recorded for one build: what its log said and what was known around it.
public struct NewBuild: Sendable {
  /// What the log said of the build.
  public var parsed: ParsedBuild
  /// SHA-256 of the whole log; with ``buildIndex`` it identifies the build, so recording a log twice keeps one.
  public var logSHA256: String
  /// The build's position among the builds of its log, from 0.
  public var buildIndex: Int
  /// When it is recorded.
  public var recordedAt: Date
  /// Start and end when known from outside the log (`record --` times the build itself).
  public var startedAt: Date?
  /// The end known from outside the log.
  public var endedAt: Date?
  /// The wrapped build command's exit code.
  public var exitCode: Int?
  /// The log file's path as given to `record`.
  public var logPath: String?
  /// The log's size in bytes.
  public var logBytes: Int64?
  /// The log's line count.
  public var logLines: Int?
  /// The build command `record --` wrapped.
  public var command: String?
  /// The build target (`--target`), when given.
  public var target: String?
  /// The compose service (or bake target) the build is for; the parsed log's by default.
  public var service: String?
  /// The labels given with `record --label KEY=VALUE`.
  public var labels: [String: String]
  /// The git state the build was made from.
  public var git: GitFacts?
  /// The CI run the build was made in.
  public var ci: CIFacts?
  /// The build context as measured, after `.dockerignore`.
  public var context: ContextFacts?
  /// The cache inputs (Dockerfile, `.dockerignore`, lockfiles, manifests) and their contents.
  public var inputs: [InputFact]
  /// The build context's file list (`sha256 size path` lines), stored once per distinct content.
  public var contextManifest: Data?
  /// Local image IDs of FROM references (normalised, `docker.io/library/python:3.12`), read from the
  /// Docker daemon, for FROM steps whose log shows no digest.
  public var daemonImageIDs: [String: String]
  /// What the build failed on (its failure signature), found by the caller in the failing step's output.
  public var failure: StoredFailure?
  /// The build arguments it was given (wrapped command, `record --build-arg`).
  public var buildArguments: [BuildArgumentFact] = []
  /// The wrapped command's cache flags; nil when the log was recorded from a file (the log's own
  /// evidence of the builder and cache imports is added when the build is stored).
  public var cachePlumbing: CachePlumbingFact?

  /// A build to record; only the parsed build and the log's SHA-256 are required.
  public init(
    parsed: ParsedBuild, logSHA256: String, buildIndex: Int = 0, recordedAt: Date = Date(),
    startedAt: Date? = nil, endedAt: Date? = nil, exitCode: Int? = nil, logPath: String? = nil,
    logBytes: Int64? = nil, logLines: Int? = nil, command: String? = nil, target: String? = nil,
    labels: [String: String] = [:], git: GitFacts? = nil, ci: CIFacts? = nil,
    context: ContextFacts? = nil,
    inputs: [InputFact] = [], contextManifest: Data? = nil, daemonImageIDs: [String: String] = [:],
    failure: StoredFailure? = nil
  ) {
    self.parsed = parsed
    self.logSHA256 = logSHA256
    self.buildIndex = buildIndex
    self.recordedAt = recordedAt
    self.startedAt = startedAt
    self.endedAt = endedAt
    self.exitCode = exitCode
    self.logPath = logPath
    self.logBytes = logBytes
    self.logLines = logLines
    self.command = command
    self.target = target
    self.service = parsed.service
    self.labels = labels
    self.git = git
    self.ci = ci
    self.context = context
    self.inputs = inputs
    self.contextManifest = contextManifest
    self.daemonImageIDs = daemonImageIDs
    self.failure = failure
  }
}

extension NewBuild {
  /// The outcome to store: the log's, corrected by the wrapped command's exit code when there is one
  /// (a non-zero exit is a failure, or a cancellation for 130 and 143: SIGINT and SIGTERM).
  public var outcome: BuildOutcome {
    guard let code = exitCode else { return parsed.outcome }
    if code == 0 { return parsed.outcome == .unknown ? .success : parsed.outcome }
    return parsed.outcome == .canceled || code == 130 || code == 143 ? .canceled : .failed
  }
}

/// The git state a build was made from.
public struct GitFacts: Sendable, Equatable, Codable {
  /// The commit checked out (full hash).
  public var commit: String?
  /// The branch checked out; nil when detached.
  public var branch: String?
  /// The commit's subject line.
  public var subject: String?
  /// When the commit was made.
  public var committedAt: Date?
  /// Whether the working tree had uncommitted changes.
  public var dirty: Bool?
  /// Whether the clone is shallow (older commits missing).
  public var shallow: Bool?
  /// The repository's top-level folder.
  public var root: String?

  /// Git facts; what is not given is unknown.
  public init(
    commit: String? = nil, branch: String? = nil, subject: String? = nil, committedAt: Date? = nil,
    dirty: Bool? = nil, shallow: Bool? = nil, root: String? = nil
  ) {
    self.commit = commit
    self.branch = branch
    self.subject = subject
    self.committedAt = committedAt
    self.dirty = dirty
    self.shallow = shallow
    self.root = root
  }
}

/// The CI run a build was made in.
public struct CIFacts: Sendable, Equatable, Codable {
  /// The CI system (`github-actions`, `gitlab-ci`, …).
  public var provider: String
  /// The run's id in that system.
  public var runID: String?
  /// The job's id in that system.
  public var jobID: String?
  /// A link to the run.
  public var url: String?

  /// CI facts for `provider`; what is not given is unknown.
  public init(provider: String, runID: String? = nil, jobID: String? = nil, url: String? = nil) {
    self.provider = provider
    self.runID = runID
    self.jobID = jobID
    self.url = url
  }
}

/// The build context as measured in the working tree, after `.dockerignore`.
public struct ContextFacts: Sendable, Equatable, Codable {
  /// The build context's folder.
  public var path: String
  /// The Dockerfile's path, when known.
  public var dockerfilePath: String?
  /// Files in the context after `.dockerignore`.
  public var files: Int
  /// Bytes in the context after `.dockerignore`.
  public var bytes: Int64
  /// Top-level entries by size.
  public var entries: [ContextEntry]

  /// A measured build context.
  public init(
    path: String, dockerfilePath: String?, files: Int, bytes: Int64, entries: [ContextEntry]
  ) {
    self.path = path
    self.dockerfilePath = dockerfilePath
    self.files = files
    self.bytes = bytes
    self.entries = entries
  }
}

/// One top-level file or folder of the build context.
public struct ContextEntry: Sendable, Equatable, Codable {
  /// The entry's name in the context's top folder.
  public var name: String
  /// Files in it (1 for a file).
  public var files: Int
  /// Its bytes.
  public var bytes: Int64

  /// A top-level entry of `files` files and `bytes` bytes.
  public init(name: String, files: Int, bytes: Int64) {
    self.name = name
    self.files = files
    self.bytes = bytes
  }
}

/// A cache input of the build (Dockerfile, `.dockerignore`, lockfile, manifest) and its content.
public struct InputFact: Sendable, Equatable {
  /// What the input is to the build.
  public enum Role: String, Sendable, Codable, CaseIterable {
    case dockerfile, dockerignore, lockfile, manifest
  }
  /// The file's path, relative to the repository (or context) when it is inside it.
  public var path: String
  /// What the file is to the build.
  public var role: Role
  /// Lowercase hex SHA-256 of the content.
  public var sha256: String
  /// The file's size in bytes.
  public var bytes: Int
  /// The file itself; nil when it was too large to keep, or when it travels apart (an upload).
  public var content: Data?
  /// Whether the content was kept: it is in ``content``, or travels apart by its SHA-256.
  public var contentKept: Bool

  /// A cache input; `content` nil when it is not kept.
  public init(path: String, role: Role, sha256: String, bytes: Int, content: Data?) {
    self.path = path
    self.role = role
    self.sha256 = sha256
    self.bytes = bytes
    self.content = content
    self.contentKept = content != nil
  }
}
