import BuildStore
import BuildtrailKit
import Foundation

extension BuildArgumentChange {
  /// The cause in words: `ARG GIT_SHA changed (3f2a… → 9c1d…); it is declared at line 12, before 7 steps that ran`.
  public var summary: String {
    let steps = stepsRan == 1 ? "1 step" : "\(stepsRan) steps"
    let place = "it is declared at line \(line), before \(steps) that ran"
    if inferred {
      return
        "ARG \(name) probably changes on every build (inferred: the step after it ran in \(missedBuilds ?? 0) of "
        + "the last \(comparedBuilds ?? 0) builds while the step before it was cached); \(place)"
    }
    return "ARG \(name) changed (\(Self.short(before)) → \(Self.short(after))); \(place)"
  }

  /// What to change so that the value stops busting the cache.
  public var advice: String {
    let record =
      inferred
      ? "record the build arguments (`record -- docker build …` or `record --build-arg`) to confirm; "
      : ""
    return record
      + "declare ARG \(name) just before the steps that need it (late in the last stage), or pass it as a label "
      + "or a file the final step copies, so that earlier steps keep their cache"
  }

  static func short(_ value: String?) -> String {
    guard let value else { return "unset" }
    if value.hasPrefix("sha256:") { return String(value.prefix(11)) + "…" }
    if value.isEmpty { return "\"\"" }
    return value.count > 10 ? String(value.prefix(4)) + "…" : value
  }
}
