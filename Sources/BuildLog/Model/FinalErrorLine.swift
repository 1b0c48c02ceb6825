/// The last line of a failed build, in every form BuildKit's clients print it.
///
/// - buildx ≥ 0.25: `ERROR: failed to build: failed to solve: …`; 0.9–0.24: `ERROR: failed to solve: …`;
///   bake and multi-target builds: `ERROR: target web: failed to solve: …` (compose ≥ 2.37 prints it
///   without `ERROR: `).
/// - buildx ≤ 0.8: `error: failed to solve: …` (lower case).
/// - The Docker 20.10 CLI and compose: no prefix, `failed to solve with frontend dockerfile.v0: …`,
///   `failed to solve: rpc error: …`, `executor failed running [/bin/sh -c …]: exit code: 1`.
/// - Wrappers that quote it: `Error: … failed to solve: …` (flyctl and similar).
package enum FinalErrorLine {
  /// The error message of a final error line, without its `ERROR: `/`error: ` prefix; nil for any other line.
  package static func message(_ line: Substring) -> String? {
    if line.hasPrefix("ERROR: ") {
      return line.hasPrefix("ERROR: [") ? nil : String(line.dropFirst(7))
    }
    if line.hasPrefix("error: ") {
      let rest = line.dropFirst(7)
      return isSolveFailure(rest) ? String(rest) : nil
    }
    if isSolveFailure(line) { return String(line) }
    if line.hasPrefix("target "), let colon = line.range(of: ": "),
      !line[line.index(line.startIndex, offsetBy: 7)..<colon.lowerBound].contains(" "),
      isSolveFailure(line[colon.upperBound...])
    {
      return String(line)
    }
    if line.hasPrefix("Error: "),
      line.contains("failed to solve") || line.contains("failed to build")
    {
      return String(line.dropFirst(7))
    }
    return nil
  }

  /// Whether a line can be a final error line: a cheap test on its first byte, before ``message(_:)``.
  @inline(__always) package static func mayStart(with byte: UInt8) -> Bool {
    byte == UInt8(ascii: "E") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "f")
      || byte == UInt8(ascii: "t")
  }

  private static func isSolveFailure(_ text: Substring) -> Bool {
    text.hasPrefix("failed to solve") || text.hasPrefix("failed to build")
      || text.hasPrefix("executor failed running ")
  }
}
