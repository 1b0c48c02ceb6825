import BuildLog
import BuildStore
import BuildtrailKit
import Foundation

/// Renders `buildtrail show`: one build's facts, its steps with a chart of where the time went,
/// its errors with the failing step's last output lines, and its warnings.
public struct BuildDetailRenderer: OutputRenderer {
  /// The format and terminal to write for.
  public var style: OutputStyle
  /// Output lines shown under a failing step.
  public var errorTailLines = 12

  /// A renderer for `style`.
  public init(style: OutputStyle) { self.style = style }

  /// The build's facts and its steps, in the documented `show` JSON format.
  public func json(_ shown: BuildQuery.Shown) -> String {
    JSONOutput.encode(BuildDetailJSON(shown.detail))
  }

  /// A line per step: position, vertex, status, duration, kind, stage, key and name.
  public func csv(_ shown: BuildQuery.Shown) -> String {
    let d = shown.detail
    var lines = [
      CSV.line([
        "build_id", "position", "vertex", "status", "duration_seconds", "kind", "stage", "key",
        "name", "output_lines",
      ])
    ]
    for s in d.steps {
      lines.append(
        CSV.line([
          String(d.summary.id), String(s.position), String(s.vertex), s.status.rawValue,
          s.durationSeconds.map { CSV.number($0) } ?? "", s.kind.rawValue,
          s.stage ?? "", s.key, s.name,
          String(s.outputLines),
        ]))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The build's facts, its steps with a chart of where the time went, its errors with the last
  /// kept output lines of each failing step, and its warnings.
  public func table(_ shown: BuildQuery.Shown) -> String {
    let d = shown.detail
    let outputs = shown.failedOutputs
    let s = d.summary
    var out = ""
    let verdict = OutcomeStyle.paint(s.outcome.rawValue, s.outcome, terminal)
    out += terminal.paint("Build \(s.id)", .bold) + "  \(verdict)  \(formatWhen(s.when)) UTC  "
    out += "\(formatSeconds(s.seconds))"
    out += s.stepsTotal > 0 ? ", \(s.stepsCached) of \(s.stepsTotal) steps cached\n" : "\n"
    if let git = d.git {
      var line =
        "  git      \(git.branch ?? "(detached)") @ \(git.commit.map { String($0.prefix(12)) } ?? "?")"
      if git.dirty == true { line += " (dirty)" }
      if let subject = git.subject { line += "  \(subject)" }
      out += truncate(TerminalText.sanitized(line), to: terminal.width) + "\n"
    }
    if let builder = d.builderName {
      out += safeLine("  builder  \(builder)\(d.driver.map { " (\($0) driver)" } ?? "")")
    }
    if let image = s.imageName {
      out += safeLine(
        "  image    \(image)\(d.imageDigest.map { " \(String($0.prefix(19)))" } ?? "")")
    }
    if let target = s.target { out += safeLine("  target   \(target)") }
    if let service = s.service { out += safeLine("  service  \(service)") }
    out += InvocationLines(detail: d, width: terminal.width).text
    if let c = d.context {
      out += safeLine(
        "  context  \(c.path): \(c.files) files, \(formatBytes(c.bytes)) after .dockerignore"
          + (d.contextTransferBytes.map { ", \(formatBytes($0)) sent" } ?? ""))
    } else if let sent = d.contextTransferBytes {
      out += "  context  \(formatBytes(sent)) sent\n"
    }
    for image in d.baseImages {
      out += safeLine(
        "  base     \(image.reference)\(image.digest.map { "@\(String($0.prefix(19)))" } ?? "")")
    }
    if let ci = d.ci {
      out += safeLine(
        "  ci       \(ci.provider)\(ci.runID.map { " run \($0)" } ?? "")\(ci.url.map { "  \($0)" } ?? "")"
      )
    }
    if !d.labels.isEmpty {
      out += safeLine(
        "  labels   "
          + d.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
            separator: " "))
    }
    out += "\n" + steps(d)
    let failing = d.steps.filter { $0.status == .error }
    if !failing.isEmpty || d.errorMessage != nil {
      out += "\n" + terminal.paint("Errors", .bold) + "\n"
      for step in failing {
        out += "  " + terminal.paint("#\(step.vertex) \(compact(step.name))", .red) + "\n"
        if let text = step.errorText { out += safeLine("    \(text)") }
        for line in (outputs[step.position] ?? []).suffix(errorTailLines) {
          out += terminal.paint("    │ ", .dim) + safeLine(line)
        }
      }
      if let message = d.errorMessage,
        !failing.contains(where: { $0.errorText.map(message.contains) ?? false })
      {
        out += safeLine("  \(message)")
      }
    }
    if !d.warnings.isEmpty {
      out += "\n" + terminal.paint("Warnings", .bold) + "\n"
      for w in d.warnings { out += safeLine("  - \(w)") }
    }
    return out
  }

  private func steps(_ d: BuildDetail) -> String {
    let shown = StepOrder.sorted(d.steps)
    guard !shown.isEmpty else { return "  (no steps)\n" }
    let chartWidth = max(10, min(40, terminal.width - 70))
    let chart = TimeChart(steps: shown, buildStart: d.summary.startedAt, width: chartWidth)
    var table = TextTable([
      ("#", .right), ("STATUS", .left), ("TIME", .right), ("", .left), ("STEP", .left),
    ])
    for step in shown {
      table.add([
        String(step.vertex), step.status.rawValue,
        step.status == .cached ? "-" : formatSeconds(step.durationSeconds),
        chart.bar(for: step), compact(step.name),
      ])
    }
    let terminal = self.terminal
    table.paint = { row, column, text in
      switch column {
      case 1: return OutcomeStyle.paint(text, shown[row].status, terminal)
      case 3: return terminal.paint(text, .cyan)
      default: return text
      }
    }
    var out = table.render(width: terminal.width)
    out += "  " + chart.legend + "\n"
    return out
  }
}

/// Bars of where the time went: a waterfall when steps have wall-clock times, else bars by duration.
struct TimeChart {
  let width: Int
  private let origin: Double?
  private let span: Double
  private let isWaterfall: Bool

  init(steps: [StoredStep], buildStart: Date?, width: Int) {
    self.width = width
    let timed = steps.filter { $0.completedAt != nil && $0.durationSeconds != nil }
    if timed.count >= max(1, steps.filter { $0.status == .done }.count / 2),
      let first = timed.compactMap({ s in
        s.completedAt.map { $0.timeIntervalSince1970 - (s.durationSeconds ?? 0) }
      }).min(),
      let last = timed.compactMap({ $0.completedAt?.timeIntervalSince1970 }).max(), last > first
    {
      origin = min(first, buildStart?.timeIntervalSince1970 ?? first)
      span = last - (origin ?? first)
      isWaterfall = true
    } else {
      origin = nil
      span = steps.compactMap(\.durationSeconds).max() ?? 0
      isWaterfall = false
    }
  }

  var legend: String {
    isWaterfall
      ? "chart: waterfall over \(formatSeconds(span)) of wall time"
      : "chart: step duration, longest \(formatSeconds(span))"
  }

  func bar(for step: StoredStep) -> String {
    guard span > 0, let duration = step.durationSeconds, step.status != .cached else { return "" }
    let cells = Double(width)
    var offset = 0.0
    if isWaterfall, let origin, let done = step.completedAt?.timeIntervalSince1970 {
      offset = (done - duration - origin) / span * cells
    }
    let length = duration / span * cells
    guard offset.isFinite, length.isFinite else { return "" }
    return String(repeating: " ", count: Int(min(max(0, offset), cells).rounded(.down)))
      + Self.blocks(min(length, cells))
  }

  /// Eighth blocks: `█` per whole cell, a partial block for the rest, at least a thin bar.
  static func blocks(_ cells: Double) -> String {
    let eighths = cells.isFinite ? max(1, Int((min(cells, 100_000) * 8).rounded())) : 1
    let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
  }
}
