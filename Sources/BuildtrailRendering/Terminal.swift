import BuildtrailKit
import Foundation

/// Where output goes and how it may look there: colour only on a TTY without `NO_COLOR`, width from the terminal.
public struct Terminal: Sendable {
  /// Whether output may carry ANSI colour codes.
  public var useColor: Bool
  /// Columns a line may take.
  public var width: Int

  /// A terminal `width` columns wide, with colour when `useColor`.
  public init(useColor: Bool, width: Int) {
    self.useColor = useColor
    self.width = width
  }

  /// The terminal behind standard output, judged from `isatty`, `NO_COLOR`, `TERM` and `COLUMNS`.
  public static func standardOutput(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> Terminal {
    let isTTY = isatty(STDOUT_FILENO) == 1
    let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    let dumb = environment["TERM"] == "dumb"
    var width = 100
    var size = winsize()
    if isTTY, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
      width = Int(size.ws_col)
    } else if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 20 {
      width = columns
    }
    return Terminal(useColor: isTTY && !noColor && !dumb, width: width)
  }

  /// Plain output for files, pipes and tests.
  public static let plain = Terminal(useColor: false, width: 100)

  enum Style: String {
    case red = "31"
    case green = "32"
    case yellow = "33"
    case blue = "34"
    case dim = "2"
    case bold = "1"
    case cyan = "36"
  }

  /// `text`, made safe with ``TerminalText/sanitized(_:)``, in `style` when colour is on.
  func paint(_ text: String, _ style: Style) -> String {
    let safe = TerminalText.sanitized(text)
    return useColor ? "\u{1B}[\(style.rawValue)m\(safe)\u{1B}[0m" : safe
  }
}

/// One output line: `text` made safe with ``TerminalText/sanitized(_:)``, then a newline.
func safeLine(_ text: String) -> String {
  TerminalText.sanitized(text) + "\n"
}

/// `0.4s`, `12.3s`, `4m12s`, `1h02m`; `?` for a value that is not a duration (infinite, NaN, negative, over 10^12 s).
func formatSeconds(_ seconds: Double?) -> String {
  guard let s = seconds else { return "-" }
  guard s.isFinite, s >= 0, s < 1e12 else { return "?" }
  if s < 60 { return String(format: "%.1fs", s) }
  let total = Int(s.rounded())
  if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
  return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60)
}

/// `2.3 MB`, decimal units as Docker prints them.
func formatBytes(_ bytes: Int64?) -> String {
  guard let b = bytes else { return "-" }
  let value = Double(b)
  if value < 1000 { return "\(b) B" }
  if value < 1e6 { return String(format: "%.1f kB", value / 1e3) }
  if value < 1e9 { return String(format: "%.1f MB", value / 1e6) }
  return String(format: "%.2f GB", value / 1e9)
}

/// `2025-01-05 18:29` in UTC; `?` for a time before year 1 or after 9999.
func formatWhen(_ date: Date) -> String {
  let seconds = date.timeIntervalSince1970
  guard seconds >= -62_135_596_800, seconds < 253_402_300_800 else { return "?" }
  var t = time_t(seconds)
  var parts = tm()
  gmtime_r(&t, &parts)
  return String(
    format: "%04d-%02d-%02d %02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
    Int(parts.tm_mday),
    Int(parts.tm_hour), Int(parts.tm_min))
}

/// Cuts `text` to `width` characters, ending with `…` when cut.
func truncate(_ text: String, to width: Int) -> String {
  guard width > 0 else { return "" }
  guard text.count > width else { return text }
  return String(text.prefix(max(0, width - 1))) + "…"
}
/// `+35%`, `-4%`; `80%` unsigned; `?%` for a fraction that is infinite, NaN or beyond ±10^12.
func percent(_ fraction: Double, signed: Bool = true) -> String {
  guard fraction.isFinite, abs(fraction) < 1e12 else { return "?%" }
  let value = Int((fraction * 100).rounded())
  return signed ? (value >= 0 ? "+\(value)%" : "\(value)%") : "\(value)%"
}

/// A step name as a terminal shows it (``StepLabel/folded(_:)``).
func compact(_ name: String) -> String {
  StepLabel.folded(name)
}
