/// The shape of every renderer: one type per output, which writes one kind of value as JSON, CSV
/// or a table; ``render(_:)`` picks by the style's format.
///
/// A renderer stores its ``OutputStyle`` and implements the three forms; its options beyond the
/// style (`--all`, chart glyphs) are properties with defaults, so `init(style:)` makes a plain one.
/// Context that a use case returns beside its result (the branch looked at) is part of `Value`.
/// A few renderers also write pieces of their value outside `--format` that other outputs reuse
/// or CI reads (``BuildCheckRenderer/githubAnnotations(_:)``, ``RecoveryRenderer/line(_:)``):
/// they stay on the type, as they render the same value for the same command.
public protocol OutputRenderer: Sendable {
  /// What the renderer writes: a use case's result.
  associatedtype Value

  /// The format and terminal to write for.
  var style: OutputStyle { get }

  /// A renderer for `style` with its options at their defaults.
  init(style: OutputStyle)

  /// `value` in its documented JSON format, ending with a newline.
  func json(_ value: Value) -> String

  /// `value` as CSV: a header line, then a line per row.
  func csv(_ value: Value) -> String

  /// `value` for people: text made safe for the terminal, coloured when it allows.
  func table(_ value: Value) -> String
}

extension OutputRenderer {
  /// A renderer writing `format` for `terminal`, its options at their defaults.
  public init(format: OutputFormat, terminal: Terminal) {
    self.init(style: OutputStyle(format: format, terminal: terminal))
  }

  /// The format this renderer writes.
  public var format: OutputFormat { style.format }

  /// The terminal a table is written for.
  public var terminal: Terminal { style.terminal }

  /// `value` in the style's format.
  public func render(_ value: Value) -> String {
    switch format {
    case .json: return json(value)
    case .csv: return csv(value)
    case .table: return table(value)
    }
  }
}
