/// Text from logs, git, labels and input files made safe to print on a terminal.
///
/// Every string that did not come from buildtrail itself goes through ``sanitized(_:)`` before a
/// table or text renderer prints it, so a log cannot write the viewer's clipboard (`ESC]52`), clear
/// the screen (`ESC[2J`), move the cursor or overwrite what was printed. JSON and CSV keep the text
/// as it was recorded, escaped by their own rules.
public enum TerminalText {
  /// `text` with every control character but tab made visible: ESC as `\e` (so `ESC]52;…` prints
  /// as `\e]52;…`), newline as `\n`, carriage return as `\r`, other C0 controls and DEL as `\xHH`,
  /// C1 controls (U+0080–U+009F) and bidirectional overrides as `\uHHHH`. Everything else is kept.
  /// Applying it twice gives the same text as applying it once.
  public static func sanitized(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsEscape) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      guard needsEscape(scalar) else {
        out.append(scalar)
        continue
      }
      out.append(contentsOf: visible(scalar).unicodeScalars)
    }
    return String(out)
  }

  /// Whether `text` holds nothing ``sanitized(_:)`` would change.
  public static func isSafe(_ text: String) -> Bool {
    !text.unicodeScalars.contains(where: needsEscape)
  }

  private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09: return false
    case 0x00...0x1F, 0x7F...0x9F: return true
    case 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
  }

  private static func visible(_ scalar: Unicode.Scalar) -> String {
    switch scalar.value {
    case 0x1B: return "\\e"
    case 0x0A: return "\\n"
    case 0x0D: return "\\r"
    case 0x00...0x1F, 0x7F: return "\\x" + hex(scalar.value, digits: 2)
    default: return "\\u" + hex(scalar.value, digits: 4)
    }
  }

  private static func hex(_ value: UInt32, digits: Int) -> String {
    let text = String(value, radix: 16)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
  }
}
