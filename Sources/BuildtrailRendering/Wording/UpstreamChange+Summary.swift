import BuildStore
import BuildtrailKit
import Foundation

extension UpstreamChange {
  /// `the base stage's requirements/base.txt changed: structlog 24.4.0 → 25.4.0; build 3 of target worker
  /// rebuilt it`, for the change `cause`.
  public func summary(of cause: MissCause) -> String {
    var text =
      isOtherStage ? "the \(stage) stage's \(cause.summary)" : "\(cause.summary) before this step"
    if let build = rebuiltBy {
      text += "; build \(build.id)" + (build.target.map { " of target \($0)" } ?? "")
      if let other = build.branch, other != branch { text += " on \(other)" }
      text += " rebuilt it"
    } else {
      text += "; no recorded build since the baseline rebuilt it (cached from elsewhere)"
    }
    return text
  }
}
