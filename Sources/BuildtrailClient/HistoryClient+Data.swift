import BuildtrailKit
import Foundation

extension HistoryClient {
  /// `GET path?query` answered in ``QueryData``'s form: the use case's value, for the caller to
  /// render as from a local history.
  /// - Throws: the use case's own error (`StoreError`, `BuildtrailError`) when the server's error
  ///   body carries it; else ``ClientError/status(_:message:url:)`` for a status other than 200,
  ///   ``ClientError/badAnswer(_:reason:)`` for a body that is not a `T`, or
  ///   ``ClientError/unreachable(_:reason:)``.
  public func data<T: Decodable & Sendable>(
    _ type: T.Type, _ path: String, query: [(String, String)] = []
  ) async throws -> T {
    let response = try await send(
      .GET, path, query: query, headers: [("Accept", QueryData.mediaType)], timeout: queryTimeout)
    let url = address.url(path, query: query)
    guard response.status == 200 else {
      if let body = try? QueryData.decode(QueryFailureBody.self, from: response.body),
        let failure = body.failure
      {
        throw failure.error
      }
      throw ClientError.status(response.status, message: response.errorMessage, url: url)
    }
    do {
      return try QueryData.decode(T.self, from: response.body)
    } catch {
      throw ClientError.badAnswer(url, reason: "its data is not the \(T.self) this client reads")
    }
  }
}
