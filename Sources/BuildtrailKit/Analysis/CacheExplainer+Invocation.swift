import BuildStore
import Foundation

extension CacheExplainer {
  /// A cause that the way the build was invoked explains: a recorded build argument that changed (it
  /// comes before the files a step reads, as in BuildKit's cache key, but after a change to the
  /// instruction itself); or, when no input changed, the cache plumbing (`--no-cache`, a new builder, a
  /// failed import), else a build argument inferred from the history. Nil leaves `cause` as it is.
  func invocationCause(
    of group: MissGroup, given cause: MissCause, build: BuildDetail, baseline: BuildDetail,
    dockerfile: Dockerfile?
  ) throws -> MissCause? {
    let arguments = BuildArgumentCause(
      build: build, baseline: baseline, dockerfile: dockerfile, store: store)
    let stepsRan = 1 + group.cascade.count
    switch cause {
    case .dockerfile, .noBaseline, .buildArgument, .cachePlumbing:
      return nil
    case .cacheLost:
      if let change = arguments.recordedChange(for: group.root, stepsRan: stepsRan) {
        return .buildArgument(change)
      }
      if let finding = CachePlumbingCause(build: build, baseline: baseline).finding(for: group.root)
      {
        return .cachePlumbing(finding)
      }
      return try arguments.inferredChange(for: group.root, stepsRan: stepsRan).map(
        MissCause.buildArgument)
    default:
      return arguments.recordedChange(for: group.root, stepsRan: stepsRan).map(
        MissCause.buildArgument)
    }
  }
}
