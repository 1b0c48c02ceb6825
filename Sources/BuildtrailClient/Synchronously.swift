import Dispatch

/// Runs async client work from synchronous code (a command's `run`, outside Swift's cooperative
/// threads) and waits for its result.
public enum Synchronously {
  /// The result of `body`, run on a task of its own while the calling thread waits.
  public static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T
  {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
      do {
        box.result = .success(try await body())
      } catch {
        box.result = .failure(error)
      }
      done.signal()
    }
    done.wait()
    return try box.result!.get()
  }
}

/// A result written by one task before a semaphore is signalled, read after the wait.
private final class ResultBox<T>: @unchecked Sendable {
  var result: Result<T, any Error>?
}
