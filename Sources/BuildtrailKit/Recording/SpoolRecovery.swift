import BuildStore
import Foundation

/// One spool that recording took: what it recorded, or why it could not.
public struct RecoveredSpool: Sendable {
  /// The spool's folder.
  public var path: String
  /// What recording it did, when it did.
  public var report: RecordReport?
  /// Why it was not recorded.
  public var error: String?
  /// Whether the spool is still there, for a later `record` or `recover` to try again.
  public var kept: Bool
}

/// Records the output that `record --` spooled: the spool of the build it has just run, and those
/// that an interrupted `record --` left behind. A spool is deleted only once its builds are
/// committed; recording one twice stores nothing new, as the history knows the log's SHA-256.
public struct SpoolRecovery: Sendable {
  /// The history the spools are recorded into; the spools sit beside it in `DATABASE.spool/`.
  public var databasePath: String
  /// The environment to read git and the Docker daemon in; each spool brings its own CI variables.
  public var environment: [String: String]

  /// Recovery into the database at `databasePath`.
  public init(
    databasePath: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.databasePath = databasePath
    self.environment = environment
  }

  /// The folder of the spools, beside the history.
  public var folder: String { Spool.folder(forDatabase: databasePath).path }

  /// Records every spool that no process holds, oldest first. The history is opened only when there
  /// is a spool.
  public func recoverAll() throws -> [RecoveredSpool] {
    guard !Spool.all(forDatabase: databasePath).isEmpty else {
      Spool.sweep(forDatabase: databasePath)
      return []
    }
    return recover(into: try BuildStore(path: databasePath))
  }

  /// A spool whose recording was started this many times without finishing (its log crashed the
  /// recorder, say) is no longer taken up by `record`; `buildtrail recover` still tries it.
  public static let automaticAttempts = 3

  /// Records the spool at `directory`, whose lock the calling `record --` holds for this process,
  /// then the spools that were left behind: a leftover that crashes the recorder cannot keep the
  /// build that has just run from being recorded.
  public func recordHeld(_ directory: String) throws -> (
    outcome: RecordOutcome, leftovers: [RecoveredSpool]
  ) {
    let spool = Spool(directory: URL(fileURLWithPath: directory, isDirectory: true))
    let store: BuildStore
    do {
      store = try BuildStore(path: databasePath)
    } catch {
      throw RecordFailure(error: error, exitCode: 1)
    }
    if environment["BUILDTRAIL_TEST_CRASH_RECORDER"] == "1" {
      fatalError(
        "BUILDTRAIL_TEST_CRASH_RECORDER=1: the recording child stops as a crashing parser would")
    }
    let report: RecordReport
    do {
      report = try record(spool, into: store)
    } catch {
      if Self.isUnrecordable(error) { spool.remove() }
      throw RecordFailure(error: error, exitCode: 1)
    }
    let leftovers = recover(into: store, except: spool.name, automatic: true)
    return (RecordOutcome(report: report), leftovers)
  }

  /// Records the spools no process holds. `automatic` (from `record`) passes over spools whose
  /// recording was already started ``automaticAttempts`` times, and says so.
  func recover(into store: BuildStore, except excluded: String? = nil, automatic: Bool = false)
    -> [RecoveredSpool]
  {
    Spool.sweep(forDatabase: databasePath)
    var results: [RecoveredSpool] = []
    for spool in Spool.all(forDatabase: databasePath) where spool.name != excluded {
      guard let fd = spool.lock() else { continue }
      defer { close(fd) }
      if automatic, spool.attempts >= Self.automaticAttempts {
        results.append(
          RecoveredSpool(
            path: spool.directory.path, report: nil,
            error:
              "not recorded: \(spool.attempts) earlier attempts did not finish; `buildtrail recover` tries again, or delete the folder",
            kept: true))
        continue
      }
      spool.noteAttempt()
      do {
        let report = try record(spool, into: store)
        results.append(
          RecoveredSpool(path: spool.directory.path, report: report, error: nil, kept: false))
      } catch {
        let unrecordable = Self.isUnrecordable(error)
        if unrecordable { spool.remove() }
        let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
        results.append(
          RecoveredSpool(
            path: spool.directory.path, report: nil, error: message, kept: !unrecordable))
      }
    }
    return results
  }

  /// Records one spool as the build it was, then deletes it.
  private func record(_ spool: Spool, into store: BuildStore) throws -> RecordReport {
    var warnings: [String] = []
    let meta = try? spool.readMeta()
    let request =
      meta?.request(environment: environment)
      ?? RecordRequest(logPath: nil, collectMetadata: false, environment: [:])
    var metadata = MetadataCollector(request: request).collect(warnings: &warnings)
    metadata.command = meta?.request.command.joined(separator: " ")
    if meta == nil {
      warnings.append(
        "\(spool.directory.path) has no readable meta.json; its log is recorded without metadata")
    } else if meta?.exitCode == nil {
      warnings.append(
        "buildtrail stopped before the build in \(spool.directory.path) ended; it is recorded with the outcome its log shows"
      )
    }
    var report = try Recorder(store: store).record(
      spooledLogAt: spool.log.path, metadata: metadata, exitCode: meta?.exitCode,
      started: meta?.startedAt,
      ended: meta?.endedAt)
    spool.remove()
    report.warnings = warnings + report.warnings
    return report
  }

  /// Errors that recording the same log again would meet again: such a spool is deleted.
  private static func isUnrecordable(_ error: Error) -> Bool {
    switch error as? BuildtrailError {
    case .emptyLog, .binaryLog, .noBuildFound: return true
    default: return false
    }
  }
}
