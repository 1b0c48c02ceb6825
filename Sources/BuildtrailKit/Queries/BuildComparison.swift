import BuildStore
import Foundation

/// Loads builds for `diff`.
public struct BuildComparison {
  /// The history the builds are read from.
  public var store: BuildStore

  /// A comparison over `store`.
  public init(store: BuildStore) {
    self.store = store
  }

  /// Compares build `before` with build `after` (the latest, of `service` when given, when nil).
  public func diff(_ before: Int64, _ after: Int64?, service: String? = nil) throws -> BuildDiff {
    let newer = try store.chosenBuildID(after, service: service)
    guard let a = try store.build(id: before) else { throw StoreError.noSuchBuild(String(before)) }
    guard let b = try store.build(id: newer) else { throw StoreError.noSuchBuild(String(newer)) }
    return BuildDiff(before: a, after: b)
  }
}
