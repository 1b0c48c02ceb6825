import ArgumentParser
import BuildtrailClient
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Recover: AsyncParsableCommand {
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

  /// With `--spool`: the server `record --server --` sends the build to, and its upload spool.
  @Option(name: .long, help: .hidden)
  var server: String?
  @Option(name: .customLong("upload-spool"), help: .hidden)
  var uploadSpool: String?

  @OptionGroup var store: StoreOptions
  @OptionGroup var output: FormatOptions

  func run() async throws {
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
    if let server, let uploadSpool {
      return try await send(spool, to: server, through: uploadSpool, terminal: terminal)
    }
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

  /// The child of `record --server --`: makes an upload of the build's spool and sends it; a build
  /// the server cannot take now waits in the upload spool.
  private func send(_ held: String, to server: String, through folder: String, terminal: Terminal)
    async throws
  {
    let environment = ProcessInfo.processInfo.environment
    let uploads = WrappedUploads(
      spool: UploadSpool(folder: URL(fileURLWithPath: folder)), environment: environment)
    let entry: UploadSpoolEntry
    do {
      let adopted = try uploads.adoptHeld(held)
      entry = adopted.0
      for warning in adopted.1 { warn(warning) }
    } catch {
      throw fail(error)
    }
    let uploader = BuildUploader(
      client: HistoryClient(
        address: try ServerAddress(parsing: server), token: environment["BUILDTRAIL_TOKEN"]))
    let pusher = SpoolPusher(uploader: uploader, spool: uploads.spool, environment: environment)
    let pushed = await pusher.send(entry).pushed
    switch pushed.fate {
    case .sent:
      for warning in pushed.warnings { warn(warning) }
      let summary = RecordSummary(builds: pushed.builds, warnings: pushed.warnings, exitCode: nil)
      let text = RecordReportRenderer(format: output.format, terminal: terminal).render(summary)
      if output.format == .table {
        FileHandle.standardError.write(Data(("buildtrail: " + text).utf8))
      } else {
        try emit(text)
      }
      await pushBacklog(uploader, spool: uploads.spool, environment: environment)
    case .kept:
      warn(
        "cannot send the build: \(pushed.error ?? "unknown error"); it is kept in \(entry.directory.path) for `buildtrail push` (or the next `buildtrail record --server`)"
      )
    case .rejected:
      throw fail(ClientErrorText.Failure(pushed.error ?? "the server refused the build"))
    }
  }
}
