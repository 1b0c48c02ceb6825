import Foundation

/// What `record --` was asked and what it saw of the build, kept in a spool's `meta.json` so that
/// the spool is recorded as the build it was, whichever process records it.
struct SpoolMeta: Codable, Equatable {
  /// The request, with only the CI variables (``CIEnvironment/variableNames``) of its environment.
  var request: RecordRequest
  var startedAt: Date
  /// Set when the build has ended, with its exit code.
  var endedAt: Date?
  var exitCode: Int32?

  init(request: RecordRequest, startedAt: Date) {
    self.request = request
    self.request.environment = request.environment.filter {
      CIEnvironment.variableNames.contains($0.key)
    }
    self.startedAt = startedAt
  }

  /// The request again, in `environment` with its CI variables replaced by the build's.
  func request(environment: [String: String]) -> RecordRequest {
    var replayed = request
    replayed.environment = environment.filter { !CIEnvironment.variableNames.contains($0.key) }
    replayed.environment.merge(request.environment) { _, recorded in recorded }
    return replayed
  }

  func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.dateEncodingStrategy = .secondsSince1970
    return try encoder.encode(self)
  }

  static func decode(_ data: Data) throws -> SpoolMeta {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .secondsSince1970
    return try decoder.decode(SpoolMeta.self, from: data)
  }
}
