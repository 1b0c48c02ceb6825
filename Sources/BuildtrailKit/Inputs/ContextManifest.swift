import BuildStore
import Crypto
import Foundation

/// Every file a build context sends, with its size and SHA-256, after `.dockerignore`: enough to say
/// which files changed between two builds when git cannot (a depth-1 clone).
///
/// Stored as text, one `sha256 size path` line per file, sorted by path.
public struct ContextManifest: Sendable, Equatable {
  /// One file of the context.
  public struct Entry: Sendable, Equatable {
    /// Its path relative to the context, slash-separated.
    public var path: String
    /// Its size in bytes.
    public var size: Int64
    /// Hex SHA-256 of the content; `-` when the file was too large to hash.
    public var sha256: String
  }

  /// Files larger than this are listed by size only.
  public static let hashLimit: Int64 = 256 << 20
  /// At most this many files are listed; a larger context is marked `truncated`.
  public static let fileLimit = 100_000

  /// The files, sorted by path.
  public var entries: [Entry]
  /// Whether files past fileLimit were left out.
  public var truncated: Bool

  /// A manifest of `entries`, sorted by path.
  public init(entries: [Entry], truncated: Bool = false) {
    self.entries = entries.sorted { $0.path < $1.path }
    self.truncated = truncated
  }

  /// Walks `contextDirectory` once, as BuildKit would send it: the summary of what is sent, and
  /// the file list with each file hashed.
  public static func scan(
    contextDirectory: URL, matcher: DockerignoreMatcher?,
    alwaysIncluded: [String] = ["Dockerfile", ".dockerignore"]
  ) throws -> (summary: ContextSummary, manifest: ContextManifest) {
    var entries: [Entry] = []
    var truncated = false
    let summary = try BuildContextScanner.scan(
      contextDirectory: contextDirectory, matcher: matcher, alwaysIncluded: alwaysIncluded
    ) { relative, full, info in
      guard entries.count < fileLimit else {
        truncated = true
        return
      }
      let size = Int64(info.st_size)
      let isRegular = (info.st_mode & S_IFMT) == S_IFREG
      let hash = isRegular && size <= hashLimit ? (sha256(ofFile: full) ?? "-") : "-"
      entries.append(Entry(path: relative, size: size, sha256: hash))
    }
    return (summary, ContextManifest(entries: entries, truncated: truncated))
  }

  static func sha256(ofFile path: String) -> String? {
    guard let handle = try? RegularFile.open(path) else { return nil }
    defer { try? handle.close() }
    var hasher = SHA256()
    while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      hasher.update(data: chunk)
    }
    return hexString(hasher.finalize())
  }

  /// The stored text form.
  public var text: String {
    (truncated ? "# truncated\n" : "")
      + entries.map { "\($0.sha256) \($0.size) \($0.path)" }.joined(separator: "\n")
      + (entries.isEmpty ? "" : "\n")
  }

  /// Reads the stored text form.
  public init(text: String) {
    let (lines, truncated) = ManifestText.parse(text)
    self.init(
      entries: lines.map { Entry(path: String($0.path), size: $0.size, sha256: String($0.hash)) },
      truncated: truncated)
  }

  /// Paths added, removed or changed from `old` to this manifest, sorted.
  public func changedPaths(since old: ContextManifest) -> [String] {
    var before: [String: Entry] = [:]
    for e in old.entries { before[e.path] = e }
    var changed: [String] = []
    for e in entries {
      if let b = before.removeValue(forKey: e.path) {
        if b.sha256 != e.sha256 || b.size != e.size { changed.append(e.path) }
      } else {
        changed.append(e.path)
      }
    }
    changed.append(contentsOf: before.keys)
    return changed.sorted()
  }
}
