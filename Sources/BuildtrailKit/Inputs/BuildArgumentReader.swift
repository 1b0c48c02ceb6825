import BuildStore
import Crypto
import Foundation

/// Reads `--build-arg` words into the arguments recorded with a build, the way the Docker CLI reads
/// them: `NAME=VALUE`, or `NAME` alone to take the value from the environment (left unset when the
/// environment has none); the last word for a name wins. Names that look secret keep only a hash.
public enum BuildArgumentReader {
  /// Name parts that make an argument secret, matched anywhere in the name, in any case.
  public static let secretMarkers = ["TOKEN", "PASSWORD", "SECRET", "KEY"]

  /// Whether `name` looks like it holds a secret (`NPM_TOKEN`, `db_password`, `AWS_SECRET_ACCESS_KEY`).
  public static func isSecret(_ name: String) -> Bool {
    let upper = name.uppercased()
    return secretMarkers.contains { upper.contains($0) }
  }

  /// Whether a `--build-arg` word can be read: a non-empty name before any `=`.
  public static func isValid(_ word: String) -> Bool {
    !word.isEmpty && !word.hasPrefix("=")
  }

  /// The arguments `words` give, in first-mention order with the last value for each name.
  public static func facts(
    _ words: [String], source: BuildArgumentFact.Source, environment: [String: String]
  ) -> [BuildArgumentFact] {
    var result: [BuildArgumentFact] = []
    for word in words where isValid(word) {
      let fact = fact(word, source: source, environment: environment)
      if let index = result.firstIndex(where: { $0.name == fact.name }) {
        result[index] = fact
      } else {
        result.append(fact)
      }
    }
    return result
  }

  /// The wrapped command's arguments with `record --build-arg` ones on top (they win for a name).
  public static func merged(command: [BuildArgumentFact], options: [BuildArgumentFact])
    -> [BuildArgumentFact]
  {
    var result = command
    for option in options {
      if let index = result.firstIndex(where: { $0.name == option.name }) {
        result[index] = option
      } else {
        result.append(option)
      }
    }
    return result
  }

  private static func fact(
    _ word: String, source: BuildArgumentFact.Source, environment: [String: String]
  ) -> BuildArgumentFact {
    let name: String
    let value: String?
    let fromEnvironment: Bool
    if let equals = word.firstIndex(of: "=") {
      name = String(word[..<equals])
      value = String(word[word.index(after: equals)...])
      fromEnvironment = false
    } else {
      name = word
      value = environment[word]
      fromEnvironment = true
    }
    let secret = isSecret(name)
    let digest = value.map { hexString(SHA256.hash(data: Data($0.utf8))) }
    return BuildArgumentFact(
      name: name, value: secret ? nil : value, sha256: digest, secret: secret, source: source,
      fromEnvironment: fromEnvironment)
  }
}
