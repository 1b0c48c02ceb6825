import BuildStore
import Foundation

/// `buildtrail export`: every build as one JSON Lines line (see ``ExportLine``), oldest id first.
public struct HistoryExport {
  /// The history to export.
  public var store: BuildStore

  /// An export of `store`.
  public init(store: BuildStore) {
    self.store = store
  }

  /// The ids to export: `ids` when given, else the builds of `branch` recorded since `since`
  /// (each condition only when given), else all.
  /// - Throws: ``StoreError/noSuchBuild(_:)`` naming the ids that are not in the history.
  public func buildIDs(_ ids: [Int64], branch: String?, since: Date?) throws -> [Int64] {
    guard !ids.isEmpty else { return try store.buildIDs(branch: branch, since: since) }
    let known = Set(try store.buildIDs())
    let missing = ids.filter { !known.contains($0) }
    guard missing.isEmpty else {
      throw StoreError.noSuchBuild(missing.map(String.init).joined(separator: ", "))
    }
    return ids
  }

  /// Writes one line (with its newline) per build of `ids` through `write`; returns how many.
  public func run(_ ids: [Int64], write: (Data) throws -> Void) throws -> Int {
    var count = 0
    for id in ids {
      guard let build = try store.portableBuild(id: id) else { continue }
      var line = try ExportLine(build).encoded()
      line.append(0x0A)
      try write(line)
      count += 1
    }
    return count
  }

  /// Writes the lines of `ids` to the file at `path`, replacing it only once all are written; returns how many.
  public func run(_ ids: [Int64], toFile path: String) throws -> Int {
    let partial = path + ".partial"
    guard FileManager.default.createFile(atPath: partial, contents: nil),
      let file = FileHandle(forWritingAtPath: partial)
    else {
      throw BuildtrailError.invalidArgument(
        "cannot write \(path): check that its folder exists and is writable, or pass another --output"
      )
    }
    defer {
      try? file.close()
      try? FileManager.default.removeItem(atPath: partial)
    }
    let count = try run(ids) { try file.write(contentsOf: $0) }
    try file.synchronize()
    // rename(2) replaces the old file in one step: a reader sees the old export or the new one.
    guard rename(partial, path) == 0 else {
      throw BuildtrailError.invalidArgument(
        "cannot write \(path): \(String(cString: strerror(errno))); pass another --output")
    }
    return count
  }
}
