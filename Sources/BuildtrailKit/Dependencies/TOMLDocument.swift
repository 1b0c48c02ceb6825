import Foundation
import TOMLKit

extension DependencyFile {
  /// A TOML dependency file read with TOMLKit (toml++): parse errors become `DependencyFileError`s
  /// naming the line, and `[[key]]` headers are located so that errors about one table can name it.
  ///
  /// TOMLKit 0.6.0 never frees a parsed document: each read keeps its tree until the process ends,
  /// which `DependencyFile.maximumBytes` bounds per read.
  struct TOMLDocument {
    /// The document's top-level table.
    let root: TOMLTable
    private let text: Text

    /// Parses `text`; throws `DependencyFileError` with toml++'s reason and line.
    init(_ text: Text) throws {
      self.text = text
      do {
        root = try TOMLTable(string: text.string)
      } catch let error as TOMLParseError {
        let reason = error.description.split(whereSeparator: \.isNewline).first ?? ""
        throw text.error(
          "not valid TOML: " + String(reason.prefix(200)),
          line: error.source.begin.line > 0 ? error.source.begin.line : nil)
      }
    }

    /// The 1-based line of each `[[key]]` header, in order; nil when their count is not `count`
    /// (the array was written inline, or a header sits inside a multi-line string).
    func arrayHeaderLines(_ key: String, count: Int) -> [Int]? {
      let headers: Set<String> = ["[[\(key)]]", "[[\"\(key)\"]]", "[['\(key)']]"]
      var lines: [Int] = []
      for (offset, line) in text.lines.enumerated() where line.utf8.contains(0x5B) {
        let code = line.prefix(while: { $0 != "#" }).filter { $0 != " " && $0 != "\t" }
        if headers.contains(code) { lines.append(offset + 1) }
      }
      return lines.count == count ? lines : nil
    }
  }
}

extension TOMLValueConvertible {
  /// The value at `keys`, descending through tables; nil when a step is missing or not a table.
  func value(at keys: String...) -> TOMLValueConvertible? {
    var current: TOMLValueConvertible? = self
    for key in keys { current = current?.table?[key] }
    return current
  }
}
