import BuildStore
import Foundation

/// One build's page: what `show` says, what `why` says, and its neighbours on its branch and target.
public struct BuildPage: Sendable, Codable {
  /// The build and the kept output of its failed steps, as `show` reads them.
  public var shown: BuildQuery.Shown
  /// `why` for the build; nil when it could not be explained (see `whyUnavailable`).
  public var why: CacheExplanation?
  /// Why there is no explanation, in the store's or the explainer's words.
  public var whyUnavailable: String?
  /// The build recorded just before it with the same branch, target and service.
  public var previous: Int64?
  /// The build recorded just after it with the same branch, target and service.
  public var next: Int64?

  /// A page's data.
  public init(
    shown: BuildQuery.Shown, why: CacheExplanation?, whyUnavailable: String? = nil,
    previous: Int64? = nil, next: Int64? = nil
  ) {
    self.shown = shown
    self.why = why
    self.whyUnavailable = whyUnavailable
    self.previous = previous
    self.next = next
  }
}
