import BuildLog
import Foundation

/// A test-only stand-in for the dispatcher: feeds every line of a log to one reader, cleaned as the caller would.
enum ReaderTestDriver {
  /// This tests directory (`<repo>/Tests/BuildLogTests`).
  static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

  /// `<repo>/../shared/corpus`.
  static var corpusDirectory: URL {
    testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
      .appendingPathComponent("shared/corpus")
  }

  static var fixturesDirectory: URL { testsDirectory.appendingPathComponent("Fixtures") }

  /// Splits text into lines, removing a trailing `\r` and ANSI CSI escapes from each.
  static func lines(_ text: String) -> [String] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { raw in
      var line = Substring(raw)
      if line.hasSuffix("\r") { line = line.dropLast() }
      return stripANSI(line)
    }
    if lines.last == "" { lines.removeLast() }
    return lines
  }

  /// Removes CSI sequences `ESC [ params intermediates final`.
  static func stripANSI(_ line: Substring) -> String {
    guard line.unicodeScalars.contains("\u{1B}") else { return String(line) }
    var out = String.UnicodeScalarView()
    var scalars = line.unicodeScalars[...]
    while let scalar = scalars.popFirst() {
      guard scalar == "\u{1B}", scalars.first == "[" else {
        out.append(scalar)
        continue
      }
      scalars.removeFirst()
      while let next = scalars.first, (0x30...0x3F).contains(next.value) { scalars.removeFirst() }
      while let next = scalars.first, (0x20...0x2F).contains(next.value) { scalars.removeFirst() }
      if let next = scalars.first, (0x40...0x7E).contains(next.value) { scalars.removeFirst() }
    }
    return String(out)
  }

  /// Feeds `lines` (numbered from 1) to `reader`, returning which were accepted, and the builds.
  @discardableResult
  static func run(_ reader: any LineReader, lines: [String], timestamps: [Date?]? = nil) -> (
    builds: [ParsedBuild], accepted: [Bool]
  ) {
    var accepted: [Bool] = []
    for (index, line) in lines.enumerated() {
      let ok = reader.read(line, lineNumber: index + 1, timestamp: timestamps?[index])
      if !ok { _ = reader.countUnrecognized(lineNumber: index + 1) }
      accepted.append(ok)
    }
    return (reader.finish(), accepted)
  }

  static func run(_ reader: any LineReader, text: String) -> [ParsedBuild] {
    run(reader, lines: lines(text)).builds
  }

  static func read(_ url: URL) throws -> String {
    String(decoding: try Data(contentsOf: url), as: UTF8.self)
  }

  /// The corpus log whose name starts with `prefix` (`014`), and its `.json` `expect` object.
  static func corpus(_ prefix: String) throws -> (log: String, expect: [String: Any]) {
    let names = try FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path)
    guard let name = names.first(where: { $0.hasPrefix(prefix + "-") && $0.hasSuffix(".log") })
    else {
      throw CocoaError(.fileNoSuchFile)
    }
    let log = try read(corpusDirectory.appendingPathComponent(name))
    let json = try Data(
      contentsOf: corpusDirectory.appendingPathComponent(String(name.dropLast(4)) + ".json"))
    guard let object = try JSONSerialization.jsonObject(with: json) as? [String: Any],
      let expect = object["expect"] as? [String: Any]
    else { throw CocoaError(.fileReadCorruptFile) }
    return (log, expect)
  }

  static func fixture(_ name: String) throws -> String {
    try read(fixturesDirectory.appendingPathComponent(name))
  }
}
