/// The data form's error body: the message every error body has, and the typed error when there is one.
public struct QueryFailureBody: Sendable, Codable {
  /// The error's message, as in the documented error body.
  public var error: String
  /// The error itself, when the client can throw it again.
  public var failure: QueryFailure?

  public init(error: String, failure: QueryFailure?) {
    self.error = error
    self.failure = failure
  }
}
