/// What ``CacheBreakFinder/find(stepPattern:branch:service:limit:)`` found, as one `Codable` value:
/// the branch and service looked at, and the steps.
public struct CacheBreakList: Sendable, Codable {
  public var branch: String?
  public var service: String?
  public var breaks: [CacheBreak]

  /// The finder's answer.
  public init(_ found: (branch: String?, service: String?, breaks: [CacheBreak])) {
    (branch, service, breaks) = found
  }

  /// The finder's answer, as renderers take it.
  public var found: (branch: String?, service: String?, breaks: [CacheBreak]) {
    (branch, service, breaks)
  }
}
