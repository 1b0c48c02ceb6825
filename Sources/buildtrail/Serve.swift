import ArgumentParser
import BuildStore
import BuildtrailKit
import BuildtrailRendering
import BuildtrailServer
import Foundation

struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract:
      "Serve the history over HTTP: every query's JSON under /api/v1, the HTML report at /.",
    discussion: """
      buildtrail serve --db /var/lib/buildtrail/history.db
      buildtrail serve --listen 0.0.0.0:8080   # every interface (default: 127.0.0.1 only)
      buildtrail serve --tokens /etc/buildtrail/tokens --max-upload-bytes 268435456
      Runners upload builds with POST /api/v1/builds (a token with scope record).
      Stops on SIGTERM or SIGINT after finishing the requests in flight, uploads included.
      """)

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Where to listen, HOST:PORT ([::1]:8080 for IPv6; port 0 picks a free one).",
      valueName: "host:port"))
  var listen = "127.0.0.1:8080"
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Require bearer tokens: a file of NAME SCOPES SHA256 lines (`buildtrail token new` prints them).",
      valueName: "file"))
  var tokens: String?
  @Flag(
    name: .long, help: "With --tokens: let anyone read without a token (on an internal network).")
  var readAnonymous = false
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The largest upload body in bytes, after gzip is inflated (413 above it).", valueName: "bytes"
    ))
  var maxUploadBytes: Int64 = 1 << 30
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Uploads received or recorded at once; more are answered 503 with Retry-After.",
      valueName: "n"))
  var maxConcurrentUploads = 4
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Close a connection silent this long: between requests, within headers or a body (0: never).",
      valueName: "seconds"))
  var idleTimeout = 60
  @OptionGroup var store: StoreOptions

  func validate() throws {
    _ = try address()
    if maxUploadBytes < 1 {
      throw ValidationError("--max-upload-bytes takes a number of bytes above 0")
    }
    if !(1...1024).contains(maxConcurrentUploads) {
      throw ValidationError("--max-concurrent-uploads takes 1 to 1024")
    }
    if !(0...86_400).contains(idleTimeout) {
      throw ValidationError("--idle-timeout takes 0 (never) to 86400 seconds")
    }
    if readAnonymous && tokens == nil {
      throw ValidationError(
        "--read-anonymous goes with --tokens (without --tokens anyone may read already)")
    }
  }

  /// The tokens file's policy, nil without --tokens.
  private func access() throws -> AccessPolicy? {
    try tokens.map {
      AccessPolicy(tokens: try TokenFile(contentsOf: $0), readAnonymous: readAnonymous)
    }
  }

  private func address() throws -> ListenAddress {
    do {
      return try ListenAddress(parsing: listen)
    } catch {
      throw ValidationError(TerminalText.sanitized("--listen: \(ErrorText.commandLine(error))"))
    }
  }

  func run() async throws {
    let listen = try address()
    let history: BuildStore
    let access: AccessPolicy?
    do {
      access = try self.access()
      history = try store.open(creating: true, concurrentReads: true)
    } catch {
      throw fail(error)
    }
    if let access, access.tokens.entries.isEmpty {
      warn(
        "\(tokens ?? "") lists no token: only health checks\(readAnonymous ? " and reads" : "") will be answered"
      )
    }
    if !listen.isLoopback, access == nil {
      warn(
        "listening on \(listen), beyond this machine, without --tokens: anyone who reaches it can read the history and record builds into it"
      )
    } else if !listen.isLoopback, readAnonymous {
      warn(
        "listening on \(listen), beyond this machine, with anonymous reads: anyone who reaches it can read the history"
      )
    }
    let path = history.path
    do {
      let limits = UploadLimits(
        maxUploadBytes: maxUploadBytes, maxConcurrentUploads: maxConcurrentUploads,
        idleTimeoutSeconds: idleTimeout == 0 ? nil : idleTimeout)
      try await HistoryServer(listen: listen, store: history, access: access, limits: limits).run {
        address in
        note("serving \(path) on http://\(address)")
      }
    } catch let error as BuildtrailError {
      throw fail(error)
    } catch {
      throw fail(
        BuildtrailError.invalidArgument(
          "cannot serve on \(listen): \(error); pass another --listen address"))
    }
    note("stopped")
  }
}
