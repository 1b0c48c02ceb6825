import BuildStore
import Foundation

/// What a runner sends with a log to `POST /api/v1/builds`, the `metadata` part: what only the
/// machine that ran the build can know. Input contents travel apart, once each, by SHA-256.
public struct UploadMetadata: Sendable, Codable, Equatable {
  /// The version of this document this build of buildtrail writes.
  public static let currentVersion = 1

  /// The document's version; a server refuses versions it does not know.
  public var version: Int
  /// The log's name on the runner (its path as given to `record`), for messages; nil for standard
  /// input and wrapped builds.
  public var logName: String?
  /// When the runner recorded the log (a spooled upload keeps the time it was made).
  public var recordedAt: Date
  /// The wrapped command's exit code, for `record --`.
  public var exitCode: Int32?
  /// When the wrapped command started, for `record --`.
  public var startedAt: Date?
  /// When the wrapped command ended, for `record --`.
  public var endedAt: Date?
  /// Git, CI, labels, target, context, inputs (without contents) and the rest `record` gathers.
  public var metadata: RecordMetadata

  /// An upload document of the current version.
  public init(
    logName: String?, recordedAt: Date, exitCode: Int32? = nil, startedAt: Date? = nil,
    endedAt: Date? = nil, metadata: RecordMetadata
  ) {
    self.version = Self.currentVersion
    self.logName = logName
    self.recordedAt = recordedAt
    self.exitCode = exitCode
    self.startedAt = startedAt
    self.endedAt = endedAt
    self.metadata = metadata
  }

  /// Every input whose content was kept, of the builds and of each compose service, by SHA-256.
  public var keptInputs: [String: InputFact] {
    var found: [String: InputFact] = [:]
    for input in ([metadata] + metadata.services.values).flatMap(\.inputs) where input.contentKept {
      found[input.sha256] = found[input.sha256] ?? input
    }
    return found
  }

  /// The document as JSON: camelCase keys, times in RFC 3339 UTC with milliseconds.
  public func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(Self.timestamp(date))
    }
    return try encoder.encode(self)
  }

  /// Reads a document ``encoded()`` wrote.
  /// - Throws: `DecodingError` when the JSON is not such a document.
  public static func decode(_ data: Data) throws -> UploadMetadata {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
      let container = try decoder.singleValueContainer()
      let text = try container.decode(String.self)
      guard let date = date(text) else {
        throw DecodingError.dataCorruptedError(
          in: container, debugDescription: "not an RFC 3339 time: \(text)")
      }
      return date
    }
    return try decoder.decode(UploadMetadata.self, from: data)
  }

  static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }

  static func date(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)
  }
}
