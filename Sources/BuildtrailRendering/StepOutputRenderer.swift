import BuildStore
import BuildtrailKit
import Foundation

/// Renders `show --step`: one step's kept output lines.
public struct StepOutputRenderer: Sendable {
  public var format: OutputFormat
  public var terminal: Terminal

  public init(format: OutputFormat, terminal: Terminal) {
    self.format = format
    self.terminal = terminal
  }

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

  public func render(_ output: BuildQuery.StepOutput) -> String {
    let step = output.step
    let build = output.build
    let lines = output.lines
    switch format {
    case .json:
      return JSONOutput.encode(
        StepOutputJSON(
          buildId: build, vertex: step.vertex, name: step.name, status: step.status.rawValue,
          durationSeconds: step.durationSeconds, outputLines: step.outputLines, keptLines: lines,
          errorText: step.errorText))
    case .csv:
      return ([CSV.line(["line"])] + lines.map { CSV.line([$0]) }).joined(separator: "\n") + "\n"
    case .table:
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
}
