import BuildStore
import BuildtrailKit
import Foundation

extension BuildCheck {
  /// One finding in words, as the table, the CSV, the JSON `message` and the annotations give it.
  public func message(_ finding: Finding) -> String {
    let id = build.id
    switch finding.check {
    case "outcome":
      return "build \(id) failed"
    case "duration":
      guard let median = finding.baselineMedian, let limit = finding.limit else {
        return
          "no earlier successful build of \(build.branch ?? "this branch") to compare the duration with"
      }
      let text =
        "\(formatSeconds(finding.seconds)) against a median of \(formatSeconds(median)) over the last "
        + "\(baseline.count) successful builds (\(percent(finding.actual ?? 0)), "
        + "limit +\(percent(limit, signed: false)))"
      return (finding.level == .failure ? "build \(id) is slower: " : "duration ok: ") + text
    case "cache-hit":
      guard let ratio = finding.actual, let minimum = finding.limit else {
        return "build \(id) has no cacheable steps"
      }
      let text =
        "\(finding.stepsCached ?? 0) of \(finding.stepsTotal ?? 0) steps cached "
        + "(\(percent(ratio, signed: false)), minimum \(percent(minimum, signed: false)))"
      return
        (finding.level == .failure ? "build \(id) hit the cache too little: " : "cache hits ok: ")
        + text
    default:
      return finding.check
    }
  }
}
