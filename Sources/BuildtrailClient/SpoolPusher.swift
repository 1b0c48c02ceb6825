import BuildtrailKit
import Foundation

/// Sends what the upload spool holds, oldest first: each upload leaves the spool once the server
/// has recorded it. It stops at the first upload that cannot be sent now (the server is down, or
/// refuses the token), keeping it and the rest; one the server refuses for good is set aside.
public struct SpoolPusher: Sendable {
  /// Sends the uploads.
  public var uploader: BuildUploader
  /// The spool.
  public var spool: UploadSpool
  /// The environment to read git and CI with, for builds that `record --server --` left unsent.
  public var environment: [String: String]

  /// A pusher of `spool` through `uploader`.
  public init(uploader: BuildUploader, spool: UploadSpool, environment: [String: String]) {
    self.uploader = uploader
    self.spool = spool
    self.environment = environment
  }

  /// Sends every upload in the spool, after adopting the builds that interrupted
  /// `record --server --` runs left; what became of each, and warnings about adopted builds.
  public func push() async -> (pushed: [PushedUpload], warnings: [String]) {
    spool.sweep()
    let warnings = WrappedUploads(spool: spool, environment: environment).adoptLeftovers()
    var pushed: [PushedUpload] = []
    for entry in spool.entries() {
      guard let fd = entry.lock() else { continue }
      defer { close(fd) }
      let result = await send(entry)
      pushed.append(result.pushed)
      if result.stop { break }
    }
    return (pushed, warnings)
  }

  /// Sends one upload; whether to stop sending the rest.
  public func send(_ entry: UploadSpoolEntry) async -> (pushed: PushedUpload, stop: Bool) {
    let path = entry.directory.path
    let read: (upload: UploadMetadata, contents: [String: Data])
    do {
      read = try entry.read()
    } catch {
      let reason = "its upload.json cannot be read (\(error))"
      entry.reject(into: spool.rejectedFolder, reason: reason)
      return (PushedUpload(spool: path, fate: .rejected, error: reason), false)
    }
    do {
      let summary = try await uploader.upload(
        logAt: entry.log.path, upload: read.upload, contents: read.contents)
      entry.remove()
      return (
        PushedUpload(
          spool: path, fate: .sent, builds: summary.builds, warnings: summary.warnings), false
      )
    } catch let error as ClientError {
      if error.isTransient || error.isAboutAccess || Self.isForeign(error) {
        return (PushedUpload(spool: path, fate: .kept, error: error.description), true)
      }
      entry.reject(into: spool.rejectedFolder, reason: error.description)
      return (PushedUpload(spool: path, fate: .rejected, error: error.description), false)
    } catch {
      return (PushedUpload(spool: path, fate: .kept, error: "\(error)"), true)
    }
  }

  /// An answer that is not buildtrail's: the address is likely wrong, not the upload.
  static func isForeign(_ error: ClientError) -> Bool {
    if case .badAnswer = error { return true }
    return false
  }
}
