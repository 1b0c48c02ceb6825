import Foundation

/// A build argument a build was given (`--build-arg NAME=VALUE`), as recorded: its value, or only the
/// SHA-256 of its value when the name looks secret.
public struct BuildArgumentFact: Sendable, Equatable, Codable {
  /// Where the argument was read.
  public enum Source: String, Sendable, Equatable, Codable {
    /// The wrapped build command (`record -- docker build --build-arg …`).
    case command
    /// `record --build-arg`.
    case option
  }

  /// The argument's name.
  public var name: String
  /// The value; nil when the name looks secret (only ``sha256`` is kept) or when it was unset.
  public var value: String?
  /// Lowercase hex SHA-256 of the value; nil when the argument was named without a value and the
  /// environment had none (the Dockerfile's default applies then).
  public var sha256: String?
  /// Whether the name looks secret (`*TOKEN*`, `*PASSWORD*`, `*SECRET*`, `*KEY*`, any case).
  public var secret: Bool
  /// Where it was read: the wrapped command or `record --build-arg`.
  public var source: Source
  /// Whether the value was taken from the environment (`--build-arg NAME` without `=`).
  public var fromEnvironment: Bool

  /// An argument as recorded; give `value` nil when it is secret.
  public init(
    name: String, value: String?, sha256: String?, secret: Bool, source: Source,
    fromEnvironment: Bool
  ) {
    self.name = name
    self.value = value
    self.sha256 = sha256
    self.secret = secret
    self.source = source
    self.fromEnvironment = fromEnvironment
  }

  /// Whether the argument had a value (given, or found in the environment).
  public var isSet: Bool { sha256 != nil }

  /// The value as it may be shown: the value itself, `sha256:<hex>` for a secret, nil when unset.
  public var shownValue: String? {
    guard let sha256 else { return nil }
    return secret ? "sha256:" + sha256 : value
  }
}
