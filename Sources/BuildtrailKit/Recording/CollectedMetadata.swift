import Foundation

/// What the metadata collection produced, written once on its queue before `DispatchGroup.wait`
/// returns on the recording thread.
final class CollectedMetadata: @unchecked Sendable {
  var metadata = RecordMetadata()
  var warnings: [String] = []
}
