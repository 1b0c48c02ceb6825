import AsyncHTTPClient
import BuildtrailKit
import Foundation
import NIOCore
import NIOHTTP1

/// Talks to one `buildtrail serve` instance: reads query results and sends uploads, with the bearer
/// token when one is given. Connection failures and error statuses become ``ClientError``s.
public struct HistoryClient: Sendable {
  /// The largest answer read; a larger one is refused as not from buildtrail.
  public static let maximumAnswerBytes = 256 << 20

  /// The server.
  public var address: ServerAddress
  /// The bearer token sent with every request, if any.
  public var token: String?
  /// How long a query may take, from connecting to the last byte of the answer.
  public var queryTimeout: TimeAmount = .seconds(60)

  /// A client of the server at `address`, sending `token`.
  public init(address: ServerAddress, token: String?) {
    self.address = address
    self.token = token.flatMap { $0.isEmpty ? nil : $0 }
  }

  /// `GET path?query`; the answer whatever its status.
  /// - Throws: ``ClientError/unreachable(_:reason:)`` when no answer came.
  public func get(_ path: String, query: [(String, String)] = []) async throws -> ClientResponse {
    try await send(.GET, path, query: query, timeout: queryTimeout)
  }

  /// `GET path?query` answered 200: its body.
  /// - Throws: ``ClientError/status(_:message:url:)`` for any other status.
  public func fetch(_ path: String, query: [(String, String)] = []) async throws -> Data {
    let response = try await get(path, query: query)
    guard response.status == 200 else {
      throw ClientError.status(
        response.status, message: response.errorMessage, url: address.url(path))
    }
    return response.body
  }

  /// Sends a request and reads the whole answer (at most ``maximumAnswerBytes``).
  public func send(
    _ method: HTTPMethod, _ path: String, query: [(String, String)] = [],
    headers: [(String, String)] = [], body: HTTPClientRequest.Body? = nil, timeout: TimeAmount
  ) async throws -> ClientResponse {
    let url = address.url(path, query: query)
    var request = HTTPClientRequest(url: url)
    request.method = method
    request.headers.add(name: "User-Agent", value: "buildtrail/\(BuildtrailVersion.current)")
    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    request.body = body
    do {
      let response = try await Self.http.execute(request, timeout: timeout)
      let body = try await response.body.collect(upTo: Self.maximumAnswerBytes)
      return ClientResponse(
        status: Int(response.status.code), body: Data(body.readableBytesView),
        retryAfter: response.headers.first(name: "Retry-After").flatMap { Int($0) })
    } catch let error as ClientError {
      throw error
    } catch let error as NIOTooManyBytesError {
      throw ClientError.badAnswer(address.url(path), reason: "\(error)")
    } catch {
      throw ClientError.unreachable(address.url(path), reason: Self.reason(error, timeout: timeout))
    }
  }

  /// A short reason for a failed request.
  static func reason(_ error: any Error, timeout: TimeAmount) -> String {
    if let error = error as? HTTPClientError {
      switch error {
      case .connectTimeout: return "no connection within 10 s"
      case .deadlineExceeded, .readTimeout:
        return "no answer within \(timeout.nanoseconds / 1_000_000_000) s"
      case .remoteConnectionClosed: return "the server closed the connection"
      default: return "\(error)"
      }
    }
    let text = "\(error)"
    if text.contains("connection refused") || text.contains("Connection refused") {
      return "connection refused (is `buildtrail serve` running there?)"
    }
    return text
  }
}
