import Foundation

/// A server's answer: its status and body.
public struct ClientResponse: Sendable {
  /// The HTTP status code.
  public var status: Int
  /// The body, read whole (answers are bounded by ``HistoryClient/maximumAnswerBytes``).
  public var body: Data
  /// The `Retry-After` header in seconds, when the server sent one.
  public var retryAfter: Int?

  /// The `error` field of a JSON error body, else the start of the body as text.
  var errorMessage: String {
    struct Body: Decodable { var error: String }
    if let decoded = try? JSONDecoder().decode(Body.self, from: body) { return decoded.error }
    let text = String(decoding: body.prefix(200), as: UTF8.self)
      .split(whereSeparator: \.isNewline).first.map(String.init)
    return text ?? "no message"
  }
}
