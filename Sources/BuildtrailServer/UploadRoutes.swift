import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation
import Hummingbird

/// The upload routes of protocol v1: `POST /api/v1/inputs/missing` tells a runner which input
/// contents to send, `POST /api/v1/builds` receives one build log with its metadata and records it as
/// `record` does, through the service's one writer.
struct UploadRoutes: Sendable {
  var store: BuildStore
  var limits: UploadLimits
  var folder: UploadFolder
  var gate: UploadGate

  static let buildsPath = "/api/v1/builds"
  static let missingPath = "/api/v1/inputs/missing"

  init(store: BuildStore, limits: UploadLimits, folder: UploadFolder) {
    self.store = store
    self.limits = limits
    self.folder = folder
    self.gate = UploadGate(capacity: limits.maxConcurrentUploads)
  }

  /// The question `POST /api/v1/inputs/missing` reads.
  private struct MissingQuery: Decodable {
    var sha256: [String]
  }

  /// `{"sha256": [...]}` → 200 `{"missing": [...]}`: those whose content the history does not hold.
  func missing(_ request: Request) async -> Response {
    do {
      let body = try await Self.collect(request.body, upTo: 256 << 10)
      guard let query = try? JSONDecoder().decode(MissingQuery.self, from: body) else {
        throw APIError(.badRequest, "the body is not {\"sha256\": [\"<64 lowercase hex>\", …]}")
      }
      guard query.sha256.count <= UploadLimits.maxMissingQuery else {
        throw APIError(
          .badRequest,
          "the body asks about \(query.sha256.count) hashes; ask about at most \(UploadLimits.maxMissingQuery) at once"
        )
      }
      if let bad = query.sha256.first(where: { !Self.isSHA256($0) }) {
        throw APIError(
          .badRequest,
          "\(String(bad.prefix(80)).debugDescription) is not a SHA-256 in lowercase hex")
      }
      let store = self.store
      let held = try await Blocking.run { try store.heldInputContents(query.sha256) }
      var seen = Set<String>()
      let missing = query.sha256.filter { !held.contains($0) && seen.insert($0).inserted }
      return APIResponse.json(JSONOutput.encode(["missing": missing]))
    } catch {
      return APIResponse.error(APIError(error))
    }
  }

  /// One build upload: refused before its body is read when its type, encoding or announced size is
  /// wrong or every upload place is taken; else received into a folder of its own (removed however
  /// the request ends), recorded, and answered with what `record --format json` prints: 201 when a
  /// build is new, 200 when all were recorded before.
  func builds(_ request: Request) async -> Response {
    do {
      let (boundary, gzip) = try Self.bodyFormat(request.headers)
      if let length = request.headers[.contentLength].flatMap({ Int64($0) }),
        length > limits.maxUploadBytes
      {
        throw UploadBodyReader.tooLarge(limits.maxUploadBytes)
      }
      guard gate.enter() else {
        var response = APIResponse.error(
          APIError(
            .serviceUnavailable,
            "\(gate.capacity) uploads are in progress, the most this server takes at once (serve --max-concurrent-uploads); try again shortly"
          ))
        response.headers[.retryAfter] = String(UploadLimits.retryAfterSeconds)
        return response
      }
      defer { gate.leave() }
      let here = try folder.makeUploadFolder()
      defer { folder.remove(here) }
      let received = try await UploadBodyReader(
        boundary: boundary, folder: here, maxBytes: limits.maxUploadBytes
      ).read(request.body, gzip: gzip)
      let store = self.store
      let summary = try await Blocking.write {
        var inputs: [String: Data] = [:]
        for (sha256, path) in received.inputPaths {
          inputs[sha256] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        return try UploadRecorder(store: store).record(
          logAt: received.logPath, upload: received.metadata, inputs: inputs)
      }
      return APIResponse.json(
        RecordReportRenderer(format: .json, terminal: .plain).render(summary),
        status: summary.builds.contains(where: \.new) ? .created : .ok)
    } catch {
      return APIResponse.error(Self.uploadError(error))
    }
  }

  /// The multipart boundary and whether the body is gzip, from the request's headers.
  /// - Throws: ``APIError`` 415 for another type or encoding, 400 for a missing boundary.
  static func bodyFormat(_ headers: HTTPFields) throws -> (boundary: String, gzip: Bool) {
    let type = HeaderParameters(headers[.contentType] ?? "")
    guard type.value == "multipart/form-data" else {
      throw APIError(
        .unsupportedMediaType,
        "an upload is multipart/form-data (metadata, input and log parts), not \(type.value.isEmpty ? "a body without Content-Type" : String(type.value.prefix(80)))"
      )
    }
    guard let boundary = type.parameters["boundary"], (1...70).contains(boundary.utf8.count) else {
      throw APIError(
        .badRequest, "the Content-Type has no boundary of 1 to 70 characters; add boundary=…")
    }
    let encodings = headers[values: .contentEncoding].flatMap { $0.split(separator: ",") }
      .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { $0 != "identity" }
    switch encodings {
    case []: return (boundary, false)
    case ["gzip"], ["x-gzip"]: return (boundary, true)
    default:
      throw APIError(
        .unsupportedMediaType,
        "Content-Encoding \(String(encodings.joined(separator: ", ").prefix(80))) is not taken; send the body as it is or gzip"
      )
    }
  }

  /// What an upload's failure answers: 422 for a log that holds no build to record (record's own
  /// message), 400 with the inputs to send, else as the read routes answer.
  static func uploadError(_ error: any Error) -> APIError {
    switch error {
    case UploadError.missingInputs(let hashes):
      var answer = APIError(.badRequest, UploadError.missingInputs(hashes).errorDescription ?? "")
      answer.missingInputs = hashes
      return answer
    case let error as UploadError:
      return APIError(.badRequest, error.errorDescription ?? "\(error)")
    case BuildtrailError.emptyLog, BuildtrailError.binaryLog, BuildtrailError.noBuildFound,
      BuildtrailError.invalidArgument:
      return APIError(.unprocessableContent, APIError(error).message)
    default:
      return APIError(error)
    }
  }

  static func isSHA256(_ text: String) -> Bool {
    text.utf8.count == 64
      && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
  }

  /// The whole of a small body.
  /// - Throws: ``APIError`` 413 past `limit` bytes.
  private static func collect(_ body: RequestBody, upTo limit: Int) async throws -> Data {
    var data = Data()
    for try await chunk in body {
      guard data.count + chunk.readableBytes <= limit else {
        throw APIError(.contentTooLarge, "the body is larger than \(limit >> 10) KiB")
      }
      data.append(contentsOf: chunk.readableBytesView)
    }
    return data
  }
}
