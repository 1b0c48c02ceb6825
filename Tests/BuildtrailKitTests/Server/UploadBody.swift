import BuildStore
import BuildtrailKit
import Foundation
import Testing

/// A `POST /api/v1/builds` body of protocol v1, built in memory for tests: parts in the order
/// added, then the closing boundary.
struct UploadBody {
  static let boundary = "buildtrail-test-7f3a9c"
  static let contentType = "multipart/form-data; boundary=\(boundary)"
  private(set) var data = Data()

  /// A body of `upload`'s metadata, the kept input contents of `inputs`, and `log`.
  init(_ upload: UploadMetadata, inputs: [InputFact] = [], log: Data) throws {
    add(name: "metadata", filename: nil, type: "application/json", try upload.encoded())
    for input in inputs { add(input: input.content ?? Data(), as: input.sha256) }
    add(log: log)
  }

  init() {}

  mutating func add(name: String, filename: String?, type: String, _ content: Data) {
    var head = "--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"\(name)\""
    if let filename { head += "; filename=\"\(filename)\"" }
    head += "\r\nContent-Type: \(type)\r\n\r\n"
    data.append(Data(head.utf8))
    data.append(content)
    data.append(Data("\r\n".utf8))
  }

  mutating func add(input content: Data, as sha256: String) {
    add(name: "input", filename: sha256, type: "application/octet-stream", content)
  }

  mutating func add(log: Data) {
    add(name: "log", filename: "build.log", type: "application/octet-stream", log)
  }

  /// The body with its closing boundary.
  var closed: Data { data + Data("--\(Self.boundary)--\r\n".utf8) }

  /// `data` compressed by the system's gzip.
  static func gzip(_ data: Data) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "gzip -c"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    final class Box: @unchecked Sendable { var data = Data() }
    let box = Box()
    let reader = output.fileHandleForReading
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      box.data = reader.readDataToEndOfFile()
      done.signal()
    }
    input.fileHandleForWriting.write(data)
    try input.fileHandleForWriting.close()
    done.wait()
    process.waitUntilExit()
    return box.data
  }
}

extension ServerProcess {
  /// POSTs `body` to `path` on a connection of its own and reads the response.
  func post(
    _ path: String = "/api/v1/builds", body: Data, contentType: String = UploadBody.contentType,
    token: String? = nil, headers: [(String, String)] = []
  ) throws -> Reply {
    let connection = try RawHTTPConnection(port: port)
    var all = [("Content-Type", contentType), ("Content-Length", String(body.count))] + headers
    if let token { all.append(("Authorization", "Bearer \(token)")) }
    try connection.send(RawHTTPConnection.head("POST", path, headers: all) + body)
    return try connection.response()
  }

  /// `POST /api/v1/inputs/missing` for `hashes`: the ones the server says it lacks.
  func missingInputs(_ hashes: [String], token: String? = nil) throws -> [String] {
    let reply = try post(
      "/api/v1/inputs/missing", body: try JSONEncoder().encode(["sha256": hashes]),
      contentType: "application/json", token: token)
    try #require(reply.status == 200, "\(reply.body)")
    let json = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
    return try #require(json?["missing"] as? [String])
  }
}
