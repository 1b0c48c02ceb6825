// Benchmark of the build-time change-point detector on synthetic histories.
// Usage: regression-benchmark [--series N] [--seed S] [--speed-series N]
import Foundation
import BuildtrailKit

struct Options {
  var series = 1000
  var seed: UInt64 = 1
  var speedSeries = 10_000
}

func parseOptions(_ arguments: [String]) -> Options? {
  var options = Options()
  var rest = arguments[...]
  while let flag = rest.popFirst() {
    if flag == "-h" || flag == "--help" { return nil }
    guard let value = rest.popFirst() else { return nil }
    switch flag {
    case "--series": guard let n = Int(value), n > 0 else { return nil }; options.series = n
    case "--seed": guard let s = UInt64(value) else { return nil }; options.seed = s
    case "--speed-series": guard let n = Int(value), n >= 0 else { return nil }; options.speedSeries = n
    default: return nil
    }
  }
  return options
}

guard let options = parseOptions(Array(CommandLine.arguments.dropFirst())) else {
  FileHandle.standardError.write(
    Data("usage: regression-benchmark [--series N] [--seed S] [--speed-series N (0 = skip)]\n".utf8))
  exit(2)
}

print("Change-point detector benchmark: \(options.series) series per scenario, seed \(options.seed).")
print("A detection within ±3 builds of an injected shift is a true positive (each shift matched once).")
print("")
let results = RegressionBenchmark.standardScenarios(series: options.series).map {
  RegressionBenchmark.run($0, seed: options.seed)
}
print(RegressionBenchmark.markdownTable(results))
if options.speedSeries > 0 {
  print("")
  let cores = ProcessInfo.processInfo.activeProcessorCount
  for threads in Set([1, max(1, cores)]).sorted() {
    let speed = RegressionBenchmark.measureSpeed(
      series: options.speedSeries, length: 200, seed: options.seed, threads: threads)
    print(
      String(
        format: "Speed: %d duration series × %d builds in %.3f s on %d thread(s) (%.1f µs of one core a series, %d points found).",
        speed.series, speed.length, speed.seconds, speed.threads,
        speed.seconds * 1e6 * Double(speed.threads) / Double(max(1, speed.series)), speed.detections))
  }
}
