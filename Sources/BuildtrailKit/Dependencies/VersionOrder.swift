import Foundation

/// Compares versions the way a user reads them: numeric dot segments, then pre-release tags (PEP 440-ish and semver-ish), good enough to say upgrade vs downgrade.
public enum VersionOrder {
  /// Orders `a` against `b`: `1.9 < 1.10`, `1.0 == 1.0.0`, `1.0.0rc1 < 1.0.0 < 1.0.0.post1`, `2.0.0-beta.2 < 2.0.0`; build metadata (`+…`) is ignored, and strings that are not versions compare as text.
  public static func compare(_ a: String, _ b: String) -> ComparisonResult {
    guard let left = Parsed(a), let right = Parsed(b) else {
      return a == b ? .orderedSame : (a < b ? .orderedAscending : .orderedDescending)
    }
    let count = max(left.release.count, right.release.count)
    for position in 0..<count {
      let order = compareNumbers(
        position < left.release.count ? left.release[position] : "0",
        position < right.release.count ? right.release[position] : "0")
      if order != .orderedSame { return order }
    }
    if left.phase != right.phase {
      return left.phase < right.phase ? .orderedAscending : .orderedDescending
    }
    return compareTags(left.tags[...], right.tags[...])
  }

  /// Whether the text is a plain version (`1.2.3`, `v1.2.3-rc.1`, `1.0.0rc1`, `2.1.0+cpu`), not a specifier, range or URL.
  static func isVersion(_ text: String) -> Bool {
    guard Parsed(text) != nil else { return false }
    return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-_+".contains($0)) }
  }

  /// A version split into numeric release segments, a phase (pre-release, final, post-release) and its tags.
  private struct Parsed {
    var release: [Substring]
    /// -1 pre-release, 0 final, 1 post-release.
    var phase: Int
    var tags: [Substring]

    init?(_ text: String) {
      var rest = Substring(text.lowercased())
      if let build = rest.firstIndex(of: "+") { rest = rest[..<build] }
      if rest.first == "v", rest.dropFirst().first?.isNumber == true { rest = rest.dropFirst() }
      release = []
      while let digit = rest.first, digit.isASCII, digit.isNumber {
        let number = rest.prefix(while: { $0.isASCII && $0.isNumber })
        release.append(number)
        rest = rest.dropFirst(number.count)
        guard rest.first == ".", let next = rest.dropFirst().first, next.isASCII, next.isNumber
        else { break }
        rest = rest.dropFirst()
      }
      guard !release.isEmpty else { return nil }
      tags = Self.tags(rest)
      switch tags.first {
      case nil: phase = 0
      case "post", "rev", "r": phase = 1
      default: phase = -1
      }
    }

    /// `rc1` → [rc, 1]; `-beta.2` → [beta, 2]; `.dev3` → [dev, 3]; `a1` → [alpha, 1].
    private static func tags(_ suffix: Substring) -> [Substring] {
      var tags: [Substring] = []
      var start = suffix.startIndex
      var index = suffix.startIndex
      func flush() {
        if start < index { tags.append(canonical(suffix[start..<index])) }
      }
      while index < suffix.endIndex {
        let character = suffix[index]
        if character == "." || character == "-" || character == "_" {
          flush()
          start = suffix.index(after: index)
        } else if index > start, suffix[suffix.index(before: index)].isNumber != character.isNumber
        {
          flush()
          start = index
        }
        index = suffix.index(after: index)
      }
      flush()
      return tags
    }

    private static func canonical(_ tag: Substring) -> Substring {
      switch tag {
      case "a": return "alpha"
      case "b": return "beta"
      case "c", "pre", "preview": return "rc"
      default: return tag
      }
    }
  }

  /// Semver precedence on tags: numbers numerically and before words; `dev` before other words; a `dev` tail lowers.
  private static func compareTags(_ a: ArraySlice<Substring>, _ b: ArraySlice<Substring>)
    -> ComparisonResult
  {
    for (left, right) in zip(a, b) where left != right {
      switch (isNumeric(left), isNumeric(right)) {
      case (true, true): return compareNumbers(left, right)
      case (true, false): return .orderedAscending
      case (false, true): return .orderedDescending
      case (false, false):
        if left == "dev" { return .orderedAscending }
        if right == "dev" { return .orderedDescending }
        return left < right ? .orderedAscending : .orderedDescending
      }
    }
    if a.count == b.count { return .orderedSame }
    let longerHasDevTail =
      a.count > b.count ? a[a.startIndex + b.count] == "dev" : b[b.startIndex + a.count] == "dev"
    return (a.count < b.count) != longerHasDevTail ? .orderedAscending : .orderedDescending
  }

  private static func isNumeric(_ tag: Substring) -> Bool {
    !tag.isEmpty && tag.allSatisfy { $0.isASCII && $0.isNumber }
  }

  /// Digit strings of any length, compared by value.
  private static func compareNumbers(_ a: Substring, _ b: Substring) -> ComparisonResult {
    let left = a.drop(while: { $0 == "0" })
    let right = b.drop(while: { $0 == "0" })
    if left.count != right.count {
      return left.count < right.count ? .orderedAscending : .orderedDescending
    }
    if left == right { return .orderedSame }
    return left < right ? .orderedAscending : .orderedDescending
  }
}
