import AsyncHTTPClient
import NIOCore

extension HistoryClient {
  /// The HTTP client every request goes through: a refused or failed connection fails the request at
  /// once (the shared client's default retries it until the request's deadline, a minute for a
  /// query), and connecting may take at most 10 s.
  static let http: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.timeout.connect = .seconds(10)
    configuration.connectionPool.retryConnectionEstablishment = false
    return HTTPClient(
      eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
  }()
}
