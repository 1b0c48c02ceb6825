import Foundation

/// Who may do what: the tokens of a ``TokenFile``, and whether reading needs one. Health checks
/// never do. A presented token is hashed and compared with every stored hash in constant time.
public struct AccessPolicy: Sendable {
  public var tokens: TokenFile
  /// Whether anyone may read without a token (a bad token is still refused).
  public var readAnonymous: Bool

  public init(tokens: TokenFile, readAnonymous: Bool) {
    self.tokens = tokens
    self.readAnonymous = readAnonymous
  }

  /// The answer to one request.
  enum Decision: Equatable {
    /// Go on; the token's name when one was given.
    case allowed(String?)
    /// 401: no token where one is needed, or one that is not known.
    case unauthenticated(String)
    /// 403: a known token without the scope.
    case forbidden(String)
  }

  /// Whether a request with `authorization` (the header's value) may do what `scope` allows.
  func decide(authorization: String?, needs scope: TokenScope) -> Decision {
    guard let authorization else {
      if scope == .read && readAnonymous { return .allowed(nil) }
      return .unauthenticated("this needs a bearer token with scope \(scope.rawValue)")
    }
    let parts = authorization.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else {
      return .unauthenticated("the Authorization header takes `Bearer TOKEN`")
    }
    let token = parts[1].trimmingCharacters(in: .whitespaces)
    guard token.utf8.count <= AccessToken.maxLength, let entry = match(token) else {
      return .unauthenticated("the token is not known to this server")
    }
    guard entry.scopes.contains(scope) else {
      return .forbidden(
        "the token \(entry.name) has scope \(entry.scopes.sorted().map(\.rawValue).joined(separator: ",")); this needs \(scope.rawValue)"
      )
    }
    return .allowed(entry.name)
  }

  /// The entry whose hash is `token`'s, comparing with every entry in constant time.
  private func match(_ token: String) -> TokenFile.Entry? {
    let digest = AccessToken.digest(token)
    var found: TokenFile.Entry?
    for entry in tokens.entries {
      var difference: UInt8 = 0
      for (a, b) in zip(entry.digest, digest) { difference |= a ^ b }
      if difference == 0 && entry.digest.count == digest.count { found = entry }
    }
    return found
  }
}
