import Foundation

/// Why a request to a `buildtrail serve` instance did not give an answer to use.
public enum ClientError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The server address given is not usable.
  case badAddress(String, reason: String)
  /// The server could not be reached (refused, no route, name not found, TLS failed) or stopped
  /// answering within the time allowed.
  case unreachable(String, reason: String)
  /// The server answered with an error status; `message` is its `error` field, or the start of
  /// its body.
  case status(Int, message: String, url: String)
  /// The server answered, but not with what this client understands.
  case badAnswer(String, reason: String)
  /// The log to send could not be read whole.
  case unreadableLog(String, reason: String)

  /// Whether trying again later may succeed: unreachable, a server error (5xx), 408 and 429.
  public var isTransient: Bool {
    switch self {
    case .unreachable: return true
    case .status(let code, _, _): return code >= 500 || code == 408 || code == 429
    case .badAddress, .badAnswer, .unreadableLog: return false
    }
  }

  /// 401 and 403: the token is wrong for every request, not this one.
  public var isAboutAccess: Bool {
    if case .status(let code, _, _) = self { return code == 401 || code == 403 }
    return false
  }

  public var description: String {
    switch self {
    case .badAddress(let text, let reason):
      return "server address \(text): \(reason)"
    case .unreachable(let url, let reason):
      return "cannot reach \(url): \(reason)"
    case .status(let code, let message, let url):
      return "\(url) answered \(code): \(message)"
    case .badAnswer(let url, let reason):
      return "\(url) answered something else than buildtrail serve does: \(reason)"
    case .unreadableLog(let path, let reason):
      return "cannot send \(path): \(reason)"
    }
  }
}
