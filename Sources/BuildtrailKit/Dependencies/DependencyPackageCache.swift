import Crypto
import Foundation

/// The package lists already read in this process, keyed by kind and content digest.
///
/// `why` and `broke` read the same lockfile content at many commits; reading it once matters
/// because TOMLKit 0.6.0 never frees a parsed document (LebJe/TOMLKit#26), so each TOML read keeps
/// about five times the file's size until the process ends. Only successful reads are kept.
final class DependencyPackageCache: @unchecked Sendable {
  /// The process-wide cache.
  static let shared = DependencyPackageCache()
  /// The most lists kept; the cache starts afresh when full.
  static let capacity = 64

  private let lock = NSLock()
  private var lists: [String: [DependencyPackage]] = [:]

  /// The cached list for `data` read as `kind`, or `read()`'s result, kept when it succeeds.
  func packages(
    _ data: Data, kind: DependencyFileKind, read: () throws -> [DependencyPackage]
  ) rethrows -> [DependencyPackage] {
    let key =
      kind.rawValue + ":"
      + SHA256.hash(data: data).map { String(format: "%02x", $0) }
      .joined()
    if let cached = lock.withLock({ lists[key] }) { return cached }
    let found = try read()
    lock.withLock {
      if lists.count >= Self.capacity { lists.removeAll() }
      lists[key] = found
    }
    return found
  }
}
