import BuildLog
import Foundation

/// The wrapped build's process id while it runs, for the SIGTERM handler.
nonisolated(unsafe) private var runningChild: pid_t = 0

/// Runs a build command, passing its output through unchanged and live, while every line is
/// timestamped and parsed for the record.
final class CommandRunner: @unchecked Sendable {
  private let lock = NSLock()
  private let hashing = HashingParser()
  private var partial: [Int32: [UInt8]] = [:]
  /// Set once the build has ended and its output was read: later output is passed through only.
  private var closed = false

  /// Runs `arguments` (the first is looked up on PATH) and returns its exit status with the parsed output.
  func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, log: ParsedLog, digest: String, started: Date, ended: Date) {
    guard let executable = arguments.first else { throw BuildtrailError.invalidArgument("record --: no command given") }
    var env = environment
    if env["BUILDKIT_PROGRESS"] == nil { env["BUILDKIT_PROGRESS"] = "plain" }
    // A parent (a CI runner, a test harness) may have blocked these signals; the build and
    // buildtrail must both see them.
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)

    var out: [Int32] = [0, 0]
    var err: [Int32] = [0, 0]
    guard pipe(&out) == 0, pipe(&err) == 0 else {
      throw BuildtrailError.cannotRunCommand(executable, reason: String(cString: strerror(errno)))
    }
    let started = Date()
    let pid: pid_t
    do {
      pid = try Self.spawn(arguments, environment: env, stdout: out[1], stderr: err[1], closing: [out[0], err[0]])
    } catch {
      for fd in out + err { close(fd) }
      throw error
    }
    close(out[1])
    close(err[1])
    // Ctrl-C reaches the build through the terminal's process group; buildtrail itself stays
    // alive to record what the build printed. A SIGTERM (a CI job being stopped) is passed on.
    runningChild = pid
    signal(SIGINT) { _ in }
    signal(SIGTERM) { _ in
      if runningChild > 0 { kill(runningChild, SIGTERM) }
    }
    // If whoever reads buildtrail's output goes away (`| head`), keep recording the build.
    signal(SIGPIPE, SIG_IGN)
    defer {
      signal(SIGINT, SIG_DFL)
      signal(SIGTERM, SIG_DFL)
      signal(SIGPIPE, SIG_DFL)
      runningChild = 0
    }
    let group = DispatchGroup()
    for (fd, target) in [(out[0], STDOUT_FILENO), (err[0], STDERR_FILENO)] {
      group.enter()
      Thread.detachNewThread { [self] in
        pump(from: fd, to: target)
        close(fd)
        group.leave()
      }
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let ended = Date()
    // Processes the build left behind may hold its output open: wait for them briefly, not forever.
    _ = group.wait(timeout: .now() + 2)
    lock.lock()
    for (key, rest) in partial where !rest.isEmpty {
      emit(rest, at: Date())
      partial[key] = []
    }
    closed = true
    lock.unlock()
    let (log, digest) = hashing.finish()
    let signal = status & 0x7F
    let code = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    return (code, log, digest, started, ended)
  }

  /// Starts the command with posix_spawn: its stdout and stderr go to the given pipes, and
  /// SIGINT and SIGTERM are unblocked and at their default action in it.
  private static func spawn(
    _ arguments: [String], environment: [String: String], stdout: Int32, stderr: Int32, closing: [Int32]
  ) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, stdout, STDOUT_FILENO)
    posix_spawn_file_actions_adddup2(&actions, stderr, STDERR_FILENO)
    // Nothing else buildtrail holds open leaks into the build (nor into what the build leaves behind).
    let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    for fd in Set(open.filter { $0 > 2 } + closing + [stdout, stderr]) where fcntl(fd, F_GETFD) != -1 {
      posix_spawn_file_actions_addclose(&actions, fd)
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGINT)
    sigaddset(&defaults, SIGTERM)
    sigaddset(&defaults, SIGPIPE)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for p in argv { free(p) }
      for p in envp { free(p) }
    }
    var pid: pid_t = 0
    let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
    guard result == 0 else {
      let reason = result == ENOENT ? "command not found" : String(cString: strerror(result))
      throw BuildtrailError.cannotRunCommand(arguments[0], reason: reason)
    }
    return pid
  }

  private func pump(from fd: Int32, to target: Int32) {
    let size = 64 * 1024
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
    defer { buffer.deallocate() }
    var passingThrough = true
    while true {
      let n = read(fd, buffer, size)
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      var written = 0
      while passingThrough && written < n {
        let w = write(target, buffer + written, n - written)
        if w < 0 && errno == EINTR { continue }
        if w <= 0 {
          passingThrough = false
          break
        }
        written += w
      }
      let chunk = UnsafeRawBufferPointer(start: buffer, count: n)
      lock.lock()
      if closed {
        lock.unlock()
        continue
      }
      var pending = partial[target, default: []]
      var start = 0
      for i in 0..<n where chunk[i] == 0x0A {
        pending.append(contentsOf: chunk[start...i])
        emit(pending, at: Date())
        pending.removeAll(keepingCapacity: true)
        start = i + 1
      }
      pending.append(contentsOf: chunk[start..<n])
      partial[target] = pending
      lock.unlock()
    }
  }

  /// Feeds one line to the parser with a GitHub-Actions-style timestamp, which the parser reads as
  /// wall-clock time. The hash covers the stamped lines, so two runs never count as the same log.
  private func emit(_ line: [UInt8], at date: Date) {
    var stamped = Array(Self.timestamp(date).utf8)
    stamped.append(0x20)
    stamped.append(contentsOf: line)
    if stamped.last != 0x0A { stamped.append(0x0A) }
    stamped.withUnsafeBytes { hashing.feed($0) }
  }

  static func timestamp(_ date: Date) -> String {
    let t = date.timeIntervalSince1970
    var seconds = time_t(floor(t))
    let fraction = Int(((t - floor(t)) * 10_000_000).rounded(.down))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%07dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), fraction)
  }
}

extension Recorder {
  /// Runs the build command, passes its output through, records what it printed, and returns the
  /// report with the command's exit code. A failed build is recorded too.
  public func record(
    command arguments: [String], metadata: RecordMetadata, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> RecordReport {
    let runner = CommandRunner()
    let run = try runner.run(arguments, environment: environment)
    var metadata = metadata
    if metadata.command == nil { metadata.command = arguments.joined(separator: " ") }
    do {
      return try store(
        run.log, digest: run.digest, path: nil, metadata: metadata, now: Date(), exitCode: run.status,
        started: run.started, ended: run.ended)
    } catch {
      throw CommandRecordError(underlying: error, exitCode: run.status)
    }
  }
}
