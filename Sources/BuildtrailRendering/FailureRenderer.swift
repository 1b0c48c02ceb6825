import BuildStore
import BuildtrailKit
import Foundation

/// Renders failures: the block `why` leads with for a failed build, its JSON object, and
/// `buildtrail failures`.
public struct FailureRenderer: Sendable {
  public var format: OutputFormat
  public var terminal: Terminal

  public init(format: OutputFormat, terminal: Terminal) {
    self.format = format
    self.terminal = terminal
  }

  /// `why`'s `failure` object.
  struct FailureJSON: Encodable {
    var step: ExplanationRenderer.StepJSON?
    var tool: String
    var message: String
    var signature: String
    var errorLines: [String]
    var exitCode: Int?
    var relatedChange: FailureExplanation.RelatedChange?
    var repeats: FailureExplanation.Repeat?

    init(_ f: FailureExplanation) {
      step = f.step.map(ExplanationRenderer.StepJSON.init)
      tool = f.signature.tool
      message = f.signature.message
      signature = f.signature.text
      errorLines = f.lines
      exitCode = f.exitCode
      relatedChange = f.relatedChange
      repeats = f.repeats
    }
  }

  /// The lines `why` prints first for a failed build.
  func block(_ f: FailureExplanation) -> String {
    let name = f.step.map {
      $0.name.isEmpty ? "step #\($0.vertex) (the log does not show its name)" : compact($0.name)
    }
    var out = terminal.paint("Failed", .red) + safeLine("     \(name ?? "before any step ran")")
    for (n, line) in f.lines.enumerated() {
      let label =
        n == 0
        ? "  \(f.signature.tool)".padding(toLength: 11, withPad: " ", startingAt: 0) : "           "
      out += terminal.paint(label, .dim) + safeLine(line.trimmingCharacters(in: .whitespaces))
    }
    if let change = f.relatedChange {
      out += safeLine("  change   \(change.summary)" + (change.inferred ? " (inferred)" : ""))
    }
    if let r = f.repeats {
      out += safeLine(
        "  repeats  the same failure since build \(r.sinceBuild)\(r.sinceCommit.map { " (\($0.prefix(8)))" } ?? ""): \(r.builds) failed builds in a row"
      )
    }
    return out
  }

  struct StreakJSON: Encodable {
    var signature: String
    var tool: String
    var message: String
    var step: String?
    var firstBuild: Int64
    var firstCommit: String?
    var lastBuild: Int64
    var lastCommit: String?
    var builds: Int
    var fixedAt: Int64?
    var fixedCommit: String?
    var replacedAt: Int64?
    var failing: Bool

    init(_ s: FailureHistory.Streak) {
      signature = s.signature
      tool = s.tool
      message = s.message
      step = s.step
      firstBuild = s.first.id
      firstCommit = s.first.commit
      lastBuild = s.last.id
      lastCommit = s.last.commit
      builds = s.builds
      if let end = s.endedBy {
        if end.outcome == .success {
          fixedAt = end.id
          fixedCommit = end.commit
        } else {
          replacedAt = end.id
        }
      }
      failing = s.endedBy == nil
    }
  }

  /// `buildtrail failures`: runs of failed builds with one signature, newest first.
  public func render(_ streaks: [FailureHistory.Streak], branch: String?) -> String {
    let rows = streaks.map(StreakJSON.init)
    switch format {
    case .json:
      return JSONOutput.encode(["failures": rows])
    case .csv:
      var lines = [
        CSV.line([
          "first_build", "last_build", "builds", "fixed_at", "tool", "signature", "message",
        ])
      ]
      for r in rows {
        lines.append(
          CSV.line([
            String(r.firstBuild), String(r.lastBuild), String(r.builds),
            r.fixedAt.map { String($0) } ?? "", r.tool,
            r.signature, r.message,
          ]))
      }
      return lines.joined(separator: "\n") + "\n"
    case .table:
      guard !streaks.isEmpty else {
        return safeLine("No failed builds among the builds looked at on \(branch ?? "any branch").")
      }
      var out = ""
      for s in streaks {
        let range = s.builds == 1 ? "build \(s.first.id)" : "builds \(s.first.id)–\(s.last.id)"
        out += terminal.paint(s.endedBy == nil ? "✗" : "✓", s.endedBy == nil ? .red : .green)
        out += terminal.paint(" \(range)", .bold) + safeLine("  \(s.tool): \(s.message)")
        if let step = s.step { out += safeLine("    step     \(compact(step))") }
        var since = "    since    build \(s.first.id)"
        if let commit = s.first.commit {
          since += " (\(commit.prefix(8))\(s.first.subject.map { " \($0)" } ?? ""))"
        }
        out += safeLine(since + ", \(s.builds) failed build\(s.builds == 1 ? "" : "s") in a row")
        if let end = s.endedBy {
          let what =
            end.outcome == .success ? "fixed    at build" : "then     another failure from build"
          out += safeLine("    \(what) \(end.id)\(end.commit.map { " (\($0.prefix(8)))" } ?? "")")
        } else {
          out += terminal.paint("    still    failing in the latest build", .red) + "\n"
        }
        out += "\n"
      }
      return out
    }
  }
}
