import BuildtrailKit
import Foundation

/// The glyphs a ``TerminalChart`` draws with.
public enum ChartGlyphs: String, Sendable {
  /// Braille dots, 2×4 per cell, joined into a line.
  case braille
  /// Block elements `▁▂▃▄▅▆▇█`, one bar per point.
  case blocks
  /// Plain ASCII, `*` on a `|` stem, for terminals without Unicode.
  case ascii
}
