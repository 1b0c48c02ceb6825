import Foundation

/// A scratch directory removed when the value goes away.
final class InputsScratchDirectory {
  let url: URL

  init() throws {
    url = try scratchDirectory()
  }

  deinit {
    try? FileManager.default.removeItem(at: url)
  }

  /// Writes `contents` at `relativePath`, creating parent directories.
  @discardableResult
  func write(_ relativePath: String, _ contents: String = "") throws -> URL {
    try write(relativePath, data: Data(contents.utf8))
  }

  @discardableResult
  func write(_ relativePath: String, data: Data) throws -> URL {
    let file = url.appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: file)
    return file
  }

  func makeDirectory(_ relativePath: String) throws {
    try FileManager.default.createDirectory(
      at: url.appendingPathComponent(relativePath), withIntermediateDirectories: true)
  }

  func symlink(_ relativePath: String, to destination: String) throws {
    try FileManager.default.createSymbolicLink(
      atPath: url.appendingPathComponent(relativePath).path, withDestinationPath: destination)
  }
}
