/// What `vacuum` did: the garbage collected and the file's size around it.
public struct VacuumReport: Sendable, Equatable, Codable {
  /// The garbage collected before the file was rewritten.
  public var cleanup: CleanupReport
  /// Always 0 since schema 6, which compresses every build's record when it stores it; kept for the
  /// JSON format.
  public var outputsRecompressed: Int
  /// The file's size before, in bytes.
  public var bytesBefore: Int64
  /// The file's size after, in bytes.
  public var bytesAfter: Int64

  /// A report of what `vacuum` did.
  public init(
    cleanup: CleanupReport, outputsRecompressed: Int, bytesBefore: Int64, bytesAfter: Int64
  ) {
    self.cleanup = cleanup
    self.outputsRecompressed = outputsRecompressed
    self.bytesBefore = bytesBefore
    self.bytesAfter = bytesAfter
  }
}
