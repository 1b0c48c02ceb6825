/// Lines whose numbers were out of range and were not stored (see ``LogNumber``).
package struct Refusals: Equatable, Sendable {
  /// How many lines were refused.
  package private(set) var count = 0
  /// The first refused lines' numbers, for the warning.
  package private(set) var lineNumbers: [Int] = []

  package init() {}

  /// Counts the line `lineNumber` as refused.
  package mutating func add(lineNumber: Int) {
    count += 1
    if lineNumbers.count < Self.keptLineNumbers { lineNumbers.append(lineNumber) }
  }

  /// Adds another reader's refusals.
  package mutating func add(_ other: Refusals) {
    count += other.count
    lineNumbers = Array((lineNumbers + other.lineNumbers).sorted().prefix(Self.keptLineNumbers))
  }

  static let keptLineNumbers = 10
}
