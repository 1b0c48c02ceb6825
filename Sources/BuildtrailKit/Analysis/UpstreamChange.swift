import BuildStore
import Foundation

/// A change to an input of a step earlier in a missed step's chain, which stayed `CACHED` in this build
/// because another build (another target sharing the stage, another branch) had already rebuilt it since
/// the baseline.
public struct UpstreamChange: Sendable, Codable {
  /// The earlier step whose input changed, as this build's log names it.
  public var step: StoredStep
  /// Its stage's display name (`base`).
  public var stage: String
  /// Whether that step is in another stage than the missed step.
  public var isOtherStage: Bool
  /// The latest recorded build between the baseline and this build that ran the earlier step; nil when
  /// none is recorded (a build recorded elsewhere, or a cache import).
  public var rebuiltBy: BuildSummary?
  /// The branch of the build being explained (the rebuilding build's branch is named when it differs).
  public var branch: String?

  /// Creates an upstream change.
  public init(
    step: StoredStep, stage: String, isOtherStage: Bool, rebuiltBy: BuildSummary?, branch: String?
  ) {
    self.step = step
    self.stage = stage
    self.isOtherStage = isOtherStage
    self.rebuiltBy = rebuiltBy
    self.branch = branch
  }

}
