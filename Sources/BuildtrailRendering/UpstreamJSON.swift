import BuildStore
import BuildtrailKit
import Foundation

/// `why --format json`: a root miss's `upstream` object, the earlier step of its chain whose input changed.
struct UpstreamJSON: Encodable {
  /// The build that rebuilt the earlier step: enough to find it.
  struct Rebuilder: Encodable {
    var id: Int64
    var target: String?
    var branch: String?
    var commit: String?
  }

  /// The earlier step, as this build's log names it.
  var step: String
  var stage: String
  var otherStage: Bool
  /// The latest recorded build between the baseline and this one that ran the earlier step.
  var rebuiltBy: Rebuilder?

  init(_ change: UpstreamChange) {
    step = change.step.name
    stage = change.stage
    otherStage = change.isOtherStage
    rebuiltBy = change.rebuiltBy.map {
      Rebuilder(id: $0.id, target: $0.target, branch: $0.branch, commit: $0.commit)
    }
  }
}
