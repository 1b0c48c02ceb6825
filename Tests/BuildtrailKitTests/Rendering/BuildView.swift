import BuildStore
import BuildtrailKit
import BuildtrailRendering

/// `buildtrail show` as the executable composes it: the query, then the renderer.
struct BuildView {
  var store: BuildStore
  var terminal: Terminal
  var format: OutputFormat

  init(store: BuildStore, terminal: Terminal, format: OutputFormat) throws {
    self.store = store
    self.terminal = terminal
    self.format = format
  }

  func render(buildID: Int64?, step: String?) throws -> String {
    let query = BuildQuery(store: store)
    if let step {
      return StepOutputRenderer(format: format, terminal: terminal).render(
        try query.stepOutput(buildID, step: step))
    }
    return BuildDetailRenderer(format: format, terminal: terminal).render(try query.build(buildID))
  }
}
