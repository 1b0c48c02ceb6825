/// What a reader made of a line.
package enum LineVerdict: Equatable {
  /// The line belongs to the reader's format and was read.
  case read
  /// The line has the reader's shape but holds a number out of range: nothing of it was kept.
  case refused
  /// The line is not the reader's.
  case other
}
