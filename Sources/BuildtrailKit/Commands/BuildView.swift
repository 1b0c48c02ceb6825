import BuildStore
import Foundation

/// `buildtrail show`: finds the build (latest by default) and renders it, or one step's output.
public struct BuildView {
  public var store: BuildStore
  public var terminal: Terminal
  public var format: OutputFormat

  public init(store: BuildStore, terminal: Terminal, format: OutputFormat) throws {
    self.store = store
    self.terminal = terminal
    self.format = format
  }

  public func render(buildID: Int64?, step: String?) throws -> String {
    guard let id = try buildID ?? store.latestBuildID() else {
      throw StoreError.emptyHistory(path: store.path)
    }
    guard let detail = try store.build(id: id) else { throw StoreError.noSuchBuild(String(id)) }
    if let selector = step {
      guard let chosen = Self.select(selector, in: detail.steps) else {
        throw BuildtrailError.invalidArgument(
          "build \(id) has no step '\(selector)'; give a vertex number or text from a step name (`buildtrail show \(id)` lists them)"
        )
      }
      let lines = try store.stepOutput(buildID: id, position: chosen.position)
      return StepOutputRenderer(format: format, terminal: terminal).render(
        chosen, build: id, lines: lines)
    }
    var outputs: [Int: [String]] = [:]
    for s in detail.steps where s.status == .error {
      outputs[s.position] = try store.stepOutput(buildID: id, position: s.position)
    }
    return BuildDetailRenderer(format: format, terminal: terminal).render(detail, outputs: outputs)
  }

  /// A vertex number picks that vertex; other text picks the first step whose name contains it.
  static func select(_ selector: String, in steps: [StoredStep]) -> StoredStep? {
    if let vertex = Int(selector.trimmingCharacters(in: CharacterSet(charactersIn: "#"))) {
      return steps.first { $0.vertex == vertex }
    }
    return steps.first { $0.name.localizedCaseInsensitiveContains(selector) }
  }
}

/// Renders `show --step`: one step's kept output lines.
struct StepOutputRenderer {
  var format: OutputFormat
  var terminal: Terminal

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

  func render(_ step: StoredStep, build: Int64, lines: [String]) -> String {
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
