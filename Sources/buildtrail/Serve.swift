import ArgumentParser
import BuildStore
import BuildtrailKit
import BuildtrailRendering
import BuildtrailServer
import Foundation

struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Serve the history over HTTP: every query's JSON under /api/v1, the HTML report at /.",
    discussion: """
      buildtrail serve --db /var/lib/buildtrail/history.db
      buildtrail serve --listen 0.0.0.0:8080   # every interface (default: 127.0.0.1 only)
      Stops on SIGTERM or SIGINT after finishing the requests in flight.
      """)

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Where to listen, HOST:PORT ([::1]:8080 for IPv6; port 0 picks a free one).",
      valueName: "host:port"))
  var listen = "127.0.0.1:8080"
  @OptionGroup var store: StoreOptions

  func validate() throws {
    _ = try address()
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
    if !listen.isLoopback {
      warn(
        "listening on \(listen), beyond this machine, with no access control: anyone who reaches it can read the history"
      )
    }
    let history: BuildStore
    do {
      history = try store.open(creating: true)
    } catch {
      throw fail(error)
    }
    let path = history.path
    do {
      try await HistoryServer(listen: listen, store: history).run { address in
        note("serving \(path) on http://\(address)")
      }
    } catch {
      throw fail(
        BuildtrailError.invalidArgument(
          "cannot serve on \(listen): \(error); pass another --listen address"))
    }
    note("stopped")
  }
}
