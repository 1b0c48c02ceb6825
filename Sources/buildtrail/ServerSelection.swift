import BuildtrailClient
import Foundation

/// Which `buildtrail serve` a command talks to, the same for the commands that send builds and the
/// ones that read: `--server`, else `$BUILDTRAIL_SERVER` unless `--db` names a local history; the
/// token is `--token`, else `$BUILDTRAIL_TOKEN`.
enum ServerSelection {
  /// The client to use, or nil for the local history. Throws when the URL does not parse.
  static func client(
    server: String?, token: String?, db: String?, environment: [String: String]
  ) throws -> HistoryClient? {
    let fromEnvironment = db == nil ? environment["BUILDTRAIL_SERVER"] : nil
    guard let text = server ?? fromEnvironment.flatMap({ $0.isEmpty ? nil : $0 }) else {
      return nil
    }
    return HistoryClient(
      address: try ServerAddress(parsing: text), token: token ?? environment["BUILDTRAIL_TOKEN"])
  }
}
