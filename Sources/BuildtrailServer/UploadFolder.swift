import BuildtrailKit
import Foundation

/// The folder beside the history where uploads are received, `<db>.uploads/`: one sub-folder per
/// upload, removed when its request ends however it ends (answered, refused, or cut off).
struct UploadFolder: Sendable {
  let path: String

  init(databasePath: String) {
    path = databasePath + ".uploads"
  }

  /// Creates the folder, and removes what a server that was killed left in it more than an hour ago.
  /// - Throws: ``BuildtrailError/invalidArgument(_:)`` when it cannot be made.
  func prepare() throws {
    let files = FileManager.default
    do {
      try files.createDirectory(
        atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw BuildtrailError.invalidArgument(
        "cannot make \(path), where uploads are received beside the history: \(error.localizedDescription); make the history's folder writable"
      )
    }
    let stale = Date().addingTimeInterval(-3600)
    for name in (try? files.contentsOfDirectory(atPath: path)) ?? [] {
      let entry = path + "/" + name
      let modified = (try? files.attributesOfItem(atPath: entry))?[.modificationDate] as? Date
      if let modified, modified < stale { try? files.removeItem(atPath: entry) }
    }
  }

  /// A new empty folder for one upload.
  /// - Throws: ``APIError`` 500 when it cannot be created.
  func makeUploadFolder() throws -> String {
    let folder = path + "/" + UUID().uuidString.lowercased()
    do {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw APIError(
        .internalServerError, "the server cannot make a folder for the upload in \(path): \(error)")
    }
    return folder
  }

  func remove(_ folder: String) {
    try? FileManager.default.removeItem(atPath: folder)
  }

  /// Removes the folder if no upload left anything in it.
  func close() {
    rmdir(path)
  }
}
