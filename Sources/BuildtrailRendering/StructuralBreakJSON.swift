import BuildStore
import BuildtrailKit
import Foundation

/// A ``StructuralBreak`` in `why` and `broke` JSON.
struct StructuralBreakJSON: Encodable {
  var step: String
  var copy: String
  var sinceBuild: Int64
  var sinceCommit: String?
  var beforeBuild: Int64?
  var fixedByBuild: Int64?
  var fixedByCommit: String?
  var summary: String
  /// Empty once fixed.
  var advice: String?

  init(_ b: StructuralBreak) {
    step = b.step
    copy = b.copy
    sinceBuild = b.since.id
    sinceCommit = b.since.commit
    beforeBuild = b.before?.id
    fixedByBuild = b.fixedBy?.id
    fixedByCommit = b.fixedBy?.commit
    summary = b.summary
    advice = b.fixedBy == nil ? b.advice : nil
  }
}
