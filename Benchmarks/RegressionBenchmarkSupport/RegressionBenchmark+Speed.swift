import BuildtrailKit
import Foundation

extension RegressionBenchmark {
  /// Result of `measureSpeed`.
  public struct SpeedResult: Sendable, Equatable {
    /// Series run.
    public var series: Int
    /// Builds per series.
    public var length: Int
    /// Threads the series were spread over.
    public var threads: Int
    /// Change points found in total.
    public var detections: Int
    /// Wall-clock seconds in the detector (generation excluded).
    public var seconds: Double
  }

  /// Counts detections from several threads.
  private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0

    func add(_ count: Int) {
      lock.lock()
      total += count
      lock.unlock()
    }

    var value: Int {
      lock.lock()
      defer { lock.unlock() }
      return total
    }
  }

  /// Times `ChangePointDetector.detect` on `series` duration series of exactly `length` builds (0–3 shifts),
  /// spread over `threads` threads.
  public static func measureSpeed(
    series count: Int = 10_000, length: Int = 200, seed: UInt64 = 1, threads: Int = 1
  )
    -> SpeedResult
  {
    var model = DurationModel()
    model.length = length...length
    let scenario = Scenario(name: "speed", series: count, model: .durations(model))
    let batch = (0..<count).map { series(scenario, index: $0, seed: seed).values }
    let workers = max(1, threads)
    let tally = Tally()
    let (_, seconds) = timed {
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var found = 0
        for index in stride(from: worker, to: batch.count, by: workers) {
          found += ChangePointDetector.detect(batch[index]).count
        }
        tally.add(found)
      }
    }
    return SpeedResult(
      series: count, length: length, threads: workers, detections: tally.value, seconds: seconds)
  }

  static func timed<T>(_ body: () -> T) -> (T, Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = body()
    let elapsed = clock.now - start
    let parts = elapsed.components
    return (value, Double(parts.seconds) + Double(parts.attoseconds) * 1e-18)
  }
}
