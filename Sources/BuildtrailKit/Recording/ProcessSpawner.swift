import Foundation

/// Starts the processes buildtrail waits on (the wrapped build, the recording child) with posix_spawn.
enum ProcessSpawner {
  /// Starts `arguments` and returns its pid. The program is `executable`, else the first argument
  /// looked up on PATH. Its stdout and stderr are the given descriptors; SIGINT, SIGTERM, SIGPIPE
  /// and SIGXFSZ are unblocked and at their default action in it; no other descriptor of
  /// buildtrail's but `keeping` leaks into it (nor into what it leaves behind).
  static func spawn(
    _ arguments: [String], executable: String? = nil, environment: [String: String], stdout: Int32,
    stderr: Int32,
    stdin: Int32? = nil, keeping: [Int32] = []
  ) throws -> pid_t {
    guard let program = executable ?? arguments.first else {
      throw BuildtrailError.invalidArgument("record --: no command given")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let stdin { posix_spawn_file_actions_adddup2(&actions, stdin, STDIN_FILENO) }
    if stdout != STDOUT_FILENO { posix_spawn_file_actions_adddup2(&actions, stdout, STDOUT_FILENO) }
    if stderr != STDERR_FILENO { posix_spawn_file_actions_adddup2(&actions, stderr, STDERR_FILENO) }
    let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [])
      .compactMap { Int32($0) }
    for fd in Set(open + [stdout, stderr] + (stdin.map { [$0] } ?? []))
    where fd > 2 && !keeping.contains(fd) && fcntl(fd, F_GETFD) != -1 {
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
    for signal in [SIGINT, SIGTERM, SIGPIPE, SIGXFSZ] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for p in argv { free(p) }
      for p in envp { free(p) }
    }
    var pid: pid_t = 0
    let result = posix_spawnp(&pid, program, &actions, &attributes, argv, envp)
    guard result == 0 else {
      let reason = result == ENOENT ? "command not found" : String(cString: strerror(result))
      throw BuildtrailError.cannotRunCommand(arguments.first ?? program, reason: reason)
    }
    return pid
  }

  /// Waits for `pid` to end and returns its exit code as a shell shows it: 128 + the signal that
  /// killed it, if one did.
  static func wait(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { return 128 }
    }
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
  }
}
