import BuildStore
import Foundation

/// What `buildtrail record` was asked to do.
public struct RecordRequest: Sendable {
  /// The log file, `-` for standard input, or nil when a command is given.
  public var logPath: String?
  /// The build command to run and record (after `--`).
  public var command: [String]
  public var labels: [String: String]
  public var target: String?
  public var commit: String?
  public var branch: String?
  public var contextPath: String?
  public var dockerfilePath: String?
  /// Read git, CI and the working tree for metadata.
  public var collectMetadata: Bool
  public var workingDirectory: String
  public var environment: [String: String]

  public init(
    logPath: String?, command: [String] = [], labels: [String: String] = [:], target: String? = nil,
    commit: String? = nil, branch: String? = nil, contextPath: String? = nil,
    dockerfilePath: String? = nil,
    collectMetadata: Bool = true,
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
  public var report: RecordReport
}

/// Recording failed; `exitCode` is the wrapped build's exit code when it failed too, else 1.
public struct RecordFailure: Error {
  public var error: Error
  public var exitCode: Int32
}

/// Carries out a ``RecordRequest``: gathers metadata, runs or reads the log, stores it.
public struct RecordRequestRunner: Sendable {
  public var databasePath: String

  public init(databasePath: String) {
    self.databasePath = databasePath
  }

  public func run(_ request: RecordRequest) throws -> RecordOutcome {
    let store: BuildStore
    do {
      store = try BuildStore(path: databasePath)
    } catch {
      if !request.command.isEmpty {
        // The build still runs: recording must never stop a CI build from happening.
        let status =
          (try? CommandRunner().run(request.command, environment: request.environment).status) ?? 1
        throw RecordFailure(error: error, exitCode: status == 0 ? 1 : status)
      }
      throw RecordFailure(error: error, exitCode: 1)
    }
    var warnings: [String] = []
    let metadata = MetadataCollector(request: request).collect(warnings: &warnings)
    let recorder = Recorder(store: store)
    var report: RecordReport
    if let path = request.logPath {
      do {
        report = try recorder.record(logAt: path, metadata: metadata)
      } catch {
        throw RecordFailure(error: error, exitCode: 1)
      }
    } else {
      do {
        report = try recorder.record(
          command: request.command, metadata: metadata, environment: request.environment)
      } catch let error as CommandRecordError {
        throw RecordFailure(
          error: error.underlying, exitCode: error.exitCode == 0 ? 1 : error.exitCode)
      } catch let error as BuildtrailError {
        if case .cannotRunCommand = error { throw RecordFailure(error: error, exitCode: 127) }
        throw RecordFailure(error: error, exitCode: 1)
      } catch {
        throw RecordFailure(error: error, exitCode: 1)
      }
    }
    report.warnings = warnings + report.warnings
    return RecordOutcome(report: report)
  }
}

/// Recording a wrapped command's output failed after the command ran with `exitCode`.
struct CommandRecordError: Error {
  var underlying: Error
  var exitCode: Int32
}
