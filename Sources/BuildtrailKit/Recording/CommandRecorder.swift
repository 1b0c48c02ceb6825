import BuildLog
import Foundation

/// Runs a build command, passing its output through unchanged and live, while every line is
/// timestamped and parsed for the record.
final class CommandRunner: @unchecked Sendable {
  private let lock = NSLock()
  private let hashing = HashingParser()
  private var partial: [Int32: [UInt8]] = [:]

  /// Runs `arguments` (the first is looked up on PATH) and returns its exit status with the parsed output.
  func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, log: ParsedLog, digest: String, started: Date, ended: Date) {
    guard let executable = arguments.first else { throw BuildtrailError.invalidArgument("record --: no command given") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    var env = environment
    if env["BUILDKIT_PROGRESS"] == nil { env["BUILDKIT_PROGRESS"] = "plain" }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.standardInput
    let started = Date()
    do {
      try process.run()
    } catch {
      throw BuildtrailError.cannotRunCommand(executable, reason: error.localizedDescription)
    }
    let group = DispatchGroup()
    for (pipe, target) in [(out, STDOUT_FILENO), (err, STDERR_FILENO)] {
      group.enter()
      let fd = pipe.fileHandleForReading.fileDescriptor
      Thread.detachNewThread { [self] in
        pump(from: fd, to: target)
        group.leave()
      }
    }
    group.wait()
    process.waitUntilExit()
    let ended = Date()
    lock.lock()
    for (key, rest) in partial where !rest.isEmpty { emit(rest, at: Date()) ; partial[key] = [] }
    lock.unlock()
    let (log, digest) = hashing.finish()
    var status = process.terminationStatus
    if process.terminationReason == .uncaughtSignal { status = 128 + status }
    if status == 127, log.byteCount < 200 {
      throw BuildtrailError.cannotRunCommand(executable, reason: "command not found")
    }
    return (status, log, digest, started, ended)
  }

  private func pump(from fd: Int32, to target: Int32) {
    let size = 64 * 1024
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      let n = read(fd, buffer, size)
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      var written = 0
      while written < n {
        let w = write(target, buffer + written, n - written)
        if w <= 0 { break }
        written += w
      }
      let chunk = UnsafeRawBufferPointer(start: buffer, count: n)
      lock.lock()
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
    command arguments: [String], metadata: RecordMetadata, environment: [String: String] = ProcessInfo.processInfo.environment,
    now: Date = Date()
  ) throws -> RecordReport {
    let runner = CommandRunner()
    let run = try runner.run(arguments, environment: environment)
    var metadata = metadata
    if metadata.command == nil { metadata.command = arguments.joined(separator: " ") }
    do {
      return try store(
        run.log, digest: run.digest, path: nil, metadata: metadata, now: now, exitCode: run.status,
        started: run.started, ended: run.ended)
    } catch {
      throw CommandRecordError(underlying: error, exitCode: run.status)
    }
  }
}
