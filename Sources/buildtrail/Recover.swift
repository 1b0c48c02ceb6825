import ArgumentParser
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Recover: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recover",
    abstract: "Record the builds whose `record --` was interrupted before it recorded them.",
    discussion: """
      `record --` keeps a build's output in a spool folder beside the database (DB.spool) until \
      it is recorded. If the recording was killed, the spool stays; `recover` (and every \
      `record`) records it as the build it was. Spools of builds still running are left alone.
      """)

  @Option(name: .long, help: .hidden)
  var spool: String?

  @OptionGroup var store: StoreOptions
  @OptionGroup var output: FormatOptions

  func run() throws {
    let terminal = Terminal.standardOutput()
    let recovery = SpoolRecovery(databasePath: store.path)
    guard let spool else {
      let spools: [RecoveredSpool]
      do {
        spools = try recovery.recoverAll()
      } catch {
        throw fail(error)
      }
      for warning in spools.flatMap({ $0.report?.warnings ?? [] }) { warn(warning) }
      let text = RecoveryRenderer(format: output.format, terminal: terminal).render(
        (spools, recovery.folder))
      try emit(text)
      if spools.contains(where: { $0.report == nil }) { throw ExitCode(1) }
      return
    }
    // The recording child of `record --`: the build's exit code is the parent's business.
    signal(SIGPIPE, SIG_IGN)
    let result: (outcome: RecordOutcome, leftovers: [RecoveredSpool])
    do {
      result = try recovery.recordHeld(spool)
    } catch let failure as RecordFailure {
      throw fail(failure.error, code: failure.exitCode)
    }
    let lines = RecoveryRenderer(format: .table, terminal: terminal)
    for leftover in result.leftovers { note(lines.line(leftover)) }
    for w in result.outcome.report.warnings { warn(w) }
    let text = RecordReportRenderer(format: output.format, terminal: terminal).render(
      result.outcome.report.summary)
    if output.format == .table {
      FileHandle.standardError.write(Data(("buildtrail: " + text).utf8))
    } else {
      try emit(text)
    }
  }
}
