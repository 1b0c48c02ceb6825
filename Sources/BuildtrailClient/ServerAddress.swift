import Foundation

/// The base URL of a `buildtrail serve` instance: `http` or `https`, a host, an optional port and
/// path prefix (behind a reverse proxy), no query or fragment.
public struct ServerAddress: Sendable, Equatable, CustomStringConvertible {
  /// The URL every route is appended to, without a trailing slash.
  public let base: String

  /// Reads `text`, as given to `--server` or `BUILDTRAIL_SERVER`.
  /// - Throws: ``ClientError/badAddress(_:reason:)`` when it is not such a URL.
  public init(parsing text: String) throws {
    guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased()
    else {
      throw ClientError.badAddress(text, reason: "not a URL; give http://HOST:PORT")
    }
    guard scheme == "http" || scheme == "https" else {
      throw ClientError.badAddress(text, reason: "only http:// and https:// are served")
    }
    guard let host = components.host, !host.isEmpty else {
      throw ClientError.badAddress(text, reason: "no host; give http://HOST:PORT")
    }
    guard components.query == nil, components.fragment == nil, components.user == nil,
      components.password == nil
    else {
      throw ClientError.badAddress(
        text, reason: "no query, fragment or user in the URL; pass the token with --token")
    }
    var path = components.percentEncodedPath
    while path.hasSuffix("/") { path.removeLast() }
    let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    base = "\(scheme)://\(shownHost)\(components.port.map { ":\($0)" } ?? "")\(path)"
  }

  /// The URL of `path` (which starts with `/`) with `query` percent-encoded.
  public func url(_ path: String, query: [(String, String)] = []) -> String {
    guard !query.isEmpty else { return base + path }
    var components = URLComponents()
    components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
    let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    return base + path + "?" + encoded
  }

  public var description: String { base }
}
