import BuildStore
import BuildtrailKit
import Crypto

/// A bearer token: `bt_` and 64 hex digits of 32 random bytes. The service keeps only its SHA-256.
public enum AccessToken {
  /// The most characters a presented token may have before it is refused unread.
  static let maxLength = 256

  /// A new token from the system's cryptographic random source.
  public static func generate() -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    return "bt_" + lowercaseHex(bytes)
  }

  /// The SHA-256 of `token`'s UTF-8 bytes, as the tokens file stores it (64 lowercase hex digits).
  public static func hash(_ token: String) -> String {
    lowercaseHex(digest(token))
  }

  /// The SHA-256 of `token`'s UTF-8 bytes.
  static func digest(_ token: String) -> [UInt8] {
    Array(SHA256.hash(data: Array(token.utf8)))
  }

  /// A tokens-file line for a token with `hash`.
  public static func line(name: String, scopes: [TokenScope], hash: String) -> String {
    "\(name) \(scopes.sorted().map(\.rawValue).joined(separator: ",")) \(hash)"
  }

  /// Checks a token's name: 1 to 64 letters, digits, `.`, `_`, `-` or `@`.
  /// - Throws: ``BuildtrailError/invalidArgument(_:)`` saying what a name may hold.
  public static func checkName(_ name: String) throws {
    let allowed = name.unicodeScalars.allSatisfy {
      $0.isASCII
        && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
          || "._-@".unicodeScalars.contains($0))
    }
    guard allowed, (1...64).contains(name.count) else {
      throw BuildtrailError.invalidArgument(
        "a token name is 1 to 64 letters, digits, '.', '_', '-' or '@', got '\(name)'")
    }
  }
}
