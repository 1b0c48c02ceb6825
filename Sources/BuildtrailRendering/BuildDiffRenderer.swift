import BuildLog
import BuildStore
import BuildtrailKit
import Foundation

/// Renders `buildtrail diff A B`.
public struct BuildDiffRenderer: OutputRenderer {
  /// The format and terminal to write for.
  public var style: OutputStyle
  /// List unchanged steps too (`--all`).
  public var showAll = false

  /// A renderer for `style` that lists the changed steps only.
  public init(style: OutputStyle) { self.style = style }

  /// A renderer writing `format` for `terminal`; with `showAll`, unchanged steps too.
  public init(format: OutputFormat, terminal: Terminal, showAll: Bool) {
    self.init(format: format, terminal: terminal)
    self.showAll = showAll
  }

  struct StepJSON: Encodable {
    var key: String
    var name: String
    var change: String
    var statusBefore: String?
    var statusAfter: String?
    var secondsBefore: Double?
    var secondsAfter: Double?
    var secondsDelta: Double
  }
  struct ContextJSON: Encodable {
    var filesBefore: Int?
    var filesAfter: Int?
    var bytesBefore: Int64?
    var bytesAfter: Int64?
    var transferBytesBefore: Int64?
    var transferBytesAfter: Int64?
  }
  struct DiffJSON: Encodable {
    var before: BuildSummaryJSON
    var after: BuildSummaryJSON
    var secondsDelta: Double
    var context: ContextJSON
    var baseImages: [BuildDiff.BaseImageChange]
    var inputs: [BuildDiff.InputChange]
    var steps: [StepJSON]
  }

  /// Both builds' summaries, the time difference, the context, base images and inputs that
  /// changed, and every step with its status and seconds before and after.
  public func json(_ diff: BuildDiff) -> String {
    JSONOutput.encode(
      DiffJSON(
        before: BuildSummaryJSON(diff.before.summary),
        after: BuildSummaryJSON(diff.after.summary),
        secondsDelta: (diff.secondsDelta * 1000).rounded() / 1000,
        context: ContextJSON(
          filesBefore: diff.before.context?.files, filesAfter: diff.after.context?.files,
          bytesBefore: diff.before.context?.bytes, bytesAfter: diff.after.context?.bytes,
          transferBytesBefore: diff.before.contextTransferBytes,
          transferBytesAfter: diff.after.contextTransferBytes),
        baseImages: diff.baseImages, inputs: diff.inputs, steps: steps(diff)))
  }

  /// A line per step: how it changed, its status and seconds before and after.
  public func csv(_ diff: BuildDiff) -> String {
    var lines = [
      CSV.line([
        "key", "change", "status_before", "status_after", "seconds_before", "seconds_after",
        "name",
      ])
    ]
    for s in steps(diff) {
      lines.append(
        CSV.line([
          s.key, s.change, s.statusBefore ?? "", s.statusAfter ?? "",
          s.secondsBefore.map { CSV.number($0) } ?? "",
          s.secondsAfter.map { CSV.number($0) } ?? "", s.name,
        ]))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func steps(_ diff: BuildDiff) -> [StepJSON] {
    diff.steps.map {
      StepJSON(
        key: $0.key, name: $0.name, change: $0.change.rawValue,
        statusBefore: $0.before?.status.rawValue,
        statusAfter: $0.after?.status.rawValue, secondsBefore: $0.before?.durationSeconds,
        secondsAfter: $0.after?.durationSeconds,
        secondsDelta: (($0.secondsDelta) * 1000).rounded() / 1000)
    }
  }

  /// The headline change, commits, context, base images and inputs, then a table of the steps
  /// whose cache state changed (all of them with ``showAll``).
  public func table(_ diff: BuildDiff) -> String {
    let a = diff.before.summary
    let b = diff.after.summary
    var out = terminal.paint("Build \(a.id) → build \(b.id)", .bold)
    out +=
      ": \(signed(diff.secondsDelta)) (\(formatSeconds(a.seconds)) → \(formatSeconds(b.seconds))), "
    out += "cached \(a.stepsCached)/\(a.stepsTotal) → \(b.stepsCached)/\(b.stepsTotal)\n"
    if a.commit != nil || b.commit != nil {
      out += safeLine("  commits  \(short(a.commit)) → \(short(b.commit))")
    }
    if let ca = diff.before.context, let cb = diff.after.context {
      out +=
        "  context  \(ca.files) files, \(formatBytes(ca.bytes)) → \(cb.files) files, \(formatBytes(cb.bytes))\n"
    } else if diff.before.contextTransferBytes != nil || diff.after.contextTransferBytes != nil {
      out +=
        "  context  \(formatBytes(diff.before.contextTransferBytes)) → \(formatBytes(diff.after.contextTransferBytes)) sent\n"
    }
    for image in diff.baseImages {
      out += safeLine(
        "  base     \(image.reference)  \(image.before.map { String($0.prefix(19)) } ?? "(none)") → \(image.after.map { String($0.prefix(19)) } ?? "(none)")"
      )
    }
    for input in diff.inputs {
      let what = input.before == nil ? "added" : input.after == nil ? "removed" : "changed"
      out += safeLine("  input    \(input.path) \(what)")
    }
    out += "\n"
    let shown = showAll ? diff.steps : diff.steps.filter { $0.change != .same }
    if shown.isEmpty {
      out += "  No step changed its cache state; \(diff.steps.count) steps matched.\n"
      return out
    }
    var table = TextTable([
      ("CHANGE", .left), ("BEFORE", .right), ("AFTER", .right), ("DELTA", .right), ("STEP", .left),
    ])
    for s in shown {
      table.add([
        s.change.rawValue, cell(s.before), cell(s.after),
        s.change == .same && s.secondsDelta == 0 ? "" : signed(s.secondsDelta),
        compact(s.name),
      ])
    }
    let terminal = self.terminal
    table.paint = { row, column, text in
      guard column == 0 else { return text }
      switch shown[row].change {
      case .lostCache, .failed: return terminal.paint(text, .red)
      case .gainedCache: return terminal.paint(text, .green)
      case .added, .removed: return terminal.paint(text, .yellow)
      case .same: return text
      }
    }
    out += table.render(width: terminal.width)
    let hidden = diff.steps.count - shown.count
    if hidden > 0 { out += "  (\(hidden) unchanged steps; --all lists them)\n" }
    return out
  }

  private func cell(_ step: StoredStep?) -> String {
    guard let step else { return "-" }
    return step.status == .cached
      ? "cached" : step.status == .done ? formatSeconds(step.durationSeconds) : step.status.rawValue
  }

  private func short(_ commit: String?) -> String { commit.map { String($0.prefix(8)) } ?? "?" }
}

/// `+1.3s`, `-0.2s`, `+4m12s`.
func signed(_ seconds: Double) -> String {
  (seconds < 0 ? "-" : "+") + formatSeconds(abs(seconds))
}
