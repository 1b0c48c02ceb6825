import Foundation

/// What a failed build failed on, as recorded: the failing step, the tool, its decisive message and
/// lines, and the signature that the same failure has in other builds.
public struct StoredFailure: Sendable, Equatable {
  /// The failing step's position in the build, when a step failed.
  public var stepPosition: Int?
  /// The tool the decisive lines come from (`pip`, `python`, `shell`, …).
  public var tool: String
  /// The decisive message as printed.
  public var message: String
  /// `tool: message` with numbers, paths and hex digests normalised: equal for the same failure.
  public var signature: String
  /// The decisive lines as printed, oldest first.
  public var lines: [String]
  /// The failed command's exit code, when known.
  public var exitCode: Int?

  /// Creates a failure record.
  public init(
    stepPosition: Int?, tool: String, message: String, signature: String, lines: [String],
    exitCode: Int?
  ) {
    self.stepPosition = stepPosition
    self.tool = tool
    self.message = message
    self.signature = signature
    self.lines = lines
    self.exitCode = exitCode
  }
}
