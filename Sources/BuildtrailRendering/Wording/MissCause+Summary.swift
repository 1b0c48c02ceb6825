import BuildStore
import BuildtrailKit
import Foundation

extension MissCause {
  /// The cause in a few words, for the verdict line.
  public var summary: String {
    switch self {
    case .dependencies(let file, let changes):
      guard !changes.isEmpty else { return "\(file) changed" }
      let shown = changes.prefix(4).map(\.summary).joined(separator: ", ")
      return "\(file) changed: \(shown)"
        + (changes.count > 4 ? ", and \(changes.count - 4) more" : "")
    case .dependenciesUnchanged(let file, let rewrite):
      let how = rewrite.isEmpty ? "" : " (\(rewrite.joined(separator: ", ")))"
      return "\(file) changed, but no package changed" + how
    case .dockerignore(let file, let added, let removed, let before, let after):
      var what = (removed.map { "-\($0)" } + added.map { "+\($0)" }).joined(separator: " ")
      if what.isEmpty { what = "reworded" }
      var text = "\(file) changed: \(what)"
      if let before, let after {
        text += " (context \(formatBytes(before)) → \(formatBytes(after)))"
      }
      return text
    case .dockerfile(let file, let change, _, _, _):
      return "\(file) changed: \(change)"
    case .files(let source, let paths, let count):
      let listed = paths.prefix(3).joined(separator: ", ")
      return "\(count) file\(count == 1 ? "" : "s") changed under \(source): \(listed)"
        + (count > 3 ? ", …" : "")
    case .baseImage(let reference, let before, let after):
      return "base image \(reference) changed: \(shortDigest(before)) → \(shortDigest(after))"
    case .cacheLost(let mounts):
      let warmth = mounts.map(\.summary).joined(separator: ", ")
      return "no input changed: the builder's cache was lost"
        + (warmth.isEmpty ? "" : " (\(warmth))")
    case .baseImageInferred(let references, let mounts):
      return BaseImageInferenceWording.summary(references: references, mounts: mounts)
    case .unknown(let why):
      return why
    case .noBaseline(let why):
      return why
    case .failedEarlier(let build, let commit):
      let at = commit.map { " (\($0.prefix(8)))" } ?? ""
      return
        "this step failed in build \(build)\(at), and a failed step leaves nothing in the cache"
    case .buildArgument(let change):
      return change.summary
    case .cachePlumbing(let finding):
      return finding.summary
    }
  }
}

func shortDigest(_ digest: String?) -> String {
  guard let digest else { return "(none)" }
  return digest.hasPrefix("sha256:") ? String(digest.prefix(19)) : String(digest.prefix(12))
}
