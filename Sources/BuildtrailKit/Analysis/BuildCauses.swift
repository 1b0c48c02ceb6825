import BuildStore
import Foundation

/// `why` for each build of a history, computed once per build: `broke` asks it for every missed step.
struct BuildCauses {
  var explainer: CacheExplainer
  private var cache: [Int64: CacheExplanation?] = [:]

  init(explainer: CacheExplainer) {
    self.explainer = explainer
  }

  /// The build's explanation against its chosen baseline, nil when it cannot be explained.
  mutating func explanation(of build: Int64) -> CacheExplanation? {
    if let known = cache[build] { return known }
    let explanation = try? explainer.explain(buildID: build)
    cache[build] = explanation
    return explanation
  }

  /// The cause of the root miss that made the step with `key` run in `build`, and that root step.
  mutating func of(_ key: String, in build: Int64) -> (cause: MissCause?, root: StoredStep?) {
    guard let explanation = explanation(of: build),
      let miss = explanation.rootMisses.first(where: {
        $0.step.key == key || $0.cascade.contains { $0.key == key }
      })
    else { return (nil, nil) }
    return (miss.cause, miss.step)
  }
}
