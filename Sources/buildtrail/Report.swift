import ArgumentParser
import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Report: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract:
      "Write a self-contained HTML report: trends, the latest build's waterfall, regressions, slowest steps, builds.",
    discussion: "buildtrail report --html build-report.html --last 200")

  @Option(name: .long, help: "The HTML file to write.") var html: String
  @Option(name: .long, help: "The branch (default: the latest build's).") var branch: String?
  @Option(name: .long, help: "The compose service (default: the latest build's).")
  var service: String?
  @Option(name: .long, help: "How many recent builds.") var last = 100
  @OptionGroup var source: QuerySourceOptions

  func validate() throws {
    try OptionRange.count(last, flag: "--last")
  }

  func run() throws {
    do {
      let report = try source.source().read(
        path: "/", query: [("branch", branch), ("service", service), ("last", String(last))]
      ) { try ReportQuery(store: $0).report(branch: branch, service: service, last: last) }
      let data = HTMLReportData(report)
      let page = HTMLReport.render(data)
      do {
        try Data(page.utf8).write(to: URL(fileURLWithPath: html))
      } catch {
        throw BuildtrailError.invalidArgument(
          "cannot write \(html): \(error.localizedDescription); pass a writable --html path")
      }
      FileHandle.standardError.write(
        Data(
          "buildtrail: wrote \(html) (\(data.builds.count) builds, \(data.regressions.count) regressions)\n"
            .utf8))
    } catch {
      throw fail(error)
    }
  }
}
