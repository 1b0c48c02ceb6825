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
  @OptionGroup var store: StoreOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    try store.render { history in
      let query = BuildQuery(store: history)
      let terminal = Terminal.standardOutput()
      if let step {
        return StepOutputRenderer(format: output.format, terminal: terminal).render(
          try query.stepOutput(build, step: step))
      }
      return BuildDetailRenderer(format: output.format, terminal: terminal).render(
        try query.build(build))
    }
  }
}
