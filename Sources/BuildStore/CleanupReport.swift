/// What deleting builds and collecting the garbage they left removed.
public struct CleanupReport: Sendable, Equatable, Codable {
  /// The ids of the deleted builds, ascending.
  public var deletedBuilds: [Int64] = []
  /// Always 0 since schema 6, whose step names live in each build's record; kept for the JSON format.
  public var stepNames = 0
  /// Cache input contents no build refers to, and their stored bytes.
  public var inputBlobs = 0
  /// Stored bytes of those input contents.
  public var inputBlobBytes: Int64 = 0
  /// Context file-list tree nodes no build's tree reaches, and their stored bytes.
  public var contextNodes = 0
  /// Stored bytes of those nodes.
  public var contextNodeBytes: Int64 = 0
  /// Bytes of the file that became free for reuse (`vacuum` gives them back to the disk).
  public var freedBytes: Int64 = 0

  /// A report of nothing removed yet.
  public init() {}
}
