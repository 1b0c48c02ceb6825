import Foundation

/// Why an upload cannot be recorded as it was sent; the runner can fix each by sending again.
public enum UploadError: Error, LocalizedError, Equatable {
  /// Kept inputs (by SHA-256) whose content was neither sent nor is held by the history.
  case missingInputs([String])
  /// The metadata document is of a version this build of buildtrail does not read.
  case unknownVersion(Int)
  /// A sent input content whose SHA-256 is not the one it was sent under.
  case contentMismatch(sentAs: String, actual: String)

  /// The one-line message of the error body.
  public var errorDescription: String? {
    switch self {
    case .missingInputs(let hashes):
      return
        "\(hashes.count) kept input\(hashes.count == 1 ? "" : "s") of the metadata \(hashes.count == 1 ? "was" : "were") neither sent nor held by the server; send \(hashes.count == 1 ? "it" : "them") as input parts"
    case .unknownVersion(let version):
      return
        "the metadata is version \(version); this server reads version \(UploadMetadata.currentVersion): upgrade the server or the client so that they match"
    case .contentMismatch(let sentAs, let actual):
      return
        "the input part sent as \(sentAs) has SHA-256 \(actual); send each input under its own SHA-256"
    }
  }
}
