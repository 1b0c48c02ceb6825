import BuildStore
import BuildtrailKit
import Foundation

/// Renders `show --step`: one step's kept output lines.
public struct StepOutputRenderer: OutputRenderer {
  /// The format and terminal to write for.
  public var style: OutputStyle

  /// A renderer for `style`.
  public init(style: OutputStyle) { self.style = style }

  struct StepOutputJSON: Encodable {
    var buildId: Int64
    var vertex: Int
    var name: String
    var status: String
    var durationSeconds: Double?
    var outputLines: Int
    var keptLines: [String]
    var errorText: String?
  }

  /// The step's facts and its kept output lines.
  public func json(_ output: BuildQuery.StepOutput) -> String {
    let step = output.step
    return JSONOutput.encode(
      StepOutputJSON(
        buildId: output.build, vertex: step.vertex, name: step.name, status: step.status.rawValue,
        durationSeconds: step.durationSeconds, outputLines: step.outputLines,
        keptLines: output.lines,
        errorText: step.errorText))
  }

  /// The kept output, a line per row.
  public func csv(_ output: BuildQuery.StepOutput) -> String {
    ([CSV.line(["line"])] + output.lines.map { CSV.line([$0]) }).joined(separator: "\n") + "\n"
  }

  /// The step's name, status and duration, then its kept output lines.
  public func table(_ output: BuildQuery.StepOutput) -> String {
    let step = output.step
    let lines = output.lines
    var out = terminal.paint("#\(step.vertex) \(step.name)", .bold) + "\n"
    out +=
      "  \(OutcomeStyle.paint(step.status.rawValue, step.status, terminal)), \(formatSeconds(step.durationSeconds)), "
    out += "\(step.outputLines) output lines"
    out += lines.count < step.outputLines ? " (last \(lines.count) kept)\n" : "\n"
    if let e = step.errorText { out += terminal.paint("  ERROR: \(e)", .red) + "\n" }
    for line in lines { out += terminal.paint("  │ ", .dim) + safeLine(line) }
    return out
  }
}
