import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A real `buildtrail serve --listen 127.0.0.1:0` in a child process: its port read from the line it
/// prints on stderr, requests sent with URLSession, stopped with a signal. Tests stop it in a defer.
final class ServerProcess: @unchecked Sendable {
  let process = Process()
  private(set) var port = 0
  private let err = Pipe()
  private let output = Output()
  private let reading = DispatchGroup()

  /// What the server printed on stderr, filled by a reader thread.
  private final class Output: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
  }

  struct Reply {
    var status: Int
    var contentType: String?
    var body: String
    var headers: [String: String]
  }

  /// Starts the server on `db` and waits (up to 60 s) for it to say where it listens.
  init(db: String, arguments: [String] = []) throws {
    process.executableURL = CLI.binary
    process.arguments = ["serve", "--listen", "127.0.0.1:0", "--db", db] + arguments
    process.environment = CLI.environment([:])
    process.standardOutput = FileHandle.nullDevice
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let reader = err.fileHandleForReading
    reading.enter()
    let output = self.output
    let reading = self.reading
    DispatchQueue.global().async {
      while true {
        let chunk = reader.availableData
        if chunk.isEmpty { break }
        output.append(chunk)
      }
      reading.leave()
    }
    var found: Int?
    let deadline = Date().addingTimeInterval(60)
    while found == nil, Date() < deadline, process.isRunning {
      found = Self.port(in: output.text)
      if found == nil { usleep(20_000) }
    }
    guard let found else {
      process.terminate()
      process.waitUntilExit()
      throw ServerProcessError.notListening(output.text)
    }
    port = found
  }

  enum ServerProcessError: Error {
    case notListening(String)
    case noReply(String)
  }

  /// The port in `serving … on http://127.0.0.1:PORT`.
  static func port(in text: String) -> Int? {
    guard let range = text.range(of: "on http://127.0.0.1:") else { return nil }
    let digits = text[range.upperBound...].prefix { $0.isNumber }
    guard let line = text[range.upperBound...].firstIndex(of: "\n"),
      line == text.index(range.upperBound, offsetBy: digits.count)
    else { return nil }
    return Int(digits)
  }

  /// What the server printed on stderr so far.
  var stderr: String { output.text }

  /// `METHOD path` (with its query, already encoded), with `token` as a bearer token, waiting up to
  /// 60 s.
  func get(_ path: String, token: String? = nil, method: String = "GET", accept: String? = nil)
    throws -> Reply
  {
    let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
    var request = URLRequest(url: url, timeoutInterval: 60)
    request.httpMethod = method
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    if let accept { request.setValue(accept, forHTTPHeaderField: "Accept") }
    final class Box: @unchecked Sendable {
      var reply: Reply?
      var error: String?
    }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    let task = URLSession.shared.dataTask(with: request) { data, response, error in
      if let response = response as? HTTPURLResponse {
        var headers: [String: String] = [:]
        for (key, value) in response.allHeaderFields {
          headers[String(describing: key).lowercased()] = String(describing: value)
        }
        box.reply = Reply(
          status: response.statusCode, contentType: headers["content-type"],
          body: String(decoding: data ?? Data(), as: UTF8.self), headers: headers)
      } else {
        box.error = error.map { "\($0)" } ?? "no response"
      }
      done.signal()
    }
    task.resume()
    done.wait()
    guard let reply = box.reply else { throw ServerProcessError.noReply(box.error ?? "") }
    return reply
  }

  /// Sends `signal` and waits up to 30 s for the process to end; its exit status, nil if it did not.
  func stop(_ signal: Int32 = SIGTERM) -> Int32? {
    guard process.isRunning else { return process.terminationStatus }
    Foundation.kill(process.processIdentifier, signal)
    let deadline = Date().addingTimeInterval(30)
    while process.isRunning, Date() < deadline { usleep(20_000) }
    guard !process.isRunning else { return nil }
    reading.wait()
    return process.terminationStatus
  }

  /// Ends the process whatever its state: for defers.
  func forceStop() {
    if process.isRunning {
      Foundation.kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }
}
