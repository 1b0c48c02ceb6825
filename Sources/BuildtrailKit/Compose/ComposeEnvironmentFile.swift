import Foundation

/// A compose `.env` file: `NAME=value` lines, `export NAME=value`, `#` comments, values in single
/// quotes (literal) or double quotes (`\n`, `\"`, `\\` escapes), an unquoted value ending at ` #`.
/// Values are taken as written: `${…}` inside a `.env` value is not expanded.
public enum ComposeEnvironmentFile {
  /// The largest `.env` read (1 MiB).
  public static let maximumBytes = 1 << 20

  /// The variables of the file at `path`; empty when there is none.
  public static func read(fileAt path: String) throws -> [String: String] {
    guard RegularFile.exists(path) else { return [:] }
    guard RegularFile.isRegular(path) else {
      throw ComposeError.invalid(path, reason: "it is not a regular file")
    }
    let data = try RegularFile.read(path, limit: maximumBytes + 1)
    if data.count > maximumBytes { throw ComposeError.tooLarge(path, bytes: data.count) }
    return parse(String(decoding: data, as: UTF8.self))
  }

  /// The variables `text` sets, the last line for a name winning.
  public static func parse(_ text: String) -> [String: String] {
    var variables: [String: String] = [:]
    for raw in text.split(whereSeparator: \.isNewline) {
      var line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") { continue }
      if line.hasPrefix("export ") {
        line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces)
      }
      guard let equals = line.firstIndex(of: "=") else { continue }
      let name = line[..<equals].trimmingCharacters(in: .whitespaces)
      guard !name.isEmpty, !name.contains(" ") else { continue }
      variables[name] = value(
        String(line[line.index(after: equals)...]).trimmingCharacters(in: .whitespaces))
    }
    return variables
  }

  private static func value(_ text: String) -> String {
    if text.hasPrefix("'"), let close = text.dropFirst().firstIndex(of: "'") {
      return String(text[text.index(after: text.startIndex)..<close])
    }
    if text.hasPrefix("\"") {
      var result = ""
      var escaped = false
      for c in text.dropFirst() {
        if escaped {
          switch c {
          case "n": result.append("\n")
          case "t": result.append("\t")
          default: result.append(c)
          }
          escaped = false
        } else if c == "\\" {
          escaped = true
        } else if c == "\"" {
          return result
        } else {
          result.append(c)
        }
      }
      return result
    }
    if let comment = text.range(of: " #") {
      return String(text[..<comment.lowerBound]).trimmingCharacters(in: .whitespaces)
    }
    return text
  }
}
