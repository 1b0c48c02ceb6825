import Dispatch

/// Runs async client work from synchronous code (a command's `run`) and waits for its result.
///
/// The work runs on a queue of its own (a task executor preference), never on Swift's
/// cooperative threads: the waiting thread may itself be one of them, and a pool blocked by its
/// own waiters would never run the work.
public enum Synchronously {
  /// The result of `body`, run on a task of its own while the calling thread waits.
  public static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T
  {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task(executorPreference: QueueExecutor.shared) {
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

/// Runs the jobs of tasks that prefer it on one serial dispatch queue.
private final class QueueExecutor: TaskExecutor {
  static let shared = QueueExecutor()
  private let queue = DispatchQueue(label: "buildtrail.client")

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    queue.async { job.runSynchronously(on: executor) }
  }
}
