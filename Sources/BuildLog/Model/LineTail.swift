/// The last lines of a step's output as Strings, bounded by ``ParsedStep/outputTailLimit``,
/// for the readers of the formats that are not plain (their lines are Strings already).
package struct LineTail {
  /// Every line appended, kept or not.
  package private(set) var count = 0
  private var ring: [String] = []
  private var start = 0

  package init() {}

  package mutating func append(_ line: String) {
    count += 1
    if ring.count < ParsedStep.outputTailLimit {
      ring.append(line)
    } else {
      ring[start] = line
      start = (start + 1) % ring.count
    }
  }

  /// The kept lines, oldest first.
  package var lines: [String] { Array(ring[start...] + ring[..<start]) }
}
