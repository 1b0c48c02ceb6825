import ArgumentParser
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Record: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "record",
    abstract: "Record a build log (a file, or - for stdin), or run a build and record it.",
    discussion: """
      buildtrail record build.log
      docker buildx build --progress=plain . 2>&1 | buildtrail record -
      buildtrail record --label env=ci -- docker buildx build --progress=plain -t app .
      buildtrail record -- docker compose build --progress=plain backend
      buildtrail record --compose-file compose.yaml --service backend build.log
      BUILDTRAIL_SERVER=https://buildtrail.internal BUILDTRAIL_TOKEN=… buildtrail record build.log
      With a server, a build that cannot be sent waits in the spool for `buildtrail push`.
      """)

  @Argument(help: "The log file, or - for standard input.")
  var log: String?

  @Option(name: .long, help: "A label key=value to attach (repeatable).")
  var label: [String] = []

  @Option(name: .long, help: "The build target (stage) the build made.")
  var target: String?

  @Option(name: .long, help: "The commit the build was made from (default: read from git).")
  var commit: String?

  @Option(name: .long, help: "The branch the build was made from (default: read from git or CI).")
  var branch: String?

  @Option(
    name: .long, help: "The build context folder (default: from the wrapped command, else .).")
  var context: String?

  @Option(
    name: [.customShort("f"), .long],
    help: "The Dockerfile (default: from the wrapped command, else CONTEXT/Dockerfile).")
  var file: String?

  @Option(
    name: .customLong("build-arg"),
    help: ArgumentHelp(
      "A build argument NAME=VALUE the build was given, or NAME to read it from the environment (repeatable).",
      discussion:
        "Names with TOKEN, PASSWORD, SECRET or KEY in them keep only a SHA-256 of the value."))
  var buildArg: [String] = []

  @Option(
    name: .customLong("compose-file"),
    help: ArgumentHelp(
      "The compose file the logged build used (repeatable, later files override): the log is split into one build per service, each with its own target, context, Dockerfile, build arguments and inputs.",
      valueName: "file"))
  var composeFile: [String] = []

  @Option(
    name: .long,
    help: "With --compose-file: record only this service's build (an error when the log has none).")
  var service: String?

  @Flag(name: .long, help: "Do not read git, CI or the working tree; record the log alone.")
  var noMetadata = false

  @OptionGroup var store: StoreOptions
  @OptionGroup var upload: UploadOptions
  @OptionGroup var output: FormatOptions

  @Argument(parsing: .postTerminator, help: "A build command to run and record, after --.")
  var command: [String] = []

  func validate() throws {
    if upload.server != nil && store.db != nil {
      throw ValidationError("give --server (send the build) or --db (record it here), not both")
    }
    if log != nil && !command.isEmpty {
      throw ValidationError("give either a LOG or a command after --, not both")
    }
    if log == nil && command.isEmpty {
      throw ValidationError("give a LOG file, - for standard input, or a command after --")
    }
    if !composeFile.isEmpty && !command.isEmpty {
      throw ValidationError(
        "--compose-file is for a LOG file; a compose command after -- names its files with -f")
    }
    if service != nil && composeFile.isEmpty {
      throw ValidationError("--service needs --compose-file FILE (the project the log built)")
    }
    for l in label where !l.contains("=") || l.hasPrefix("=") {
      throw ValidationError("--label takes key=value, got '\(TerminalText.sanitized(l))'")
    }
    for word in buildArg where !BuildArgumentReader.isValid(word) {
      throw ValidationError(
        "--build-arg takes NAME=VALUE or NAME, got '\(TerminalText.sanitized(word))'")
    }
    if let file, !RecordRequest.isUsableDockerfile(file) {
      throw ValidationError(
        "--file \(TerminalText.sanitized(file)) is not a regular file (a FIFO, device, socket or folder); pass the Dockerfile"
      )
    }
  }

  func run() async throws {
    let request = RecordRequest(
      logPath: log, command: command, labels: parseLabels(label), target: target, commit: commit,
      branch: branch,
      contextPath: context, dockerfilePath: file, buildArguments: buildArg,
      composeFiles: composeFile, service: service, collectMetadata: !noMetadata)
    if let uploader = try upload.uploader(db: store.db) {
      if !command.isEmpty { return try runBuildForServer(request, uploader) }
      return try await runUpload(request, uploader)
    }
    if !command.isEmpty { return try runBuild(request) }
    let terminal = Terminal.standardOutput()
    let outcome: RecordOutcome
    do {
      outcome = try RecordRequestRunner(databasePath: store.path).run(request)
    } catch let failure as RecordFailure {
      throw fail(failure.error, code: failure.exitCode)
    } catch {
      throw fail(error)
    }
    let recovery = RecoveryRenderer(format: .table, terminal: terminal)
    for spool in outcome.recovered { note(recovery.line(spool)) }
    for w in outcome.report.warnings { warn(w) }
    try emit(
      RecordReportRenderer(format: output.format, terminal: terminal).render(outcome.report.summary)
    )
  }

  /// Runs the build; a child `buildtrail recover --spool` records it. Exits with the build's code.
  private func runBuild(_ request: RecordRequest) throws {
    let database = store.path
    let format = output.format
    let result: (exitCode: Int32, warnings: [String])
    do {
      result = try WrappedBuild(request: request, databasePath: database) { spool in
        ["recover", "--spool", spool, "--db", database, "--format", format.rawValue]
      }.run()
    } catch let failure as RecordFailure {
      throw fail(failure.error, code: failure.exitCode)
    }
    for w in result.warnings { warn(w) }
    if result.exitCode != 0 { throw ExitCode(result.exitCode) }
  }
}
