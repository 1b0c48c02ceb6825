/// What `vacuum` did: the garbage collected and the file's size around it.
public struct VacuumReport: Sendable, Equatable, Codable {
  public var cleanup: CleanupReport
  /// Always 0 since schema 6, which compresses every build's record when it stores it; kept for the
  /// JSON format.
  public var outputsRecompressed: Int
  public var bytesBefore: Int64
  public var bytesAfter: Int64

  public init(
    cleanup: CleanupReport, outputsRecompressed: Int, bytesBefore: Int64, bytesAfter: Int64
  ) {
    self.cleanup = cleanup
    self.outputsRecompressed = outputsRecompressed
    self.bytesBefore = bytesBefore
    self.bytesAfter = bytesAfter
  }
}
