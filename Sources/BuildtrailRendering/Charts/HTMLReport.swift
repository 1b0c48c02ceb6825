import BuildtrailKit
import Foundation
import Mustache

/// A self-contained HTML page (inline CSS and SVG, no scripts, no network) for a build history.
/// The markup is in the `Templates/` folder (Mustache, embedded in the binary); this type turns the
/// data into the values the templates show (``HTMLReportPage``).
public enum HTMLReport {
  /// The report as one HTML document: header, duration and cache-hit trends, the latest build's waterfall, and tables
  /// of regressions, slowest steps and builds (newest first).
  ///
  /// Every value reaches the page through a template variable, which escapes it (`&`, `<`, `>`, `"`,
  /// `'`, controls), in text, attributes and SVG tooltips alike; the templates use no unescaped variable.
  /// The output depends on `data` only, so it can be compared with a golden file.
  public static func render(_ data: HTMLReportData) -> String {
    HTMLTemplates.render(page(data), template: "report")
  }

  /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities, and control characters other than tab and
  /// newline replaced by U+FFFD, safe in element text and in quoted attributes.
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      case "\r": out += "\n"
      default:
        if scalar.properties.generalCategory == .control {
          out += "\u{FFFD}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// A regression's before, after and change as shown: seconds and a relative change, or for a
  /// share (hit ratio) percentages and a change in points.
  static func values(_ r: HTMLReportData.Regression) -> (
    before: String, after: String, change: String
  ) {
    guard r.isRate else { return (seconds(r.before), seconds(r.after), signedPercent(r.change)) }
    let points = String(format: "%+.0f points", (r.after - r.before) * 100)
      .replacingOccurrences(of: "-", with: "−")
    return (percent(r.before), percent(r.after), points)
  }

  /// An `http(s)` address without spaces or controls; nil for anything else (`javascript:` …).
  static func link(_ address: String) -> String? {
    let lower = address.lowercased()
    guard lower.hasPrefix("https://") || lower.hasPrefix("http://"),
      !address.contains(where: {
        $0.isWhitespace || $0.asciiValue.map { $0 < 32 || $0 == 127 } == true
      })
    else { return nil }
    return address
  }

  // MARK: - Formatting

  /// `branch main` or `branches main, feature/x (+2 more)`, newest first; nil with no branch.
  static func branchFact(_ builds: [HTMLReportData.Build], latest: HTMLReportData.Build?)
    -> HTMLReportPage.Fact?
  {
    var seen: [String] = []
    for branch in ([latest?.branch] + builds.reversed().map(\.branch)).compactMap({ $0 })
    where !seen.contains(branch) {
      seen.append(branch)
    }
    guard !seen.isEmpty else { return nil }
    let codes = seen.prefix(3).enumerated().map {
      HTMLReportPage.Code(separator: $0.offset == 0 ? "" : ", ", name: $0.element)
    }
    return HTMLReportPage.Fact(
      separator: " · ", lead: seen.count == 1 ? "branch " : "branches ", codes: codes,
      tail: seen.count > 3 ? " (+\(seen.count - 3) more)" : "")
  }

  /// The commit's first 7 characters, the whole hash in the tooltip.
  static func commit(_ commit: String) -> HTMLReportPage.Commit {
    let short = String(commit.prefix(7))
    return HTMLReportPage.Commit(short: short, fullHash: short == commit ? nil : commit)
  }

  static func seconds(_ value: Double) -> String {
    value.isFinite ? TerminalChart.Format.value(max(0, value), .seconds) : "—"
  }

  static func percent(_ ratio: Double) -> String {
    ratio.isFinite ? String(format: "%.0f%%", ratio * 100) : "—"
  }

  static func signedPercent(_ ratio: Double) -> String {
    guard ratio.isFinite else { return "—" }
    let text = String(format: "%.1f%%", abs(ratio) * 100)
    return text == "0.0%" ? text : (ratio > 0 ? "+" : "−") + text
  }

  static func ratioText(_ part: Int, _ whole: Int) -> String {
    whole > 0 ? percent(Double(part) / Double(whole)) : "—"
  }

  static func plural(_ count: Int, _ noun: String) -> String {
    count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
  }

  static func median(_ values: [Double]) -> Double? {
    let finite = values.filter(\.isFinite)
    return finite.isEmpty ? nil : BuildCheck.median(finite)
  }

  /// An SVG coordinate: at most one decimal, no trailing zeros.
  static func number(_ value: Double) -> String {
    TerminalChart.Format.trimmed(value.isFinite ? value : 0, 1)
  }
}

extension HTMLReport {
  /// A build outcome folded into the few kinds the page styles; the CSS class never comes from the data.
  enum Outcome: Hashable {
    case success, failed, canceled

    init(_ outcome: String) {
      switch outcome.lowercased() {
      case "failed", "failure", "error", "errored": self = .failed
      case "success", "succeeded", "ok", "passed", "done": self = .success
      default: self = .canceled
      }
    }

    var className: String {
      switch self {
      case .success: "success"
      case .failed: "failed"
      case .canceled: "canceled"
      }
    }

    /// The outcome as a coloured badge showing the original word.
    func badge(_ outcome: String) -> HTMLReportPage.Badge {
      HTMLReportPage.Badge(className: className, text: outcome)
    }
  }
}
