/// What `vacuum` did: the garbage collected, the outputs recompressed, and the file's size around it.
public struct VacuumReport: Sendable, Equatable, Codable {
  public var cleanup: CleanupReport
  /// Builds whose kept output was stored as plain JSON (migrated from schema 3) and is now compressed.
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
