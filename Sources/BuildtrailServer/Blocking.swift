import Dispatch

/// Runs synchronous work (SQLite reads, rendering) off Swift's cooperative threads, which must not
/// block, and resumes the caller with its result.
enum Blocking {
  private static let queue = DispatchQueue(
    label: "buildtrail.server.blocking", attributes: .concurrent)

  static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      queue.async {
        continuation.resume(with: Result { try body() })
      }
    }
  }
}
