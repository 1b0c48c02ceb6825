/// What every renderer is told: the format to write and the terminal a table goes to.
public struct OutputStyle: Sendable {
  /// A table for people, or JSON / CSV for scripts.
  public var format: OutputFormat
  /// The width and colour a table may use.
  public var terminal: Terminal

  /// A style for `format` on `terminal`.
  public init(format: OutputFormat, terminal: Terminal) {
    self.format = format
    self.terminal = terminal
  }
}
