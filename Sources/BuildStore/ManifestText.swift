/// The stored text form of a build context's file list: an optional `# truncated` line, then one
/// `sha256 size path` line per file. Lines that do not have that shape are skipped.
public enum ManifestText {
  /// One file line.
  public struct Line {
    /// The file's SHA-256, as stored.
    public var hash: Substring
    /// The file's size in bytes.
    public var size: Int64
    /// The file's path in the build context.
    public var path: Substring
  }

  /// The file lines of `text` and whether the list was cut short.
  public static func parse(_ text: String) -> (lines: [Line], truncated: Bool) {
    var lines: [Line] = []
    var truncated = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
      if line == "# truncated" {
        truncated = true
        continue
      }
      let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
      guard parts.count == 3, let size = Int64(parts[1]) else { continue }
      lines.append(Line(hash: parts[0], size: size, path: parts[2]))
    }
    return (lines, truncated)
  }
}
