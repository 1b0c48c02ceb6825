import Foundation

/// Uploads waiting for the server: `record --server` keeps a build here when the server cannot be
/// reached or fails, and the next `record --server` or `buildtrail push` sends it. Each upload is a
/// folder (``UploadSpoolEntry``) that appears in one step, complete, or not at all.
public struct UploadSpool: Sendable {
  /// The spool's folder.
  public let folder: URL

  /// The spool in `folder`.
  public init(folder: URL) {
    self.folder = folder
  }

  /// `--spool DIR` when given, else `$XDG_STATE_HOME/buildtrail/spool`
  /// (`~/.local/state/buildtrail/spool`).
  public static func resolve(flag: String?, environment: [String: String]) -> UploadSpool {
    if let flag, !flag.isEmpty { return UploadSpool(folder: URL(fileURLWithPath: flag)) }
    let stateHome =
      environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/state")
    return UploadSpool(folder: URL(fileURLWithPath: stateHome + "/buildtrail/spool"))
  }

  /// Where `record --server --` keeps a running build's output until it is uploaded or spooled:
  /// the `record --` spool (``Spool``) of a history named after this folder.
  public var wrappedBuildsBase: String { folder.appendingPathComponent("wrapped").path }

  /// Rejected uploads (the server refused them for good) are moved here with the reason.
  public var rejectedFolder: URL { folder.appendingPathComponent("rejected", isDirectory: true) }

  /// Keeps an upload: the log at `log` (moved when `moving`, else copied), its metadata and the
  /// contents of its kept inputs.
  @discardableResult
  public func add(
    log: URL, moving: Bool, upload: UploadMetadata, contents: [String: Data]
  ) throws -> UploadSpoolEntry {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let stamp = Self.stamp(upload.recordedAt)
    let id = "\(stamp)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let staging = UploadSpoolEntry(directory: folder.appendingPathComponent(".\(id)"))
    do {
      try FileManager.default.createDirectory(
        at: staging.inputs, withIntermediateDirectories: true)
      for (sha256, data) in contents.sorted(by: { $0.key < $1.key }) {
        try data.write(to: staging.inputs.appendingPathComponent(sha256))
      }
      try upload.encoded().write(to: staging.metadata)
      if moving, rename(log.path, staging.log.path) == 0 {
      } else {
        try FileManager.default.copyItem(at: log, to: staging.log)
        if moving { try? FileManager.default.removeItem(at: log) }
      }
      let entry = UploadSpoolEntry(directory: folder.appendingPathComponent(id))
      guard rename(staging.directory.path, entry.directory.path) == 0 else {
        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
      }
      return entry
    } catch {
      try? FileManager.default.removeItem(at: staging.directory)
      throw error
    }
  }

  /// A new file in the spool folder (hidden until it is added) to copy standard input into.
  public func temporaryLog() throws -> URL {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent(
      ".stdin-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log")
  }

  /// The uploads waiting, oldest first.
  public func entries() -> [UploadSpoolEntry] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { !$0.hasPrefix(".") && $0 != "rejected" && $0 != "wrapped.spool" }
      .sorted()
      .map { UploadSpoolEntry(directory: folder.appendingPathComponent($0, isDirectory: true)) }
      .filter { FileManager.default.fileExists(atPath: $0.metadata.path) }
  }

  /// Deletes what killed processes left half done: uploads being added or removed, older than an
  /// hour (never one being made now).
  public func sweep() {
    Spool.sweepHidden(in: folder, doneSuffix: ".sent", staleAfter: 3600)
  }

  static func stamp(_ date: Date) -> String {
    let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
    return String(repeating: "0", count: max(0, 15 - String(millis).count)) + String(millis)
  }
}
