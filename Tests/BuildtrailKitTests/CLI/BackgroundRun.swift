import Foundation
import Testing

/// A `buildtrail` started in the background, for tests that kill it or its children while it runs.
final class BackgroundRun: @unchecked Sendable {
  let process = Process()
  private let out = Pipe()
  private let err = Pipe()
  private let group = DispatchGroup()
  private var outData = Data()
  private var errData = Data()

  init(_ arguments: [String], environment: [String: String] = [:]) throws {
    process.executableURL = CLI.binary
    process.arguments = arguments
    process.environment = CLI.environment(environment)
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    for (pipe, isOut) in [(out, true), (err, false)] {
      let reader = pipe.fileHandleForReading
      DispatchQueue.global().async(group: group) {
        let data = reader.readDataToEndOfFile()
        if isOut { self.outData = data } else { self.errData = data }
      }
    }
  }

  var pid: pid_t { process.processIdentifier }

  /// The running children of this process, or those with `word` as one of their arguments.
  func children(with word: String? = nil) -> [pid_t] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
    let pids = tasks.flatMap { task -> [pid_t] in
      let text =
        (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
      return text.split(separator: " ").compactMap {
        pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
      }
    }
    guard let word else { return pids }
    return pids.filter { child in
      let cmdline =
        (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(child)/cmdline"))) ?? Data()
      return String(decoding: cmdline, as: UTF8.self).split(separator: "\0").contains { $0 == word }
    }
  }

  /// Polls for a child whose command line contains `word`, for up to `timeout` seconds.
  func waitForChild(with word: String, timeout: TimeInterval) -> pid_t? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline && process.isRunning {
      if let child = children(with: word).first { return child }
      usleep(500)
    }
    return nil
  }

  /// Waits for the process to end and returns what it printed.
  func finish() -> CLI.Result {
    process.waitUntilExit()
    group.wait()
    return CLI.Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}
