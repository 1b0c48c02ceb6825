import BuildLog
import Foundation

/// Everything recorded for one build: what its log said and what was known around it.
public struct NewBuild: Sendable {
  public var parsed: ParsedBuild
  /// SHA-256 of the whole log; with ``buildIndex`` it identifies the build, so recording a log twice keeps one.
  public var logSHA256: String
  /// The build's position among the builds of its log, from 0.
  public var buildIndex: Int
  public var recordedAt: Date
  /// Start and end when known from outside the log (`record --` times the build itself).
  public var startedAt: Date?
  public var endedAt: Date?
  /// The wrapped build command's exit code.
  public var exitCode: Int?
  public var logPath: String?
  public var logBytes: Int64?
  public var logLines: Int?
  public var command: String?
  public var target: String?
  /// The compose service (or bake target) the build is for; the parsed log's by default.
  public var service: String?
  public var labels: [String: String]
  public var git: GitFacts?
  public var ci: CIFacts?
  public var context: ContextFacts?
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
  public var commit: String?
  public var branch: String?
  public var subject: String?
  public var committedAt: Date?
  public var dirty: Bool?
  public var shallow: Bool?
  public var root: String?

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
  public var provider: String
  public var runID: String?
  public var jobID: String?
  public var url: String?

  public init(provider: String, runID: String? = nil, jobID: String? = nil, url: String? = nil) {
    self.provider = provider
    self.runID = runID
    self.jobID = jobID
    self.url = url
  }
}

/// The build context as measured in the working tree, after `.dockerignore`.
public struct ContextFacts: Sendable, Equatable, Codable {
  public var path: String
  public var dockerfilePath: String?
  public var files: Int
  public var bytes: Int64
  /// Top-level entries by size.
  public var entries: [ContextEntry]

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
  public var name: String
  public var files: Int
  public var bytes: Int64

  public init(name: String, files: Int, bytes: Int64) {
    self.name = name
    self.files = files
    self.bytes = bytes
  }
}

/// A cache input of the build (Dockerfile, `.dockerignore`, lockfile, manifest) and its content.
public struct InputFact: Sendable, Equatable {
  public enum Role: String, Sendable, Codable, CaseIterable {
    case dockerfile, dockerignore, lockfile, manifest
  }
  public var path: String
  public var role: Role
  public var sha256: String
  public var bytes: Int
  /// The file itself; nil when it was too large to keep.
  public var content: Data?

  public init(path: String, role: Role, sha256: String, bytes: Int, content: Data?) {
    self.path = path
    self.role = role
    self.sha256 = sha256
    self.bytes = bytes
    self.content = content
  }
}
