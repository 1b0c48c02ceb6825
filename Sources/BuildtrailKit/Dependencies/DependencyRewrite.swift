import Foundation

/// How a dependency file changed when its packages and versions did not: the words behind
/// "requirements.txt changed, but no package changed (reordered)".
public enum DependencyRewrite {
  /// What changed between `old` and `new`, two versions of one file that state the same packages:
  /// any of `reordered` (the same lines in another order), `regrouped` (blank lines moved),
  /// `comments`, `hashes` (only lines or options holding hashes), else `rewritten` (formatting or
  /// other fields). Empty when the texts are the same.
  public static func describe(old: Data, new: Data) -> [String] {
    let before = Shape(String(decoding: old, as: UTF8.self))
    let after = Shape(String(decoding: new, as: UTF8.self))
    var words: [String] = []
    if before.statements != after.statements {
      if before.statements.sorted() == after.statements.sorted() {
        words.append("reordered")
      } else {
        let removed = difference(before.statements, after.statements)
        let added = difference(after.statements, before.statements)
        if (removed + added).allSatisfy(isHashLine) {
          words.append("hashes")
        } else {
          words.append("rewritten")
        }
      }
    } else if before.blankLines != after.blankLines {
      words.append("regrouped")
    }
    if before.comments != after.comments { words.append("comments") }
    if before.hashes != after.hashes, !words.contains("hashes") { words.append("hashes") }
    if words.isEmpty, old != new { words.append("rewritten") }
    return words
  }

  /// A file's lines sorted into statements, comments, hash options and where its blank lines are.
  private struct Shape {
    var statements: [String] = []
    var comments: [String] = []
    var hashes: [String] = []
    /// The statement count before each blank line: where the groups break.
    var blankLines: [Int] = []

    init(_ text: String) {
      var logical = ""
      for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
        if let hash = commentStart(line) {
          comments.append(line[hash...].trimmingCharacters(in: .whitespaces))
          line = String(line[..<hash])
        }
        if line.hasSuffix("\\") {
          logical += line.dropLast() + " "
          continue
        }
        logical += line
        defer { logical = "" }
        var words: [String] = []
        for word in logical.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
          if word.hasPrefix("--hash=") {
            hashes.append(String(word))
          } else {
            words.append(String(word))
          }
        }
        if words.isEmpty {
          if logical.trimmingCharacters(in: .whitespaces).isEmpty,
            raw.trimmingCharacters(in: .whitespaces).isEmpty
          {
            blankLines.append(statements.count)
          }
        } else {
          statements.append(words.joined(separator: " "))
        }
      }
      while blankLines.last == statements.count { blankLines.removeLast() }
      blankLines = blankLines.reduce(into: []) { kept, n in
        if kept.last != n, n > 0 { kept.append(n) }
      }
    }

    /// `#` at the line's start or after a blank starts a comment (TOML, YAML, requirements).
    private func commentStart(_ line: String) -> String.Index? {
      var previous: Character = " "
      for index in line.indices {
        if line[index] == "#", previous == " " || previous == "\t" { return index }
        if line[index] == "\"" { return nil }
        previous = line[index]
      }
      return nil
    }
  }

  private static func isHashLine(_ line: String) -> Bool {
    let lower = line.lowercased()
    return ["hash", "sha256", "sha512", "integrity", "checksum"].contains { lower.contains($0) }
  }

  /// The elements of `a` not matched one for one in `b`.
  private static func difference(_ a: [String], _ b: [String]) -> [String] {
    var remaining = Dictionary(b.map { ($0, 1) }, uniquingKeysWith: +)
    return a.filter { line in
      if let n = remaining[line], n > 0 {
        remaining[line] = n - 1
        return false
      }
      return true
    }
  }
}
