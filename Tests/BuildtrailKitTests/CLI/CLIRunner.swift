import Foundation
import Testing

/// Runs the built `buildtrail` binary, as a user or a CI job would.
struct CLI {
  static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static var binary: URL {
    let beside = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
      .deletingLastPathComponent()
      .appendingPathComponent("buildtrail")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    return repositoryRoot.appendingPathComponent(".build/debug/buildtrail")
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
    /// The stderr lines that are errors.
    var errorLines: [String] {
      stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("buildtrail: error:") }
    }
  }

  static func run(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
    stdin: Data? = nil
  ) throws -> Result {
    try runExecutable(binary, arguments, in: directory, environment: environment, stdin: stdin)
  }

  /// The builds of the history at `db`, newest first, as `builds --format json` lists them.
  static func builds(db: String) throws -> [[String: Any]] {
    let r = try run(["builds", "--db", db, "--format", "json", "--limit", "1000"])
    try #require(r.status == 0, "\(r.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    return try #require(json?["builds"] as? [[String: Any]])
  }

  /// The test run's environment without colour or CI, with `extra` on top.
  static func environment(_ extra: [String: String]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env.removeValue(forKey: "GITHUB_ACTIONS")
    env.removeValue(forKey: "GITLAB_CI")
    for (k, v) in extra { env[k] = v }
    return env
  }

  static func runExecutable(
    _ executable: URL, _ arguments: [String], in directory: URL? = nil,
    environment: [String: String] = [:],
    stdin: Data? = nil
  ) throws -> Result {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = Self.environment(environment)
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    final class Box: @unchecked Sendable { var data = Data() }
    let outBox = Box()
    let group = DispatchGroup()
    group.enter()
    let reader = out.fileHandleForReading
    DispatchQueue.global().async {
      outBox.data = reader.readDataToEndOfFile()
      group.leave()
    }
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let outData = outBox.data
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}

/// Every scratch directory of a test run lives under one folder, removed when the run ends (the uv
/// scenarios write tens of megabytes each).
let scratchRoot: URL = {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent(
    "buildtrail-tests-\(getpid())")
  atexit { try? FileManager.default.removeItem(at: scratchRoot) }
  return root
}()

func scratchDirectory() throws -> URL {
  let url = scratchRoot.appendingPathComponent(UUID().uuidString)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
