import BuildStore
import BuildtrailKit
import Foundation

/// Renders `buildtrail check`: a line per check, plus GitHub Actions annotations and a Markdown
/// job summary when asked.
public struct BuildCheckRenderer: OutputRenderer {
  /// The format and terminal to write for.
  public var style: OutputStyle

  /// A renderer for `style`.
  public init(style: OutputStyle) { self.style = style }

  struct CheckJSON: Encodable {
    var build: BuildSummaryJSON
    var baselineBuilds: [Int64]
    var failed: Bool
    var findings: [FindingJSON]
    var explanation: String?
  }

  struct FindingJSON: Encodable {
    var check: String
    var level: BuildCheck.Finding.Level
    var message: String
    var actual: Double?
    var limit: Double?
  }

  /// The `check` object: the build, its baseline, each finding with its numbers, and `why`'s
  /// verdict.
  public func json(_ check: BuildCheck) -> String {
    JSONOutput.encode(
      [
        "check": CheckJSON(
          build: BuildSummaryJSON(check.build), baselineBuilds: check.baseline.map(\.id),
          failed: check.failed,
          findings: check.findings.map {
            FindingJSON(
              check: $0.check, level: $0.level, message: check.message($0), actual: $0.actual,
              limit: $0.limit)
          }, explanation: check.explanation?.verdict)
      ])
  }

  /// A line per finding: its check, level, numbers and message.
  public func csv(_ check: BuildCheck) -> String {
    var lines = [CSV.line(["build_id", "check", "level", "actual", "limit", "message"])]
    for f in check.findings {
      lines.append(
        CSV.line([
          String(check.build.id), f.check, f.level.rawValue,
          f.actual.map { CSV.number($0) } ?? "",
          f.limit.map { CSV.number($0) } ?? "", check.message(f),
        ]))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `PASS`, `WARN` or `FAIL` and the message per finding, then `why`'s verdict.
  public func table(_ check: BuildCheck) -> String {
    var out = ""
    for f in check.findings {
      let tag: String
      switch f.level {
      case .pass: tag = terminal.paint("PASS", .green)
      case .warning: tag = terminal.paint("WARN", .yellow)
      case .failure: tag = terminal.paint("FAIL", .red)
      }
      out += "\(tag)  " + safeLine(check.message(f))
    }
    if let why = check.explanation?.verdict { out += safeLine("      why: \(why)") }
    return out
  }

  /// `::error title=…::message` lines for GitHub Actions, one per failed or warning check.
  public func githubAnnotations(_ check: BuildCheck) -> String {
    check.findings.filter { $0.level != .pass }.map { f in
      let command = f.level == .failure ? "error" : "warning"
      var message = check.message(f)
      if let why = check.explanation?.verdict, f.level == .failure { message += " — \(why)" }
      let title = Self.escapeAnnotation("buildtrail \(f.check)", property: true)
      return "::\(command) title=\(title)::\(Self.escapeAnnotation(message))"
    }.joined(separator: "\n") + (check.findings.contains { $0.level != .pass } ? "\n" : "")
  }

  /// A Markdown section for `$GITHUB_STEP_SUMMARY`.
  public func markdownSummary(_ check: BuildCheck) -> String {
    var out =
      "### buildtrail check: build \(check.build.id) \(check.failed ? "❌ regressed" : "✅ ok")\n\n"
    out += "| check | result | detail |\n| --- | --- | --- |\n"
    for f in check.findings {
      out += "| \(f.check) | \(f.level.rawValue) | \(Self.escapeMarkdown(check.message(f))) |\n"
    }
    if let why = check.explanation?.verdict { out += "\n**Why:** \(Self.escapeMarkdown(why))\n" }
    return out + "\n"
  }

  /// GitHub's workflow-command escaping: `%`, CR and LF (and `:` and `,` in a property), with every
  /// other control character made visible by ``TerminalText/sanitized(_:)``, since the log shows it.
  static func escapeAnnotation(_ text: String, property: Bool = false) -> String {
    let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
      separator: "\n", omittingEmptySubsequences: false)
    return lines.map { line in
      var escaped = TerminalText.sanitized(String(line)).replacingOccurrences(of: "%", with: "%25")
      if property {
        escaped = escaped.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(
          of: ",", with: "%2C")
      }
      return escaped
    }.joined(separator: "%0A")
  }

  static func escapeMarkdown(_ text: String) -> String {
    TerminalText.sanitized(text.replacingOccurrences(of: "\n", with: " ")).replacingOccurrences(
      of: "|", with: "\\|")
  }
}
