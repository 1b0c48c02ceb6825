import Foundation
import Testing

/// `Scripts/validate-openapi.py`: validates real requests and answers of `serve` against the OpenAPI
/// document with Python's `jsonschema` (JSON Schema 2020-12, as OpenAPI 3.1 uses).
struct OpenAPIValidator {
  static let script = CLI.repositoryRoot.appendingPathComponent("Scripts/validate-openapi.py")
  static let python = URL(fileURLWithPath: "/usr/bin/env")

  /// Whether `python3` with the `jsonschema` module is here (`.ci/run` installs it).
  static let available: Bool = {
    guard let r = try? CLI.runExecutable(python, ["python3", "-c", "import jsonschema"]) else {
      return false
    }
    return r.status == 0
  }()

  /// One request or answer to validate.
  struct Case: Encodable {
    var kind = "response"
    var method = "get"
    var path: String
    var status: Int?
    var contentType: String?
    var mediaType: String?
    var part: String?
    var body: String

    enum CodingKeys: String, CodingKey {
      case kind, method, path, status, body, part
      case contentType = "content_type"
      case mediaType = "media_type"
    }

    /// An answer of the server to `method path`.
    init(_ method: String = "get", _ path: String, _ reply: ServerProcess.Reply) {
      self.method = method
      self.path = path
      status = reply.status
      contentType = reply.contentType
      body = reply.body
    }

    /// A request body (or one part of a multipart body) sent to `method path`.
    init(request body: String, _ method: String, _ path: String, type: String, part: String?) {
      kind = "request"
      self.method = method
      self.path = path
      mediaType = type
      self.part = part
      self.body = body
    }
  }

  /// The script's verdict on `cases` against the document at `document`: its exit status and output.
  static func validate(_ cases: [Case], document: URL) throws -> CLI.Result {
    let lines = try cases.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
    return try CLI.runExecutable(
      python, ["python3", script.path, document.path],
      stdin: Data(lines.joined(separator: "\n").utf8))
  }
}
