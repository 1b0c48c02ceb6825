import Foundation

/// Runs a build for `record --` so that nothing that happens to its recording can stop the build,
/// change its exit code or lose its log. This process only passes the build's output through and
/// appends it to a spool; a child process parses and records the spool once the build has ended.
public struct WrappedBuild: Sendable {
  /// What to run (``RecordRequest/command``) and what to record it with.
  public var request: RecordRequest
  /// The history; the spool goes beside it, in `DATABASE.spool/`.
  public var databasePath: String
  /// The arguments (after the program's name) that make this executable record the spool at the
  /// given folder, whose lock it inherits.
  public var recorderArguments: @Sendable (String) -> [String]
  /// The recording child's environment, when it differs from the build's (a token the build must
  /// not see).
  public var recorderEnvironment: [String: String]?
  /// What records a spool whose recording failed, for the warning that says it is kept.
  public var laterRecording = "the next `buildtrail record` or `buildtrail recover`"

  /// A run of `request`'s command, recorded into `databasePath` by this executable started with
  /// `recorderArguments`.
  public init(
    request: RecordRequest, databasePath: String,
    recorderArguments: @escaping @Sendable (String) -> [String]
  ) {
    self.request = request
    self.databasePath = databasePath
    self.recorderArguments = recorderArguments
  }

  /// Runs the build and has it recorded. Returns the build's own exit code with warnings about its
  /// recording; throws a ``RecordFailure`` (exit code 127) only when the command cannot be started.
  public func run() throws -> (exitCode: Int32, warnings: [String]) {
    CommandRunner.handleSignals()
    var warnings: [String] = []
    var meta = SpoolMeta(request: request, startedAt: Date())
    var spool: Spool?
    var fd: Int32 = -1
    do {
      (spool, fd) = try Spool.create(forDatabase: databasePath, meta: meta)
    } catch {
      let folder = Spool.folder(forDatabase: databasePath).path
      warnings.append(
        "cannot keep the build's log in \(folder) (\(Self.describe(error))); the build was not recorded"
      )
    }
    defer { if fd >= 0 { close(fd) } }
    let writer = spool.map { _ in SpoolWriter(fd: fd) }
    let build: (status: Int32, started: Date, ended: Date)
    do {
      build = try CommandRunner().run(
        request.command, environment: request.environment, spool: writer)
    } catch {
      spool?.remove()
      throw RecordFailure(error: error, exitCode: 127)
    }
    guard let spool else { return (build.status, warnings) }
    if let failure = writer?.failure {
      spool.remove()
      warnings.append(
        "cannot write the build's log to \(spool.directory.path) (\(String(cString: strerror(failure)))); the build was not recorded"
      )
      return (build.status, warnings)
    }
    meta.startedAt = build.started
    meta.endedAt = build.ended
    meta.exitCode = build.status
    do {
      try spool.write(meta)
    } catch {
      warnings.append(
        "cannot keep the build's exit code in \(spool.meta.path) (\(Self.describe(error))); "
          + "it is recorded with the outcome its log shows")
    }
    let recording = runRecorder(spool, lockedBy: fd)
    let how = recording > 128 ? "was killed by signal \(recording - 128)" : "failed"
    if recording != 0 && FileManager.default.fileExists(atPath: spool.directory.path) {
      warnings.append(
        "recording \(how); the build's log is kept in \(spool.directory.path) and will be recorded by "
          + laterRecording)
    } else if recording > 128 {
      // The spool goes only once the build is stored.
      warnings.append("recording \(how) after it had stored the build")
    }
    return (build.status, warnings)
  }

  /// Records the spool in a child process, which inherits its lock, and returns the child's exit code.
  private func runRecorder(_ spool: Spool, lockedBy fd: Int32) -> Int32 {
    let pid: pid_t
    do {
      pid = try ProcessSpawner.spawn(
        ["buildtrail"] + recorderArguments(spool.directory.path), executable: "/proc/self/exe",
        environment: recorderEnvironment ?? request.environment, stdout: STDOUT_FILENO,
        stderr: STDERR_FILENO,
        keeping: [fd])
    } catch {
      return 1
    }
    CommandRunner.forwardSignals(to: pid)
    defer { CommandRunner.forwardSignals(to: 0) }
    return ProcessSpawner.wait(pid)
  }

  /// The system's words for what went wrong, found under Foundation's wrapping.
  private static func describe(_ error: Error) -> String {
    var next: Error? = error
    while let current = next {
      if let posix = current as? POSIXError {
        return String(cString: strerror(posix.code.rawValue))
      }
      let ns = current as NSError
      if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
      next = ns.userInfo[NSUnderlyingErrorKey] as? Error
    }
    return (error as? LocalizedError)?.errorDescription ?? "\(error)"
  }
}
