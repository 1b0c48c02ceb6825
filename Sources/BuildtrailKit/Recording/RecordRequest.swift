import BuildStore
import Foundation

/// What `buildtrail record` was asked to do.
public struct RecordRequest: Sendable, Codable, Equatable {
  /// The log file, `-` for standard input, or nil when a command is given.
  public var logPath: String?
  /// The build command to run and record (after `--`).
  public var command: [String]
  /// `--label KEY=VALUE` pairs to attach.
  public var labels: [String: String]
  /// `--target`: the build target the build made.
  public var target: String?
  /// `--commit`: the commit to record instead of the one read from git.
  public var commit: String?
  /// `--branch`: the branch to record instead of the one read from git or CI.
  public var branch: String?
  /// `--context`: the build context folder; from the wrapped command, else `.`, when nil.
  public var contextPath: String?
  /// `--file`: the Dockerfile; from the wrapped command or the context when nil.
  public var dockerfilePath: String?
  /// `record --build-arg` words (`NAME=VALUE` or `NAME`); nil in spools written before they existed.
  public var buildArguments: [String]?
  /// `record --compose-file` files: the log is a compose build of this project; nil otherwise.
  public var composeFiles: [String]?
  /// `record --service`: only this compose service's build is recorded.
  public var service: String?
  /// Read git, CI and the working tree for metadata.
  public var collectMetadata: Bool
  /// The folder `record` ran in; relative paths and git are read from it.
  public var workingDirectory: String
  /// The environment to read CI variables, git and the Docker daemon settings from.
  public var environment: [String: String]

  /// A request to record `logPath`; the rest defaults to none, with metadata read in the current
  /// folder and environment.
  public init(
    logPath: String?, command: [String] = [], labels: [String: String] = [:], target: String? = nil,
    commit: String? = nil, branch: String? = nil, contextPath: String? = nil,
    dockerfilePath: String? = nil, buildArguments: [String] = [], composeFiles: [String] = [],
    service: String? = nil, collectMetadata: Bool = true,
    workingDirectory: String = FileManager.default.currentDirectoryPath,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.logPath = logPath
    self.command = command
    self.labels = labels
    self.target = target
    self.commit = commit
    self.branch = branch
    self.contextPath = contextPath
    self.dockerfilePath = dockerfilePath
    self.buildArguments = buildArguments.isEmpty ? nil : buildArguments
    self.composeFiles = composeFiles.isEmpty ? nil : composeFiles
    self.service = service
    self.collectMetadata = collectMetadata
    self.workingDirectory = workingDirectory
    self.environment = environment
  }

  /// Whether `path` can be given as the Dockerfile: a regular file (symlinks followed), or nothing yet
  /// (recorded with a warning); never a FIFO, device, socket or folder, which would block or never end.
  public static func isUsableDockerfile(_ path: String) -> Bool {
    !RegularFile.exists(path) || RegularFile.isRegular(path)
  }
}

/// What recording did, and what to tell the user about the metadata.
public struct RecordOutcome: Sendable {
  /// What recording the log did.
  public var report: RecordReport
  /// The spools an interrupted `record --` had left behind, recorded first.
  public var recovered: [RecoveredSpool] = []
}

/// Recording failed; `exitCode` is the exit code buildtrail should end with.
public struct RecordFailure: Error {
  /// Why recording failed.
  public var error: Error
  /// The exit code buildtrail should end with.
  public var exitCode: Int32
}

/// Carries out a ``RecordRequest`` for a log file or standard input: records what an interrupted
/// `record --` left behind, gathers metadata, reads the log, stores it. (``WrappedBuild`` runs
/// builds.)
public struct RecordRequestRunner: Sendable {
  /// The history database to record into.
  public var databasePath: String

  /// A runner recording into the database at `databasePath`.
  public init(databasePath: String) {
    self.databasePath = databasePath
  }

  /// Records what an interrupted `record --` left, then the log with its metadata; throws
  /// ``RecordFailure`` with the exit code to end with.
  public func run(_ request: RecordRequest) throws -> RecordOutcome {
    guard let path = request.logPath else {
      throw RecordFailure(
        error: BuildtrailError.invalidArgument("record: no log given"), exitCode: 1)
    }
    // Opening the history (and migrating a new one), then git, the context scan and the snapshots
    // run while the log is parsed: they mostly wait on SQLite, child processes and the file system.
    // A history that cannot be opened is reported before anything the log did.
    let collected = CollectedMetadata()
    let group = DispatchGroup()
    let databasePath = databasePath
    DispatchQueue.global().async(group: group) {
      collected.store = Result { try BuildStore(path: databasePath) }
      guard case .success = collected.store else { return }
      var warnings: [String] = []
      collected.metadata = MetadataCollector(request: request).collect(warnings: &warnings)
      collected.warnings = warnings
    }
    let parsed = Result { try Recorder.parse(path) }
    group.wait()
    let store: BuildStore
    var report: RecordReport
    do {
      store = try collected.store?.get() ?? BuildStore(path: databasePath)
    } catch {
      throw RecordFailure(error: error, exitCode: 1)
    }
    do {
      let (log, digest) = try parsed.get()
      report = try Recorder(store: store).store(
        log, digest: digest, path: path, metadata: collected.metadata, now: Date(),
        exitCode: nil, started: nil, ended: nil)
    } catch {
      throw RecordFailure(error: error, exitCode: 1)
    }
    report.warnings = collected.warnings + report.warnings
    let recovered = SpoolRecovery(databasePath: databasePath, environment: request.environment)
      .recover(into: store, automatic: true)
    return RecordOutcome(report: report, recovered: recovered)
  }
}
