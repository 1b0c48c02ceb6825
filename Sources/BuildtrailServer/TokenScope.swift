/// What a token lets its holder do: `read` the history (every GET), or `record` builds into it.
public enum TokenScope: String, Sendable, CaseIterable, Comparable {
  case read
  case record

  public static func < (lhs: TokenScope, rhs: TokenScope) -> Bool {
    lhs.rawValue < rhs.rawValue
  }
}
