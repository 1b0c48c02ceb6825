import BuildStore
import BuildtrailKit
import Foundation

/// The verdict words for a base image change inferred from a stage that missed from its first step.
enum BaseImageInferenceWording {
  /// What a recording should do to tell a new base image from a lost cache.
  static let suggestion =
    "record with `buildtrail record -- docker build …` to capture the image IDs"

  private static func stayedWarm(_ mount: MountWarmth) -> String {
    let total = mount.total ?? 0
    let packages = "\(total) package\(total == 1 ? "" : "s")"
    let fetched =
      mount.state == .partial
      ? ", fetched \(mount.fetched ?? 0) of \(packages)" : " for \(packages)"
    return "\(mount.tool) cache mount \(mount.target) stayed warm\(fetched)"
  }

  /// The verdict words for an inferred base image change.
  static func summary(references: [String], mounts: [MountWarmth]) -> String {
    let from = references.isEmpty ? "its FROM image" : references.joined(separator: ", ")
    let warm = mounts.filter { $0.state == .warm || $0.state == .partial }
    if warm.isEmpty {
      return
        "the base image changed, or the builder's cache was lost: the stage FROM \(from) missed from its first step"
        + " and no input changed (inferred: the log shows no image digest)"
    }
    return
      "the base image (or the builder) changed: the stage FROM \(from) missed from its first step, no input changed,"
      + " and the \(warm.map(stayedWarm).joined(separator: ", ")) (inferred: the log shows no image digest)"
  }
}
