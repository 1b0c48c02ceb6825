import BuildtrailKit
import Foundation

extension MissCause {
  /// Folders of a local environment or tool cache, which a `.dockerignore` should keep out of the
  /// build context: a change in them reruns every COPY of the whole context.
  static let localFolders: Set<String> = [
    ".venv", "venv", "__pycache__", "node_modules", ".pytest_cache", ".mypy_cache", ".ruff_cache",
    ".tox",
  ]

  /// The local environment folder `path` (a context path or a `.dockerignore` pattern) lies in.
  static func localFolder(in path: String) -> String? {
    path.split(separator: "/").map(String.init).first { localFolders.contains($0) }
  }

  /// What to change, in the terms of the BuildKit primer, when the cause has a usual fix.
  public var advice: String? {
    switch self {
    case .files(let source, let paths, _):
      let folders = Set(paths.compactMap(Self.localFolder)).sorted().map { $0 + "/" }
      guard !folders.isEmpty else { return nil }
      let list = folders.joined(separator: ", ")
      let one = folders.count == 1
      return "\(list) \(one ? "is" : "are") in the build context: .dockerignore lets "
        + "\(one ? "it" : "them") in, so a change in a local environment reruns \(source); "
        + "add \(list) to .dockerignore"
    case .dockerignore(_, _, let removed, _, _):
      let folders = removed.filter { Self.localFolder(in: $0) != nil }
      guard !folders.isEmpty else { return nil }
      return
        "put \(folders.joined(separator: ", ")) back in .dockerignore: with a local environment "
        + "in the build context, every COPY of the whole context misses whenever it changes"
    case .cacheLost:
      return "nothing in the build changed: the builder's cache was pruned (docker builder prune), "
        + "garbage-collected, or the builder is new (a fresh CI runner); keep it between builds "
        + "with a persistent builder or a cache export (--cache-to / --cache-from, compose "
        + "cache_from)"
    default:
      return nil
    }
  }
}
