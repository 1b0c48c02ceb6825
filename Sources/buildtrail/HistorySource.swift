import BuildStore
import BuildtrailClient
import BuildtrailKit
import Foundation

/// Where a query command reads: a local history file, or a `buildtrail serve` instance that answers
/// with the same use case's value. Either way the command renders the value itself.
enum HistorySource {
  case local(StoreOptions)
  case remote(HistoryClient)

  /// The value `local` computes from the local history, or the one the server's route `path`
  /// answers for `query` (parameters whose value is nil are left out).
  func read<T: Decodable & Sendable>(
    path: String, query: [(String, String?)] = [], local: (BuildStore) throws -> T
  ) throws -> T {
    switch self {
    case .local(let options):
      return try local(try options.open())
    case .remote(let client):
      let pairs = query.compactMap { name, value in value.map { (name, $0) } }
      do {
        return try Synchronously.run { try await client.data(T.self, path, query: pairs) }
      } catch let error as ClientError where error.isAboutAccess {
        throw BuildtrailError.invalidArgument(ClientErrorText.line(error, scope: "read"))
      }
    }
  }

  /// A build id as a route's path segment: the id, or `latest`.
  static func segment(_ build: Int64?) -> String {
    build.map(String.init) ?? "latest"
  }

  /// Text as one percent-encoded path segment.
  static func segment(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }
}
