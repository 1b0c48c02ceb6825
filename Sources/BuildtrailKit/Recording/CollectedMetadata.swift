import BuildStore
import Foundation

/// What the work beside the parser produced (the opened history, then the metadata), written once
/// on its queue before `DispatchGroup.wait` returns on the recording thread.
final class CollectedMetadata: @unchecked Sendable {
  /// The history, or why it could not be opened; nil until the queue ran.
  var store: Result<BuildStore, Error>?
  var metadata = RecordMetadata()
  var warnings: [String] = []
}
