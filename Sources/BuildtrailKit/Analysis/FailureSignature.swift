import Foundation

/// What a failure looks like across builds: the tool that failed and its decisive message, with the
/// parts that differ from run to run (numbers, paths, hex digests) normalised, so that the same
/// failure in two builds has the same signature.
public struct FailureSignature: Sendable, Equatable, Codable {
  /// The tool the decisive lines come from: `python`, `pip`, `uv`, `npm`, `pnpm`, `yarn`, `apt`,
  /// `rust`, `typescript`, `cmake`, `compiler`, `next`, `webpack`, `docker`, `buildkit` or `shell`.
  public var tool: String
  /// The decisive message as printed (one line, trimmed).
  public var message: String

  /// Creates a signature from a tool and its message as printed.
  public init(tool: String, message: String) {
    self.tool = tool
    self.message = String(message.trimmingCharacters(in: .whitespaces).prefix(Self.messageLimit))
  }

  /// The longest message kept, in characters.
  static let messageLimit = 300

  /// `tool: normalised message`, the text compared across builds.
  public var text: String { "\(tool): \(Self.normalized(message))" }

  /// The message with hex digests as `H` (`sha256:H`), paths as `…/basename`, runs of digits as `N`, and runs of
  /// blanks as one space.
  public static func normalized(_ message: String) -> String {
    let words = message.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { word -> String in
      normalizedWord(String(word))
    }
    return words.joined(separator: " ")
  }

  private static func normalizedWord(_ word: String) -> String {
    var text = word
    if let slash = pathTail(of: text) { text = slash }
    for algorithm in ["sha256:", "sha512:"] where text.contains(algorithm) {
      return text.components(separatedBy: algorithm).map { replaceDigits(replaceHex($0)) }.joined(
        separator: algorithm)
    }
    return replaceDigits(replaceHex(text))
  }

  /// A word holding a path (`/app/x.py`, `./lib/a.ts`, `src/main.rs:3:4`) keeps its leading
  /// punctuation and its last component only; URLs stay.
  private static func pathTail(of word: String) -> String? {
    guard let slash = word.lastIndex(of: "/"), !word.contains("://") else { return nil }
    let start =
      word.firstIndex { $0 == "/" || $0 == "." || $0 == "~" || $0.isLetter || $0.isNumber } ?? slash
    return String(word[..<start]) + "…/" + word[word.index(after: slash)...]
  }

  /// Runs of 7 or more hex digits with both a decimal digit and a letter become `H`.
  private static func replaceHex(_ text: String) -> String {
    var out = ""
    var run = ""
    func flush() {
      if run.count >= 7, run.contains(where: \.isNumber), run.contains(where: \.isLetter) {
        out += "H"
      } else {
        out += run
      }
      run = ""
    }
    for ch in text {
      if ch.isHexDigit && ch.isASCII {
        run.append(ch)
      } else {
        flush()
        out.append(ch)
      }
    }
    flush()
    return out
  }

  private static func replaceDigits(_ text: String) -> String {
    var out = ""
    var inDigits = false
    for ch in text {
      if ch.isASCII && ch.isNumber {
        if !inDigits { out.append("N") }
        inDigits = true
      } else {
        out.append(ch)
        inDigits = false
      }
    }
    return out
  }
}
