import BuildStore
import BuildtrailKit
import Foundation

/// How a query command prints: a human table, or JSON / CSV for scripts.
public enum OutputFormat: String, CaseIterable, Sendable {
  case table, json, csv
}

/// Encodes the documented JSON formats: snake_case keys, sorted, UTC timestamps, unknown values omitted.
public enum JSONOutput {
  /// `value` as the documented JSON, pretty-printed, with a final newline.
  public static func encode<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(UTCTimestamp.string(from: date))
    }
    guard let data = try? encoder.encode(value) else { return "{}\n" }
    return escapingRawControls(String(decoding: data, as: UTF8.self)) + "\n"
  }

  /// JSONEncoder escapes C0 controls but leaves DEL, C1 controls and bidi overrides raw; escape them
  /// too (`\u009b`), so JSON printed on a terminal cannot drive it. The decoded text is unchanged.
  static func escapingRawControls(_ json: String) -> String {
    guard !TerminalText.isSafe(json.replacingOccurrences(of: "\n", with: "")) else { return json }
    var out = String.UnicodeScalarView()
    for scalar in json.unicodeScalars {
      if scalar != "\n", !TerminalText.isSafe(String(scalar)) {
        let hex = String(scalar.value, radix: 16)
        out.append(
          contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }
}
