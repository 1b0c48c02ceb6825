import Foundation

/// Turns the output that `record --server --` kept of a build (a ``Spool``) into an upload in the
/// ``UploadSpool``, with the metadata gathered as `record` does: then it is sent like any other.
public struct WrappedUploads: Sendable {
  /// The uploads' spool; the running builds' spools are in its `wrapped.spool/`.
  public var spool: UploadSpool
  /// The environment to read git, CI and the working tree with.
  public var environment: [String: String]

  /// Uploads into `spool`, reading metadata with `environment`.
  public init(spool: UploadSpool, environment: [String: String]) {
    self.spool = spool
    self.environment = environment
  }

  /// Adopts the build spool at `directory`, which the calling `record --` has locked for this
  /// process; returns the upload made of it and the warnings about its metadata.
  public func adoptHeld(_ directory: String) throws -> (UploadSpoolEntry, [String]) {
    try adopt(Spool(directory: URL(fileURLWithPath: directory, isDirectory: true)))
  }

  /// Adopts the build spools that interrupted `record --server --` runs left (none locked).
  public func adoptLeftovers() -> [String] {
    Spool.sweep(forDatabase: spool.wrappedBuildsBase)
    var warnings: [String] = []
    for held in Spool.all(forDatabase: spool.wrappedBuildsBase) {
      guard let fd = held.lock() else { continue }
      defer { close(fd) }
      if let (_, more) = try? adopt(held) { warnings += more }
    }
    return warnings
  }

  private func adopt(_ held: Spool) throws -> (UploadSpoolEntry, [String]) {
    var warnings: [String] = []
    let meta = try? held.readMeta()
    let request =
      meta?.request(environment: environment)
      ?? RecordRequest(logPath: nil, collectMetadata: false, environment: [:])
    if meta?.exitCode == nil {
      warnings.append(
        "buildtrail stopped before the build in \(held.directory.path) ended; it is sent with the outcome its log shows"
      )
    }
    let (upload, contents) = UploadPreparation.prepare(
      request, recordedAt: meta?.endedAt ?? meta?.startedAt ?? Date(), exitCode: meta?.exitCode,
      startedAt: meta?.startedAt, endedAt: meta?.endedAt, warnings: &warnings)
    let entry = try spool.add(log: held.log, moving: true, upload: upload, contents: contents)
    held.remove()
    return (entry, warnings)
  }
}
