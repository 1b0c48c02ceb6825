import BuildtrailClient

/// The command line's words for a failed request to a server: what happened, and what to do.
enum ClientErrorText {
  /// A failure already worded for the command line.
  struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  /// `error` with the fix a user of the command line can apply.
  static func line(_ error: ClientError, scope: String) -> String {
    guard case .status(let code, _, _) = error else { return error.description }
    switch code {
    case 401:
      return error.description
        + "; pass --token TOKEN (or set BUILDTRAIL_TOKEN) with a token of scope \(scope)"
    case 403:
      return error.description + "; the token lacks the \(scope) scope: make one with "
        + "`buildtrail token new NAME --scope \(scope)` on the server"
    case 413:
      return error.description + "; the log is larger than the server's --max-upload-bytes"
    default:
      return error.description
    }
  }
}
