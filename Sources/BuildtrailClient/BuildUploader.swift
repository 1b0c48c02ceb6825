import BuildtrailKit
import Foundation
import NIOCore

/// Sends builds to `POST /api/v1/builds`: asks which input contents the server lacks, sends the
/// metadata, those contents and the log, and retries transient failures with a growing pause.
/// Retrying never duplicates a build: the server records a log (by SHA-256 and position) once.
public struct BuildUploader: Sendable {
  /// The server and token.
  public var client: HistoryClient
  /// The pauses before each retry of a transient failure, in seconds.
  public var retryDelays: [Double] = [0.5, 1, 2]
  /// How long one upload may take.
  public var uploadTimeout: TimeAmount = .minutes(30)

  /// An uploader to `client`'s server.
  public init(client: HistoryClient) {
    self.client = client
  }

  /// Sends the log at `logPath` with `upload` and the kept inputs' `contents`; what the server
  /// recorded.
  /// - Throws: ``ClientError``: transient ones only after the last retry.
  public func upload(logAt logPath: String, upload: UploadMetadata, contents: [String: Data])
    async throws -> RecordSummary
  {
    var attempt = 0
    while true {
      do {
        return try await once(logPath, upload, contents)
      } catch let error as ClientError where error.isTransient && attempt < retryDelays.count {
        try await Task.sleep(nanoseconds: UInt64(retryDelays[attempt] * 1e9))
        attempt += 1
      }
    }
  }

  private func once(_ logPath: String, _ upload: UploadMetadata, _ contents: [String: Data])
    async throws -> RecordSummary
  {
    let kept = upload.keptInputs.keys.sorted()
    let missing = kept.isEmpty ? [] : try await missingInputs(kept)
    var response = try await post(logPath, upload, contents.filter { missing.contains($0.key) })
    if response.status == 400, let asked = Self.missingInputs(in: response.body), !asked.isEmpty {
      response = try await post(logPath, upload, contents.filter { asked.contains($0.key) })
    }
    let url = client.address.url("/api/v1/builds")
    guard response.status == 200 || response.status == 201 else {
      throw ClientError.status(response.status, message: response.errorMessage, url: url)
    }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    do {
      return try decoder.decode(RecordSummary.self, from: response.body)
    } catch {
      throw ClientError.badAnswer(url, reason: "not a record summary")
    }
  }

  private func post(_ logPath: String, _ upload: UploadMetadata, _ inputs: [String: Data])
    async throws -> ClientResponse
  {
    let body: UploadBody
    do {
      body = try UploadBody(upload: upload, inputs: inputs, logPath: logPath)
    } catch let error as ClientError {
      throw error
    } catch {
      throw ClientError.unreadableLog(logPath, reason: (error as NSError).localizedDescription)
    }
    return try await client.send(
      .POST, "/api/v1/builds", headers: [("Content-Type", body.contentType)],
      body: body.requestBody(), timeout: uploadTimeout)
  }

  private func missingInputs(_ sha256s: [String]) async throws -> Set<String> {
    let request = try JSONEncoder().encode(["sha256": sha256s])
    let response = try await client.send(
      .POST, "/api/v1/inputs/missing", headers: [("Content-Type", "application/json")],
      body: .bytes(ByteBuffer(bytes: request)), timeout: client.queryTimeout)
    let url = client.address.url("/api/v1/inputs/missing")
    guard response.status == 200 else {
      throw ClientError.status(response.status, message: response.errorMessage, url: url)
    }
    struct Missing: Decodable { var missing: [String] }
    guard let decoded = try? JSONDecoder().decode(Missing.self, from: response.body) else {
      throw ClientError.badAnswer(url, reason: "not a list of missing inputs")
    }
    return Set(decoded.missing)
  }

  /// The `missingInputs` of a 400 answer (upload protocol v1).
  static func missingInputs(in body: Data) -> Set<String>? {
    struct Refusal: Decodable { var missingInputs: [String]? }
    return (try? JSONDecoder().decode(Refusal.self, from: body))?.missingInputs.map(Set.init)
  }
}
