import Foundation

/// Why `import` imported nothing: the file and line that could not be read.
public struct ImportError: Error, LocalizedError, Equatable {
  /// The file that could not be imported, as given.
  public var file: String
  /// The line of a JSON Lines file, from 1; nil for a problem with the whole file.
  public var line: Int?
  /// What was wrong with it.
  public var reason: String

  /// An error for `file` (at `line`, when one line is at fault).
  public init(file: String, line: Int? = nil, reason: String) {
    self.file = file
    self.line = line
    self.reason = reason
  }

  /// `cannot import FILE line N: REASON; nothing was imported`, with what to pass instead.
  public var errorDescription: String? {
    let place = BuildtrailError.name(file) + (line.map { " line \($0)" } ?? "")
    return
      "cannot import \(place): \(reason); nothing was imported (pass a file written by `buildtrail export` or a buildtrail history database)"
  }
}
