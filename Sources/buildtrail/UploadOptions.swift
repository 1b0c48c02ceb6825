import ArgumentParser
import BuildtrailClient
import BuildtrailKit
import Foundation

/// `--server`, `--token` and `--spool`: where `record` and `push` send builds.
struct UploadOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Send the build to this `buildtrail serve` (default: $BUILDTRAIL_SERVER; --db records locally instead).",
      valueName: "url"))
  var server: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The bearer token with the record scope (default: $BUILDTRAIL_TOKEN, which keeps it out of the process list).",
      valueName: "token"))
  var token: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Where uploads wait while the server cannot be reached (default: $XDG_STATE_HOME/buildtrail/spool).",
      valueName: "dir"))
  var spool: String?

  func validate() throws {
    if let server { _ = try address(server) }
    if spool?.isEmpty == true { throw ValidationError("--spool needs a folder") }
  }

  /// The server to send to (``ServerSelection``), nil to record into the local history.
  func uploader(db: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
    throws -> BuildUploader?
  {
    do {
      return try ServerSelection.client(
        server: server, token: token, db: db, environment: environment
      ).map(BuildUploader.init(client:))
    } catch {
      throw ValidationError("--server: \(error)")
    }
  }

  /// The upload spool.
  func uploadSpool(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> UploadSpool
  {
    UploadSpool.resolve(flag: spool, environment: environment)
  }

  private func address(_ text: String) throws -> ServerAddress {
    do {
      return try ServerAddress(parsing: text)
    } catch {
      throw ValidationError("--server: \(error)")
    }
  }
}
