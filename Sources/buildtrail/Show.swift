import ArgumentParser
import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Show: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Show one build: its steps, where the time went, errors and warnings.",
    discussion: """
      buildtrail show            # the latest build
      buildtrail show 12 --step 7   # the kept output of vertex #7 of build 12
      """)

  @Argument(help: "The build id (default: the latest build).") var build: Int64?
  @Option(
    name: .long, help: "Print one step's kept output: its vertex number, or text its name contains."
  )
  var step: String?
  @OptionGroup var source: QuerySourceOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    let path = "/api/v1/builds/\(HistorySource.segment(build))"
    try source.render { history in
      let terminal = Terminal.standardOutput()
      if let step {
        let shown = try history.read(path: path + "/steps/\(HistorySource.segment(step))") {
          try BuildQuery(store: $0).stepOutput(build, step: step)
        }
        return StepOutputRenderer(format: output.format, terminal: terminal).render(shown)
      }
      let shown = try history.read(path: path) { try BuildQuery(store: $0).build(build) }
      return BuildDetailRenderer(format: output.format, terminal: terminal).render(shown)
    }
  }
}
