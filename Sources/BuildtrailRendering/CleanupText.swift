import BuildStore
import BuildtrailKit
import Foundation

/// The words and CSV fields `prune`, `delete` and `vacuum` share for what a clean-up removed.
enum CleanupText {
  static let header = [
    "deleted_builds", "step_names", "input_blobs", "input_blob_bytes", "context_nodes",
    "context_node_bytes", "freed_bytes",
  ]

  /// `deleted 2 builds (4, 5); removed …; 1.2 MB of the file free for reuse (…)`.
  static func sentence(_ c: CleanupReport) -> String {
    var text = "deleted \(count(c.deletedBuilds.count, "build"))\(ids(c.deletedBuilds))"
    let garbage = removed(c)
    if !garbage.isEmpty { text += "; removed " + garbage }
    if c.freedBytes > 0 {
      text +=
        "; \(formatBytes(c.freedBytes)) of the file free for reuse (`buildtrail vacuum` returns it to the disk)"
    }
    return text
  }

  /// What else went with the builds: unused step names, input blobs, context list nodes.
  static func removed(_ c: CleanupReport) -> String {
    var parts: [String] = []
    if c.stepNames > 0 { parts.append(count(c.stepNames, "unused step name")) }
    if c.inputBlobs > 0 {
      parts.append(count(c.inputBlobs, "input blob") + " (\(formatBytes(c.inputBlobBytes)))")
    }
    if c.contextNodes > 0 {
      parts.append(
        count(c.contextNodes, "context list node") + " (\(formatBytes(c.contextNodeBytes)))")
    }
    return parts.joined(separator: ", ")
  }

  /// The header and the one line of a clean-up.
  static func csv(_ c: CleanupReport) -> String {
    CSV.line(header) + "\n" + CSV.line(fields(c)) + "\n"
  }

  /// The clean-up's counts, in the order of ``header``.
  static func fields(_ c: CleanupReport) -> [String] {
    [
      Int64(c.deletedBuilds.count), Int64(c.stepNames), Int64(c.inputBlobs), c.inputBlobBytes,
      Int64(c.contextNodes), c.contextNodeBytes, c.freedBytes,
    ].map(String.init)
  }

  /// ` (1, 2, 3)`, at most 20 ids; empty for none.
  static func ids(_ ids: [Int64]) -> String {
    guard !ids.isEmpty else { return "" }
    let shown = ids.prefix(20).map(String.init).joined(separator: ", ")
    return " (\(shown)\(ids.count > 20 ? ", …" : ""))"
  }

  /// `1 build`, `2 builds`.
  static func count(_ n: Int, _ noun: String) -> String {
    "\(n) \(noun)\(n == 1 ? "" : "s")"
  }
}
