import ArgumentParser
import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation

@main
struct Buildtrail: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "buildtrail",
    abstract: "Keep the history of every Docker/BuildKit build and tell why a build got slow.",
    discussion: """
      Shell completions: buildtrail --generate-completion-script bash|zsh|fish
      Manual page: swift package generate-manual (writes buildtrail.1)
      """,
    version: BuildtrailVersion.current + " (commit \(BuildCommit.id ?? "unknown"))",
    subcommands: [
      Record.self, Recover.self, Builds.self, Show.self, Diff.self, Why.self, Broke.self,
      Failures.self, Trend.self, Regressions.self, Check.self, Report.self, Prune.self, Delete.self,
      Vacuum.self,
      Export.self, Import.self, Serve.self, TokenCommand.self, Push.self,
    ])
}

extension OutputFormat: ExpressibleByArgument {}

struct StoreOptions: ParsableArguments {
  @Option(
    name: .long,
    help:
      "The history database (default: $BUILDTRAIL_DB, else ~/.local/share/buildtrail/history.db).")
  var db: String?

  var path: String { DatabaseLocation.resolve(flag: db) }

  func validate() throws {
    if db?.isEmpty == true {
      throw ValidationError(
        "--db needs a path; omit it to use $BUILDTRAIL_DB, else \(DatabaseLocation.resolve(flag: nil, environment: [:]))"
      )
    }
  }

  /// Opens the history, prints what `body` renders from it; any error becomes one line and exit 1.
  /// Only `creating` commands (import) make a new database; the others refuse a missing one.
  func render(creating: Bool = false, _ body: (BuildStore) throws -> String) throws {
    try Self.reportingErrors { try emit(try body(try open(creating: creating))) }
  }

  /// Runs `body`; any error becomes one line and exit 1 (64 for an ambiguous request).
  static func reportingErrors(_ body: () throws -> Void) throws {
    do {
      try body()
    } catch let exit as ExitCode {
      throw exit
    } catch let error as BuildtrailError {
      if case .ambiguous = error { throw fail(error, code: 64, lines: true) }
      throw fail(error)
    } catch {
      throw fail(error)
    }
  }
}

extension StoreOptions {
  /// The history; a missing file is an error unless `creating` (reading never creates one).
  /// `concurrentReads` (for `serve`) puts it in WAL mode so reads never wait for a write.
  func open(creating: Bool = false, concurrentReads: Bool = false) throws -> BuildStore {
    let path = self.path
    if !creating, !FileManager.default.fileExists(atPath: path) {
      throw BuildtrailError.invalidArgument(
        "no history at \(path); record a build first (`buildtrail record LOG`), or pass --db (or set BUILDTRAIL_DB) to the history to read"
      )
    }
    return try BuildStore(path: path, concurrentReads: concurrentReads)
  }
}

struct FormatOptions: ParsableArguments {
  @Option(name: .long, help: "Output format: table, json or csv.")
  var format: OutputFormat = .table
}

/// Prints a one-line error, made safe for the terminal, and exits non-zero.
func fail(_ error: Error, code: Int32 = 1, lines: Bool = false) -> ExitCode {
  let message = ErrorText.commandLine(error)
  let text =
    lines
    ? message.split(separator: "\n", omittingEmptySubsequences: false).map {
      TerminalText.sanitized(String($0))
    }.joined(separator: "\n")
    : TerminalText.sanitized(message)
  FileHandle.standardError.write(Data("buildtrail: error: \(text)\n".utf8))
  return ExitCode(code)
}

/// Writes `text` to standard output; a reader that went away stops output quietly, any other write
/// error becomes one line and exit 1.
func emit(_ text: String) throws {
  do {
    try StandardOutput.write(text)
  } catch {
    throw fail(error)
  }
}

/// `key=value` flags as a dictionary (validated by the commands beforehand).
func parseLabels(_ flags: [String]) -> [String: String] {
  var labels: [String: String] = [:]
  for flag in flags {
    let parts = flag.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
    labels[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
  }
  return labels
}

/// Prints one line for the user on stderr, beside the command's own output.
func note(_ message: String) {
  FileHandle.standardError.write(Data("buildtrail: \(TerminalText.sanitized(message))\n".utf8))
}

func warn(_ message: String) {
  FileHandle.standardError.write(
    Data("buildtrail: warning: \(TerminalText.sanitized(message))\n".utf8))
}
