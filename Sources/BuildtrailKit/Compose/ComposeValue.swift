import Foundation

/// A compose file's YAML, read into plain values: scalars are kept as the text written
/// (`1`, `true`, `"1"` all become strings, as compose passes them to the build).
public indirect enum ComposeValue: Sendable, Equatable {
  case string(String)
  /// A mapping, its keys in the order written.
  case map([(key: String, value: ComposeValue)])
  case list([ComposeValue])
  case null

  /// Whether two values are the same, maps compared key by key in order.
  public static func == (lhs: ComposeValue, rhs: ComposeValue) -> Bool {
    switch (lhs, rhs) {
    case (.string(let a), .string(let b)): return a == b
    case (.list(let a), .list(let b)): return a == b
    case (.null, .null): return true
    case (.map(let a), .map(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: return false
    }
  }

  /// The value under `key`, for a mapping.
  public subscript(key: String) -> ComposeValue? {
    guard case .map(let pairs) = self else { return nil }
    return pairs.last { $0.key == key }?.value
  }

  /// The text of a scalar.
  public var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The pairs of a mapping (empty for anything else).
  public var pairs: [(key: String, value: ComposeValue)] {
    if case .map(let pairs) = self { return pairs }
    return []
  }

  /// The items of a sequence, or the scalar alone (`profiles: debug`); empty for anything else.
  public var items: [ComposeValue] {
    switch self {
    case .list(let items): return items
    case .string: return [self]
    default: return []
    }
  }

  /// A YAML boolean as compose reads it (`true`, `yes`, `on`, any case).
  public var isTrue: Bool {
    ["true", "yes", "on", "y"].contains(string?.lowercased() ?? "")
  }

  /// `self` with `other` laid over it, as compose merges override files: mappings merge key by
  /// key, anything else in `other` replaces what is here.
  public func merged(with other: ComposeValue) -> ComposeValue {
    guard case .map(var mine) = self, case .map(let theirs) = other else { return other }
    for (key, value) in theirs {
      if let index = mine.firstIndex(where: { $0.key == key }) {
        mine[index].value = mine[index].value.merged(with: value)
      } else {
        mine.append((key, value))
      }
    }
    return .map(mine)
  }

  /// Every scalar passed through `transform`, keys untouched.
  public func mapStrings(_ transform: (String) throws -> String) rethrows -> ComposeValue {
    switch self {
    case .string(let s): return .string(try transform(s))
    case .list(let items): return .list(try items.map { try $0.mapStrings(transform) })
    case .map(let pairs):
      return .map(try pairs.map { ($0.key, try $0.value.mapStrings(transform)) })
    case .null: return .null
    }
  }
}
