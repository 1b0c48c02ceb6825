import BuildStore
import Foundation

/// The data of one build's HTML page, from the use cases `show` and `why` run.
public struct BuildPageQuery {
  /// The history to read.
  public var store: BuildStore

  /// A query over `store`.
  public init(store: BuildStore) {
    self.store = store
  }

  /// Build `buildID`'s page. A build `why` cannot explain still has its page, saying why not.
  /// - Throws: ``StoreError/noSuchBuild(_:)`` for a build that is not in the history.
  public func page(_ buildID: Int64) throws -> BuildPage {
    let shown = try BuildQuery(store: store).build(buildID)
    var why: CacheExplanation?
    var unavailable: String?
    do {
      why = try CacheExplainer(store: store).explain(buildID: buildID)
    } catch {
      unavailable = String(describing: error)
    }
    let neighbours = try store.neighbours(of: buildID)
    return BuildPage(
      shown: shown, why: why, whyUnavailable: unavailable, previous: neighbours.previous,
      next: neighbours.next)
  }
}
