import Foundation

/// The process id that a SIGTERM to buildtrail is passed on to: the wrapped build while it runs,
/// then the recording child.
nonisolated(unsafe) private var forwardedChild: pid_t = 0

/// Runs a build command, passing its output through unchanged and live, and hands every chunk of
/// it to a spool writer. Nothing here parses or stores: it cannot take the pass-through down.
struct CommandRunner {
  /// Runs `arguments` (the first is looked up on PATH) and returns its exit code and times. Output
  /// goes to `spool` too, when there is one.
  func run(_ arguments: [String], environment: [String: String], spool: SpoolWriter?) throws -> (
    status: Int32, started: Date, ended: Date
  ) {
    var env = environment
    if env["BUILDKIT_PROGRESS"] == nil { env["BUILDKIT_PROGRESS"] = "plain" }
    var out: [Int32] = [0, 0]
    var err: [Int32] = [0, 0]
    guard pipe(&out) == 0, pipe(&err) == 0 else {
      throw BuildtrailError.cannotRunCommand(
        arguments.first ?? "", reason: String(cString: strerror(errno)))
    }
    let started = Date()
    let pid: pid_t
    do {
      pid = try ProcessSpawner.spawn(arguments, environment: env, stdout: out[1], stderr: err[1])
    } catch {
      for fd in out + err { close(fd) }
      throw error
    }
    close(out[1])
    close(err[1])
    Self.forwardSignals(to: pid)
    let group = DispatchGroup()
    for (fd, target) in [(out[0], STDOUT_FILENO), (err[0], STDERR_FILENO)] {
      group.enter()
      Thread.detachNewThread {
        Self.pump(from: fd, to: target, spool: spool)
        close(fd)
        group.leave()
      }
    }
    let status = ProcessSpawner.wait(pid)
    Self.forwardSignals(to: 0)
    let ended = Date()
    // Processes the build left behind may hold its output open: wait for them briefly, not forever.
    _ = group.wait(timeout: .now() + 2)
    spool?.finish()
    return (status, started, ended)
  }

  /// Ctrl-C reaches the build through the terminal's process group; buildtrail itself stays alive to
  /// keep what the build printed. A SIGTERM (a CI job being stopped) is passed on to `pid`. If
  /// whoever reads buildtrail's output goes away (`| head`), the build goes on, and so does spooling.
  static func handleSignals() {
    // A parent (a CI runner, a test harness) may have blocked these signals; buildtrail must see them.
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    signal(SIGINT) { _ in }
    signal(SIGTERM) { _ in
      if forwardedChild > 0 { kill(forwardedChild, SIGTERM) }
    }
    signal(SIGPIPE, SIG_IGN)
    // A file size limit fails the spool's writes instead of killing buildtrail.
    signal(SIGXFSZ, SIG_IGN)
  }

  /// Sets the process that a SIGTERM is passed on to; 0 for none.
  static func forwardSignals(to pid: pid_t) {
    forwardedChild = pid
  }

  private static func pump(from fd: Int32, to target: Int32, spool: SpoolWriter?) {
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
      spool?.take(UnsafeRawBufferPointer(start: buffer, count: n), from: target)
    }
  }
}
