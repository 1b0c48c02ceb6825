import Foundation

/// Counts the uploads in flight and lets in at most ``UploadLimits/maxConcurrentUploads``.
final class UploadGate: @unchecked Sendable {
  private let lock = NSLock()
  private var inFlight = 0
  let capacity: Int

  init(capacity: Int) {
    self.capacity = capacity
  }

  /// Takes a place; false when every place is taken.
  func enter() -> Bool {
    lock.withLock {
      guard inFlight < capacity else { return false }
      inFlight += 1
      return true
    }
  }

  /// Gives back a place ``enter()`` took.
  func leave() {
    lock.withLock { inFlight -= 1 }
  }
}
