import Foundation

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Reads inline fixture text the way callers read files.
enum DependencyFixtures {
  static func packages(_ text: String, _ kind: DependencyFileKind, path: String? = nil) throws
    -> [DependencyPackage]
  {
    try DependencyFile.packages(in: Data(text.utf8), kind: kind, path: path ?? kind.rawValue)
  }

  /// `name version` lines, for compact expectations.
  static func listed(_ text: String, _ kind: DependencyFileKind) throws -> [String] {
    try packages(text, kind).map { $0.version.isEmpty ? $0.name : "\($0.name) \($0.version)" }
  }

  static func error(_ text: String, _ kind: DependencyFileKind, path: String? = nil)
    -> DependencyFileError?
  {
    do {
      _ = try packages(text, kind, path: path)
      return nil
    } catch {
      return error as? DependencyFileError
    }
  }
}
