import BuildStore
import BuildtrailKit
import Foundation

extension CacheExplanation {
  /// The one-line answer: what was rebuilt, how long it took, and why.
  public var verdict: String {
    var parts: [String] = []
    if let failed = failedStep {
      let name = failed.name.isEmpty ? "step #\(failed.vertex)" : failed.name
      parts.append("failed at \(name)" + (failure.map { ": \($0.signature.message)" } ?? ""))
    }
    let cacheable = build.steps.filter { $0.kind.isCacheable }
    if rootMisses.isEmpty {
      if baseline == nil && cacheable.allSatisfy({ $0.status == .cached }) == false {
        parts.append("no baseline to compare with; \(build.summary.stepsExecuted) steps ran")
      } else {
        parts.append(
          "no step lost its cache (\(build.summary.stepsCached) of \(build.summary.stepsTotal) cached)"
        )
      }
      return parts.joined(separator: "; ")
    }
    let steps = rebuiltSteps == 1 ? "1 step" : "\(rebuiltSteps) steps"
    var causes: [String] = []
    for miss in rootMisses where !causes.contains(miss.summary) { causes.append(miss.summary) }
    parts.append(
      "rebuilt \(steps) (+\(formatSeconds(costSeconds))): " + causes.joined(separator: "; "))
    return parts.joined(separator: "; ")
  }
}
