import Foundation

/// A wrapped build's output kept on disk until it is recorded: `<db>.spool/<id>/` holds `log` (the
/// stamped output, appended as it arrives) and `meta.json` (a ``SpoolMeta``). Whoever writes or
/// records a spool holds an exclusive flock on its log, so a live spool is never taken.
struct Spool {
  let directory: URL

  var log: URL { directory.appendingPathComponent("log") }
  var meta: URL { directory.appendingPathComponent("meta.json") }
  var name: String { directory.lastPathComponent }

  /// The folder of the spools of the history at `databasePath`.
  static func folder(forDatabase databasePath: String) -> URL {
    URL(fileURLWithPath: databasePath + ".spool", isDirectory: true)
  }

  /// Makes a new spool holding `meta` and an empty log, and returns it with its log open for
  /// appending and locked. It appears under its final name only once both files are there.
  static func create(forDatabase databasePath: String, meta: SpoolMeta) throws -> (Spool, fd: Int32)
  {
    let folder = folder(forDatabase: databasePath)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let stamp = SpoolWriter.timestamp(meta.startedAt).filter { $0.isNumber || $0 == "T" }
    let id = "\(stamp)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let staging = Spool(directory: folder.appendingPathComponent(".\(id)", isDirectory: true))
    try FileManager.default.createDirectory(
      at: staging.directory, withIntermediateDirectories: false)
    let fd = open(staging.log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    guard fd >= 0 else {
      let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
      try? FileManager.default.removeItem(at: staging.directory)
      throw error
    }
    do {
      guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
      }
      try staging.write(meta)
      let spool = Spool(directory: folder.appendingPathComponent(id, isDirectory: true))
      guard rename(staging.directory.path, spool.directory.path) == 0 else {
        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
      }
      return (spool, fd)
    } catch {
      close(fd)
      try? FileManager.default.removeItem(at: staging.directory)
      throw error
    }
  }

  /// The spools of the history at `databasePath`, oldest first, live ones included.
  static func all(forDatabase databasePath: String) -> [Spool] {
    let folder = folder(forDatabase: databasePath)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted().map {
      Spool(directory: folder.appendingPathComponent($0, isDirectory: true))
    }
  }

  /// Replaces `meta.json` in one step: a reader sees the old one or the new one.
  func write(_ meta: SpoolMeta) throws {
    let temporary = directory.appendingPathComponent(".meta.json.new")
    try meta.encoded().write(to: temporary)
    guard rename(temporary.path, self.meta.path) == 0 else {
      throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
  }

  func readMeta() throws -> SpoolMeta {
    try SpoolMeta.decode(Data(contentsOf: meta))
  }

  /// Opens the log and locks it; nil when another process holds it (the build still runs, or
  /// another buildtrail records it) or when it is gone. Closing the descriptor unlocks it.
  func lock() -> Int32? {
    let fd = open(log.path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0, FileManager.default.fileExists(atPath: log.path) else {
      close(fd)
      return nil
    }
    return fd
  }

  /// How many times a recorder started on this spool without finishing it.
  var attempts: Int {
    let size =
      (try? FileManager.default.attributesOfItem(atPath: attemptsFile.path)[.size]) as? NSNumber
    return size?.intValue ?? 0
  }

  /// Counts one more attempt to record the spool, before it starts: a recorder that the spool's log
  /// crashes leaves the count behind.
  func noteAttempt() {
    let fd = open(attemptsFile.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    guard fd >= 0 else { return }
    _ = Foundation.write(fd, "x", 1)
    close(fd)
  }

  private var attemptsFile: URL { directory.appendingPathComponent("attempts") }

  /// Deletes the spool: first renamed out of sight in one step, so that a process killed while
  /// deleting never leaves half a spool to record.
  func remove() {
    let trash = directory.deletingLastPathComponent().appendingPathComponent(".\(name).recorded")
    guard rename(directory.path, trash.path) == 0 else { return }
    try? FileManager.default.removeItem(at: trash)
  }

  /// Deletes what killed processes left half done in the spool folder: spools being deleted, and
  /// spools that were never complete (older than a minute, so never one being made).
  static func sweep(forDatabase databasePath: String) {
    sweepHidden(in: folder(forDatabase: databasePath), doneSuffix: ".recorded", staleAfter: 60)
  }

  /// Deletes the hidden entries of `folder` (those whose name starts with a dot) that end with
  /// `doneSuffix` (being deleted) or were last changed more than `staleAfter` seconds ago.
  static func sweepHidden(in folder: URL, doneSuffix: String, staleAfter: TimeInterval) {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    for name in names where name.hasPrefix(".") {
      let url = folder.appendingPathComponent(name)
      let modified =
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate]) as? Date
      if name.hasSuffix(doneSuffix) || (modified ?? Date()) < Date().addingTimeInterval(-staleAfter)
      {
        try? FileManager.default.removeItem(at: url)
      }
    }
  }
}
