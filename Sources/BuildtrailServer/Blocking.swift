import Dispatch

/// Runs synchronous work (SQLite reads, rendering) off Swift's cooperative threads, which must not
/// block, and resumes the caller with its result.
enum Blocking {
  private static let queue = DispatchQueue(
    label: "buildtrail.server.blocking", attributes: .concurrent)
  /// The service's one writer: recordings run here one after another, so concurrent uploads queue
  /// instead of contending for SQLite's write lock, while reads go on beside them.
  private static let writer = DispatchQueue(label: "buildtrail.server.writer")

  static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await run(on: queue, body)
  }

  /// Runs `body` on the one writer, after the writes queued before it.
  static func write<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await run(on: writer, body)
  }

  private static func run<T: Sendable>(
    on queue: DispatchQueue, _ body: @escaping @Sendable () throws -> T
  ) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      queue.async {
        continuation.resume(with: Result { try body() })
      }
    }
  }
}
