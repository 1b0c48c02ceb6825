import Foundation

extension ProcessSpawner {
  /// What a finished child printed and how it ended.
  struct Captured {
    var status: Int32
    var output: Data
    var error: Data
  }

  /// Runs `executable` with `arguments` (stdin from /dev/null), reads its stdout and stderr to the
  /// end together (so neither pipe can fill and stall it), and waits for it with `waitpid`: no run
  /// loop, so a short child costs its own time only.
  static func capture(
    _ executable: String, arguments: [String], environment: [String: String]
  ) throws -> Captured {
    var out: [Int32] = [0, 0]
    var err: [Int32] = [0, 0]
    guard pipe(&out) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    guard pipe(&err) == 0 else {
      close(out[0])
      close(out[1])
      throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
    let null = open("/dev/null", O_RDONLY)
    let pid: pid_t
    do {
      pid = try spawn(
        [executable] + arguments, executable: executable, environment: environment,
        stdout: out[1], stderr: err[1], stdin: null >= 0 ? null : nil)
    } catch {
      for fd in out + err + [null] where fd >= 0 { close(fd) }
      throw error
    }
    for fd in [out[1], err[1], null] where fd >= 0 { close(fd) }
    var captured = Captured(status: 0, output: Data(), error: Data())
    var fds = [
      pollfd(fd: out[0], events: Int16(POLLIN), revents: 0),
      pollfd(fd: err[0], events: Int16(POLLIN), revents: 0),
    ]
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: 65_536, alignment: 16)
    defer { buffer.deallocate() }
    var open = 2
    while open > 0 {
      if poll(&fds, nfds_t(fds.count), -1) < 0 {
        if errno == EINTR { continue }
        break
      }
      for i in fds.indices where fds[i].fd >= 0 && fds[i].revents != 0 {
        let n = read(fds[i].fd, buffer, 65_536)
        if n > 0 {
          let bytes = UnsafeRawBufferPointer(start: buffer, count: n)
          if i == 0 {
            captured.output.append(contentsOf: bytes)
          } else {
            captured.error.append(contentsOf: bytes)
          }
        } else if n == 0 || errno != EINTR {
          close(fds[i].fd)
          fds[i].fd = -1
          open -= 1
        }
      }
    }
    for fd in fds where fd.fd >= 0 { close(fd.fd) }
    captured.status = wait(pid)
    return captured
  }
}
