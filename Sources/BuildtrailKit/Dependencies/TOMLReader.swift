import Foundation

extension DependencyFile {
  /// A TOML value: enough of TOML 1.0 to read lockfiles and pyproject.toml.
  indirect enum TOMLValue: Equatable {
    case string(String)
    /// Integers, floats, booleans and dates, as written.
    case scalar(String)
    case array([TOMLValue])
    /// A table with the line its header (or first key) is on.
    case table([String: TOMLValue], line: Int)

    subscript(key: String) -> TOMLValue? {
      guard case .table(let entries, _) = self else { return nil }
      return entries[key]
    }

    func value(at keys: [String]) -> TOMLValue? {
      keys.reduce(Optional(self)) { $0?[$1] }
    }

    var string: String? {
      guard case .string(let text) = self else { return nil }
      return text
    }

    var array: [TOMLValue]? {
      guard case .array(let items) = self else { return nil }
      return items
    }

    var entries: [String: TOMLValue]? {
      guard case .table(let entries, _) = self else { return nil }
      return entries
    }

    var line: Int? {
      guard case .table(_, let line) = self else { return nil }
      return line
    }
  }

  /// Parses TOML text into a `TOMLValue.table`, throwing `DependencyFileError` with the line of the first problem.
  struct TOMLParser {
    private final class Table {
      var entries: [String: Entry] = [:]
      let line: Int
      init(line: Int) { self.line = line }
    }

    private final class TableArray {
      var tables: [Table] = []
    }

    private enum Entry {
      case value(TOMLValue)
      case table(Table)
      case tables(TableArray)
    }

    private let bytes: [UInt8]
    private let path: String
    private var index = 0
    private var line = 1

    init(text: String, path: String) {
      self.bytes = Array(text.utf8)
      self.path = path
    }

    mutating func parse() throws -> TOMLValue {
      let root = Table(line: 1)
      var current = root
      while true {
        skipSpaces()
        guard let byte = peek() else { break }
        switch byte {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
          try skipNewline()
        case UInt8(ascii: "#"):
          skipComment()
        case UInt8(ascii: "["):
          current = try parseHeader(root: root)
        default:
          let keyLine = line
          let keys = try parseKey()
          skipSpaces()
          try expect(UInt8(ascii: "="), "expected `=` after key `\(keys.joined(separator: "."))`")
          skipSpaces()
          let value = try parseValue()
          let table = try descend(from: current, through: keys.dropLast(), line: keyLine)
          try insert(value, key: keys[keys.count - 1], into: table, line: keyLine)
          try expectLineEnd()
        }
      }
      return freeze(root)
    }

    private func fail(_ reason: String, line: Int? = nil) -> DependencyFileError {
      DependencyFileError(path: path, line: line ?? self.line, reason: reason)
    }

    // MARK: Structure

    private mutating func parseHeader(root: Table) throws -> Table {
      let headerLine = line
      index += 1
      let isArray = peek() == UInt8(ascii: "[")
      if isArray { index += 1 }
      skipSpaces()
      let keys = try parseKey()
      skipSpaces()
      let closing = isArray ? "]]" : "]"
      for _ in 0..<(isArray ? 2 : 1) {
        guard peek() == UInt8(ascii: "]") else {
          let header = (isArray ? "[[" : "[") + keys.joined(separator: ".")
          throw fail("unterminated table header `\(header)`: expected `\(closing)`")
        }
        index += 1
      }
      try expectLineEnd()
      let parent = try descend(from: root, through: keys.dropLast(), line: headerLine)
      let last = keys[keys.count - 1]
      switch (parent.entries[last], isArray) {
      case (nil, false):
        let table = Table(line: headerLine)
        parent.entries[last] = .table(table)
        return table
      case (.table(let table), false):
        return table
      case (nil, true):
        let array = TableArray()
        parent.entries[last] = .tables(array)
        return append(to: array, line: headerLine)
      case (.tables(let array), true):
        return append(to: array, line: headerLine)
      default:
        throw fail(
          "`\(keys.joined(separator: "."))` is defined twice with different types", line: headerLine
        )
      }
    }

    private func append(to array: TableArray, line: Int) -> Table {
      let table = Table(line: line)
      array.tables.append(table)
      return table
    }

    private func descend(from start: Table, through keys: ArraySlice<String>, line: Int) throws
      -> Table
    {
      var table = start
      for key in keys {
        switch table.entries[key] {
        case nil:
          let child = Table(line: line)
          table.entries[key] = .table(child)
          table = child
        case .table(let child):
          table = child
        case .tables(let array):
          guard let child = array.tables.last else {
            throw fail("`\(key)` is an empty array of tables", line: line)
          }
          table = child
        case .value:
          throw fail("`\(key)` is a value, not a table", line: line)
        }
      }
      return table
    }

    private func insert(_ value: TOMLValue, key: String, into table: Table, line: Int) throws {
      guard table.entries[key] == nil else { throw fail("duplicate key `\(key)`", line: line) }
      table.entries[key] = .value(value)
    }

    private func freeze(_ table: Table) -> TOMLValue {
      .table(
        table.entries.mapValues { entry in
          switch entry {
          case .value(let value): return value
          case .table(let child): return freeze(child)
          case .tables(let array): return .array(array.tables.map(freeze))
          }
        }, line: table.line)
    }

    // MARK: Keys

    private mutating func parseKey() throws -> [String] {
      var keys: [String] = []
      while true {
        skipSpaces()
        guard let byte = peek() else { throw fail("expected a key, found the end of the file") }
        if byte == UInt8(ascii: "\"") {
          keys.append(try parseBasicString())
        } else if byte == UInt8(ascii: "'") {
          keys.append(try parseLiteralString())
        } else {
          let start = index
          while let byte = peek(), Self.isBareKeyByte(byte) { index += 1 }
          guard index > start else { throw fail("expected a key, found `\(describe(byte))`") }
          keys.append(String(decoding: bytes[start..<index], as: UTF8.self))
        }
        skipSpaces()
        guard peek() == UInt8(ascii: ".") else { return keys }
        index += 1
      }
    }

    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
        || (byte >= 0x61 && byte <= 0x7A)
        || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    // MARK: Values

    private mutating func parseValue() throws -> TOMLValue {
      guard let byte = peek() else { throw fail("expected a value, found the end of the file") }
      switch byte {
      case UInt8(ascii: "\""):
        return .string(
          atTripleQuote(byte) ? try parseMultilineString(literal: false) : try parseBasicString())
      case UInt8(ascii: "'"):
        return .string(
          atTripleQuote(byte) ? try parseMultilineString(literal: true) : try parseLiteralString())
      case UInt8(ascii: "["):
        return try parseArray()
      case UInt8(ascii: "{"):
        return try parseInlineTable()
      default:
        return try parseScalar()
      }
    }

    private mutating func parseArray() throws -> TOMLValue {
      let openLine = line
      index += 1
      var items: [TOMLValue] = []
      while true {
        try skipBlank(unterminated: "unterminated array opened on line \(openLine)")
        if peek() == UInt8(ascii: "]") {
          index += 1
          return .array(items)
        }
        items.append(try parseValue())
        try skipBlank(unterminated: "unterminated array opened on line \(openLine)")
        switch peek() {
        case UInt8(ascii: ","): index += 1
        case UInt8(ascii: "]"):
          index += 1
          return .array(items)
        default:
          throw fail(
            "expected `,` or `]` in the array opened on line \(openLine), found `\(describe(peek()))`"
          )
        }
      }
    }

    private mutating func parseInlineTable() throws -> TOMLValue {
      let openLine = line
      index += 1
      var entries: [String: TOMLValue] = [:]
      while true {
        try skipBlank(unterminated: "unterminated inline table opened on line \(openLine)")
        if peek() == UInt8(ascii: "}") {
          index += 1
          return .table(entries, line: openLine)
        }
        let keys = try parseKey()
        skipSpaces()
        try expect(UInt8(ascii: "="), "expected `=` after key `\(keys.joined(separator: "."))`")
        skipSpaces()
        let value = try parseValue()
        guard Self.insert(value, at: keys[...], into: &entries) else {
          throw fail("duplicate key `\(keys.joined(separator: "."))` in inline table")
        }
        try skipBlank(unterminated: "unterminated inline table opened on line \(openLine)")
        switch peek() {
        case UInt8(ascii: ","): index += 1
        case UInt8(ascii: "}"):
          index += 1
          return .table(entries, line: openLine)
        default:
          throw fail(
            "expected `,` or `}` in the inline table opened on line \(openLine), found `\(describe(peek()))`"
          )
        }
      }
    }

    private static func insert(
      _ value: TOMLValue, at keys: ArraySlice<String>, into entries: inout [String: TOMLValue]
    )
      -> Bool
    {
      guard let key = keys.first else { return false }
      if keys.count == 1 {
        guard entries[key] == nil else { return false }
        entries[key] = value
        return true
      }
      var child: [String: TOMLValue]
      var childLine = 0
      switch entries[key] {
      case nil: child = [:]
      case .table(let existing, let line):
        child = existing
        childLine = line
      default: return false
      }
      guard insert(value, at: keys.dropFirst(), into: &child) else { return false }
      entries[key] = .table(child, line: childLine)
      return true
    }

    private mutating func parseScalar() throws -> TOMLValue {
      let start = index
      while let byte = peek(), Self.isScalarByte(byte) { index += 1 }
      if index - start == 10, peek() == UInt8(ascii: " "), index + 1 < bytes.count,
        Self.isDigit(bytes[index + 1])
      {
        index += 1
        while let byte = peek(), Self.isScalarByte(byte) { index += 1 }
      }
      let token = String(decoding: bytes[start..<index], as: UTF8.self)
      guard let first = token.utf8.first else {
        throw fail("expected a value, found `\(describe(peek()))`")
      }
      let word = token.trimmingCharacters(in: CharacterSet(charactersIn: "+-"))
      guard
        Self.isDigit(first) || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
          || ["true", "false", "inf", "nan"].contains(word)
      else { throw fail("invalid value `\(token)`: strings need quotes") }
      return .scalar(token)
    }

    private static func isScalarByte(_ byte: UInt8) -> Bool {
      isBareKeyByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
        || byte == UInt8(ascii: "+")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    // MARK: Strings

    private mutating func parseLiteralString() throws -> String {
      index += 1
      let start = index
      while let byte = peek(), byte != UInt8(ascii: "'") {
        if byte == UInt8(ascii: "\n") { throw fail("unterminated string") }
        index += 1
      }
      guard peek() != nil else { throw fail("unterminated string") }
      let text = String(decoding: bytes[start..<index], as: UTF8.self)
      index += 1
      return text
    }

    private mutating func parseBasicString() throws -> String {
      index += 1
      var out: [UInt8] = []
      while let byte = peek() {
        switch byte {
        case UInt8(ascii: "\""):
          index += 1
          return String(decoding: out, as: UTF8.self)
        case UInt8(ascii: "\n"):
          throw fail("unterminated string")
        case UInt8(ascii: "\\"):
          try parseEscape(into: &out)
        default:
          out.append(byte)
          index += 1
        }
      }
      throw fail("unterminated string")
    }

    private mutating func parseMultilineString(literal: Bool) throws -> String {
      let openLine = line
      let quote = literal ? UInt8(ascii: "'") : UInt8(ascii: "\"")
      index += 3
      if peek() == UInt8(ascii: "\r") { index += 1 }
      if peek() == UInt8(ascii: "\n") {
        index += 1
        line += 1
      }
      var out: [UInt8] = []
      while let byte = peek() {
        if atTripleQuote(quote) {
          var run = 3
          while index + run < bytes.count, bytes[index + run] == quote, run < 5 { run += 1 }
          out.append(contentsOf: repeatElement(quote, count: run - 3))
          index += run
          return String(decoding: out, as: UTF8.self)
        }
        if byte == UInt8(ascii: "\\"), !literal {
          let next = index + 1 < bytes.count ? bytes[index + 1] : 0
          if next == UInt8(ascii: "\n") || next == UInt8(ascii: "\r") || next == UInt8(ascii: " ")
            || next == UInt8(ascii: "\t")
          {
            index += 1
            while let space = peek(), [0x20, 0x09, 0x0A, 0x0D].contains(space) {
              if space == 0x0A { line += 1 }
              index += 1
            }
            continue
          }
          try parseEscape(into: &out)
          continue
        }
        if byte == UInt8(ascii: "\n") { line += 1 }
        out.append(byte)
        index += 1
      }
      throw fail("unterminated multi-line string opened on line \(openLine)")
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws {
      index += 1
      guard let code = peek() else { throw fail("unterminated string") }
      index += 1
      let simple: [UInt8: UInt8] = [
        UInt8(ascii: "b"): 0x08, UInt8(ascii: "t"): 0x09, UInt8(ascii: "n"): 0x0A,
        UInt8(ascii: "f"): 0x0C,
        UInt8(ascii: "r"): 0x0D, UInt8(ascii: "e"): 0x1B, UInt8(ascii: "\""): 0x22,
        UInt8(ascii: "\\"): 0x5C,
      ]
      if let byte = simple[code] {
        out.append(byte)
        return
      }
      let width = code == UInt8(ascii: "u") ? 4 : code == UInt8(ascii: "U") ? 8 : 0
      guard width > 0, index + width <= bytes.count,
        let value = UInt32(
          String(decoding: bytes[index..<(index + width)], as: UTF8.self), radix: 16),
        let scalar = Unicode.Scalar(value)
      else { throw fail("invalid escape `\\\(describe(code))` in string") }
      index += width
      out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    // MARK: Whitespace

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Whether the next three bytes are `quote`.
    private func atTripleQuote(_ quote: UInt8) -> Bool {
      index + 2 < bytes.count && bytes[index] == quote && bytes[index + 1] == quote
        && bytes[index + 2] == quote
    }

    private func describe(_ byte: UInt8?) -> String {
      guard let byte else { return "end of file" }
      if byte == 0x0A || byte == 0x0D { return "end of line" }
      return String(decoding: [byte], as: UTF8.self)
    }

    private mutating func skipSpaces() {
      while let byte = peek(), byte == 0x20 || byte == 0x09 { index += 1 }
    }

    private mutating func skipComment() {
      while let byte = peek(), byte != 0x0A { index += 1 }
    }

    private mutating func skipNewline() throws {
      if peek() == 0x0D { index += 1 }
      guard peek() == 0x0A else { throw fail("stray carriage return") }
      index += 1
      line += 1
    }

    /// Skips spaces, newlines and comments inside arrays and inline tables.
    private mutating func skipBlank(unterminated: String) throws {
      while let byte = peek() {
        switch byte {
        case 0x20, 0x09, 0x0D: index += 1
        case 0x0A:
          index += 1
          line += 1
        case UInt8(ascii: "#"): skipComment()
        default: return
        }
      }
      throw fail(unterminated)
    }

    private mutating func expect(_ byte: UInt8, _ reason: String) throws {
      guard peek() == byte else { throw fail(reason) }
      index += 1
    }

    private mutating func expectLineEnd() throws {
      skipSpaces()
      if peek() == UInt8(ascii: "#") { skipComment() }
      guard let byte = peek() else { return }
      guard byte == 0x0A || byte == 0x0D else {
        throw fail("unexpected `\(describe(byte))` after value")
      }
      try skipNewline()
    }
  }
}
