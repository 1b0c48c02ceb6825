import Foundation

/// What sending one spooled upload did: sent (with what the server recorded), kept for a later
/// try, or set aside because the server refused it for good.
public struct PushedUpload: Sendable, Codable, Equatable {
  /// What became of the upload.
  public enum Fate: String, Sendable, Codable {
    /// The server recorded it (or had already); it left the spool.
    case sent
    /// It could not be sent now; it stays for the next `push` or `record --server`.
    case kept
    /// The server refused it for good; it was moved to the spool's `rejected/` folder.
    case rejected
  }
  /// The upload's folder in the spool (where it was, for one that left it).
  public var spool: String
  /// What became of it.
  public var fate: Fate
  /// The builds the server recorded from it, when sent.
  public var builds: [RecordSummary.Build]
  /// The server's warnings about them.
  public var warnings: [String]
  /// Why it was not sent.
  public var error: String?

  /// The fate of the upload at `spool`.
  public init(
    spool: String, fate: Fate, builds: [RecordSummary.Build] = [], warnings: [String] = [],
    error: String? = nil
  ) {
    self.spool = spool
    self.fate = fate
    self.builds = builds
    self.warnings = warnings
    self.error = error
  }
}
