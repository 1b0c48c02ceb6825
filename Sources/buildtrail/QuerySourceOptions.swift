import ArgumentParser
import BuildtrailClient
import Foundation

/// Where a query command reads: `--db` (a local history) or `--server` (a `buildtrail serve`).
/// `--server` wins, then `--db`, then `$BUILDTRAIL_SERVER`, then `$BUILDTRAIL_DB` and the default
/// history file.
struct QuerySourceOptions: ParsableArguments {
  @OptionGroup var store: StoreOptions
  @Option(
    name: .long,
    help:
      "Read from this `buildtrail serve` (http://HOST:PORT) instead of a local history (default: $BUILDTRAIL_SERVER unless --db is given)."
  )
  var server: String?
  @Option(
    name: .long,
    help: "The bearer token for --server, of scope read (default: $BUILDTRAIL_TOKEN).")
  var token: String?

  func validate() throws {
    if server != nil, store.db != nil {
      throw ValidationError("--db and --server each name a history to read; give one of them")
    }
    if server?.isEmpty == true {
      throw ValidationError("--server needs a URL such as http://127.0.0.1:8080")
    }
  }

  /// The history to read, from the flags and `environment`.
  func source(environment: [String: String] = ProcessInfo.processInfo.environment) throws
    -> HistorySource
  {
    try ServerSelection.client(
      server: server, token: token, db: store.db, environment: environment
    ).map(HistorySource.remote) ?? .local(store)
  }

  /// Prints what `body` renders from the history; errors are worded as ``StoreOptions/render(creating:_:)`` words them.
  func render(_ body: (HistorySource) throws -> String) throws {
    try StoreOptions.reportingErrors { try emit(try body(try source())) }
  }
}
