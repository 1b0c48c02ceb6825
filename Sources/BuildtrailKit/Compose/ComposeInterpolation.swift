import Foundation

/// Compose's variable interpolation in a file's values: `$VAR`, `${VAR}`, `${VAR:-default}`,
/// `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alternative}`, `${VAR+alternative}`,
/// and `$$` for a literal `$`. Defaults and alternatives may hold interpolations themselves.
/// An unset `$VAR` becomes empty, as compose makes it (with a warning there).
public struct ComposeInterpolation: Sendable {
  /// The value of a variable, nil when unset.
  public var lookup: @Sendable (String) -> String?
  /// The deepest nesting of `${…}` in a default read.
  static let maximumDepth = 32

  /// An interpolation reading variables with `lookup`.
  public init(lookup: @escaping @Sendable (String) -> String?) {
    self.lookup = lookup
  }

  /// Interpolation from a table of variables.
  public init(variables: [String: String]) {
    self.lookup = { variables[$0] }
  }

  /// `text` with its variables replaced; `file` names it in errors.
  public func interpolate(_ text: String, file: String) throws -> String {
    guard text.contains("$") else { return text }
    return try interpolate(Array(text.unicodeScalars)[...], file: file, depth: 0)
  }

  private func interpolate(_ text: ArraySlice<Unicode.Scalar>, file: String, depth: Int) throws
    -> String
  {
    guard depth <= Self.maximumDepth else {
      throw ComposeError.interpolation(
        file, reason: "${…} nested more than \(Self.maximumDepth) deep")
    }
    var result = String.UnicodeScalarView()
    var index = text.startIndex
    while index < text.endIndex {
      let c = text[index]
      guard c == "$" else {
        result.append(c)
        index += 1
        continue
      }
      let next = index + 1
      guard next < text.endIndex else { throw invalid(text, file) }
      if text[next] == "$" {
        result.append("$")
        index = next + 1
      } else if text[next] == "{" {
        guard let close = matchingBrace(text, from: next) else { throw invalid(text, file) }
        let inner = text[(next + 1)..<close]
        result.append(contentsOf: try braced(inner, file: file, depth: depth).unicodeScalars)
        index = close + 1
      } else if Self.isNameStart(text[next]) {
        var end = next + 1
        while end < text.endIndex, Self.isNameCharacter(text[end]) { end += 1 }
        let name = String(String.UnicodeScalarView(text[next..<end]))
        result.append(contentsOf: (lookup(name) ?? "").unicodeScalars)
        index = end
      } else {
        throw invalid(text, file)
      }
    }
    return String(result)
  }

  private func braced(_ inner: ArraySlice<Unicode.Scalar>, file: String, depth: Int) throws
    -> String
  {
    var end = inner.startIndex
    while end < inner.endIndex, Self.isNameCharacter(inner[end]) { end += 1 }
    guard end > inner.startIndex, Self.isNameStart(inner[inner.startIndex]) else {
      throw invalid(inner, file)
    }
    let name = String(String.UnicodeScalarView(inner[inner.startIndex..<end]))
    let value = lookup(name)
    guard end < inner.endIndex else { return value ?? "" }
    var operation = String(inner[end])
    var rest = end + 1
    if inner[end] == ":", rest < inner.endIndex {
      operation += String(inner[rest])
      rest += 1
    }
    let word = inner[rest...]
    let setAndNonEmpty = value.map { !$0.isEmpty } ?? false
    switch operation {
    case ":-":
      return setAndNonEmpty ? value ?? "" : try interpolate(word, file: file, depth: depth + 1)
    case "-":
      if let value { return value }
      return try interpolate(word, file: file, depth: depth + 1)
    case ":+": return setAndNonEmpty ? try interpolate(word, file: file, depth: depth + 1) : ""
    case "+": return value != nil ? try interpolate(word, file: file, depth: depth + 1) : ""
    case ":?", "?":
      let missing = operation == ":?" ? !setAndNonEmpty : value == nil
      guard missing else { return value ?? "" }
      let message = try interpolate(word, file: file, depth: depth + 1)
      throw ComposeError.interpolation(
        file,
        reason: "required variable \(name) is missing a value"
          + (message.isEmpty ? "" : ": \(message)"))
    default:
      throw invalid(inner, file)
    }
  }

  private func matchingBrace(_ text: ArraySlice<Unicode.Scalar>, from open: Int) -> Int? {
    var depth = 0
    var index = open
    while index < text.endIndex {
      if text[index] == "{" {
        depth += 1
      } else if text[index] == "}" {
        depth -= 1
        if depth == 0 { return index }
      }
      index += 1
    }
    return nil
  }

  private func invalid(_ text: ArraySlice<Unicode.Scalar>, _ file: String) -> ComposeError {
    let shown = String(String.UnicodeScalarView(text.prefix(80)))
    return .interpolation(
      file, reason: "invalid interpolation format in \"\(shown)\" (write $$ for a literal $)")
  }

  private static func isNameStart(_ c: Unicode.Scalar) -> Bool {
    c == "_" || (c.isASCII && c.properties.isAlphabetic)
  }

  private static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
    isNameStart(c) || ("0"..."9").contains(c)
  }
}
