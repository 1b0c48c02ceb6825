import BuildStore
import Foundation

/// Gathers what is known around a build at record time: git, CI, the context and the cache inputs.
struct MetadataCollector {
  var request: RecordRequest

  func collect(warnings: inout [String]) -> RecordMetadata {
    var metadata = RecordMetadata(target: request.target, labels: request.labels)
    if request.commit != nil || request.branch != nil {
      metadata.git = GitFacts(commit: request.commit, branch: request.branch)
    }
    return metadata
  }
}
