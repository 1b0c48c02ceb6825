/// What `import` did: the builds it added and the ones the history already had.
public struct ImportReport: Sendable, Equatable, Codable {
  /// The file imported from, as given.
  public var source: String
  /// Ids the new builds got here.
  public var imported: [Int64]
  /// Ids, here, of the builds that were already recorded (same log, same position).
  public var skipped: [Int64]

  /// A report of `imported` and `skipped` ids from `source`.
  public init(source: String, imported: [Int64], skipped: [Int64]) {
    self.source = source
    self.imported = imported
    self.skipped = skipped
  }
}
