import Foundation

extension DependencyFile {
  /// A dependency file's content as checked UTF-8 text, split into lines, with its path for errors.
  struct Text {
    let path: String
    let string: String
    let lines: [Substring]

    /// Nil for empty or whitespace-only data; throws for binary data, invalid UTF-8 and merge-conflict markers.
    init?(data: Data, path: String) throws {
      self.path = path
      var bytes = [UInt8](data)
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
      if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return nil }
      if bytes.contains(0) {
        throw DependencyFileError(
          path: path, line: nil, reason: "binary file (it holds NUL bytes), not a dependency file")
      }
      guard let string = String(validating: bytes, as: UTF8.self) else {
        throw DependencyFileError(path: path, line: nil, reason: "not UTF-8 text")
      }
      self.string = string
      var lines: [Substring] = []
      var start = string.utf8.startIndex
      for index in string.utf8.indices where string.utf8[index] == 0x0A {
        lines.append(Self.withoutCarriageReturn(Substring(string.utf8[start..<index])))
        start = string.utf8.index(after: index)
      }
      lines.append(Self.withoutCarriageReturn(Substring(string.utf8[start...])))
      self.lines = lines
      for (index, line) in lines.enumerated()
      where line.utf8.first == 0x3C || line.utf8.first == 0x3E {
        if line.hasPrefix("<<<<<<< ") || line.hasPrefix(">>>>>>> ") || line == "<<<<<<<"
          || line == ">>>>>>>"
        {
          throw DependencyFileError(
            path: path, line: index + 1,
            reason: "unresolved merge conflict marker `\(line.prefix(40))`")
        }
      }
    }

    private static func withoutCarriageReturn(_ line: Substring) -> Substring {
      line.utf8.last == 0x0D ? line.dropLast() : line
    }

    func error(_ reason: String, line: Int? = nil) -> DependencyFileError {
      DependencyFileError(path: path, line: line, reason: reason)
    }

    /// The top-level JSON object; throws naming the line when Foundation reports where parsing stopped.
    func jsonObject() throws -> [String: Any] {
      let value: Any
      do {
        value = try JSONSerialization.jsonObject(with: Data(string.utf8))
      } catch {
        let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        let reason = detail.map {
          "not valid JSON: " + $0.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        }
        throw self.error(reason ?? "not valid JSON", line: detail.flatMap(jsonErrorLine))
      }
      guard let object = value as? [String: Any] else {
        throw self.error("not a JSON object at the top level")
      }
      return object
    }

    /// The line in Foundation's `around line N` or `around character N` message.
    private func jsonErrorLine(_ detail: String) -> Int? {
      func number(after marker: String) -> Int? {
        guard let range = detail.range(of: marker) else { return nil }
        return Int(detail[range.upperBound...].prefix(while: \.isNumber))
      }
      if let line = number(after: "line ") { return line }
      guard let offset = number(after: "character ") else { return nil }
      return string.utf8.prefix(offset).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    }
  }
}

extension DependencyFile {
  /// The text without leading and trailing spaces and tabs.
  static func trim<S: StringProtocol>(_ text: S) -> Substring {
    var slice = Substring(text)
    while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
    return slice
  }

  /// The count of leading spaces.
  static func indent<S: StringProtocol>(of line: S) -> Int {
    line.prefix(while: { $0 == " " }).count
  }

  /// The text without one pair of surrounding single or double quotes.
  static func unquote<S: StringProtocol>(_ text: S) -> Substring {
    let slice = Substring(text)
    if slice.count >= 2, let first = slice.first, first == "\"" || first == "'", slice.last == first
    {
      return slice.dropFirst().dropLast()
    }
    return slice
  }
}
