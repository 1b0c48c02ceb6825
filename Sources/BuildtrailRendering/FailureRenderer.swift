import BuildStore
import BuildtrailKit
import Foundation

/// Renders failures: the block `why` leads with for a failed build, its JSON object, and
/// `buildtrail failures`.
public struct FailureRenderer: OutputRenderer {
  /// The runs of failures `failures` found, and the branch it looked at (any when nil).
  public typealias Value = (streaks: [FailureHistory.Streak], branch: String?)

  /// The format and terminal to write for.
  public var style: OutputStyle

  /// A renderer for `style`.
  public init(style: OutputStyle) { self.style = style }

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

  /// The `failures` list: each run of failed builds with one signature, newest first.
  public func json(_ value: Value) -> String {
    JSONOutput.encode(["failures": value.streaks.map(StreakJSON.init)])
  }

  /// A line per run of failures: its builds, the build that fixed it, the tool and message.
  public func csv(_ value: Value) -> String {
    var lines = [
      CSV.line([
        "first_build", "last_build", "builds", "fixed_at", "tool", "signature", "message",
      ])
    ]
    for r in value.streaks.map(StreakJSON.init) {
      lines.append(
        CSV.line([
          String(r.firstBuild), String(r.lastBuild), String(r.builds),
          r.fixedAt.map { String($0) } ?? "", r.tool,
          r.signature, r.message,
        ]))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `buildtrail failures`: runs of failed builds with one signature, newest first, each with
  /// where it started and what ended it.
  public func table(_ value: Value) -> String {
    guard !value.streaks.isEmpty else {
      return safeLine(
        "No failed builds among the builds looked at on \(value.branch ?? "any branch").")
    }
    var out = ""
    for s in value.streaks {
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
