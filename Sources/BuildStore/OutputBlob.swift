import Foundation

/// A build's kept output lines as one blob: a JSON object from step position to its lines joined by
/// newlines, zlib-compressed (codec `zlib`); rows migrated from schema 3 are plain JSON (codec `json`).
struct OutputBlob: Equatable {
  var textByPosition: [Int: String]

  init(textByPosition: [Int: String]) {
    self.textByPosition = textByPosition
  }

  /// The blob of `lines` (position → kept lines), or nil when no step kept any.
  init?(lines: [Int: [String]]) {
    let nonEmpty = lines.filter { !$0.value.isEmpty }
    guard !nonEmpty.isEmpty else { return nil }
    textByPosition = nonEmpty.mapValues { $0.joined(separator: "\n") }
  }

  /// The stored form: codec and bytes.
  func encoded() -> (codec: String, data: Data) {
    var object: [String: String] = [:]
    for (position, text) in textByPosition { object[String(position)] = text }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let json = (try? encoder.encode(object)) ?? Data("{}".utf8)
    return ("zlib", Zlib.compress(json))
  }

  /// Reads a stored blob; nil when it does not decode (a damaged row reads as no output).
  init?(codec: String, data: Data) {
    let json: Data?
    switch codec {
    case "json": json = data
    case "zlib": json = Zlib.decompress(data)
    default: json = nil
    }
    guard let json, let object = try? JSONDecoder().decode([String: String].self, from: json) else {
      return nil
    }
    var result: [Int: String] = [:]
    for (key, text) in object {
      if let position = Int(key) { result[position] = text }
    }
    textByPosition = result
  }

  /// The kept lines of step `position`.
  func lines(at position: Int) -> [String] {
    textByPosition[position].map { $0.components(separatedBy: "\n") } ?? []
  }
}
