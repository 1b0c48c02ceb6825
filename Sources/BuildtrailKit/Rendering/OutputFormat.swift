import BuildStore
import Foundation

/// How a query command prints: a human table, or JSON / CSV for scripts.
public enum OutputFormat: String, CaseIterable, Sendable {
  case table, json, csv
}

/// Encodes the documented JSON formats: snake_case keys, sorted, UTC timestamps, unknown values omitted.
enum JSONOutput {
  static func encode<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(UTCTimestamp.string(from: date))
    }
    guard let data = try? encoder.encode(value) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
