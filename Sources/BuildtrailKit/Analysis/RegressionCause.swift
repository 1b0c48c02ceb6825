import Foundation

/// What `why` found at a regression's first build against the build before it; renderers word it.
public enum RegressionCause: Sendable, Codable {
  /// The cause of the step's own cache miss (a step series, or a cache ratio with a step).
  case stepMiss(MissCause)
  /// The whole build's explanation (the cache hit ratio of the build).
  case build(CacheExplanation)
  /// An input that changed at this build (a duration series: `why` explains misses, not slowness, so
  /// only a concrete input change is named).
  case inputChange(MissCause)
}
