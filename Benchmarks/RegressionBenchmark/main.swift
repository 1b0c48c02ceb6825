import BuildtrailKit
// Benchmark of the build-time change-point detector on synthetic histories.
// Usage: regression-benchmark [--series N] [--seed S] [--speed-series N] [--histories N]
import Foundation
import RegressionBenchmarkSupport

struct Options {
  var series = 1000
  var seed: UInt64 = 1
  var speedSeries = 10_000
  var histories = 300
}

func parseOptions(_ arguments: [String]) -> Options? {
  var options = Options()
  var rest = arguments[...]
  while let flag = rest.popFirst() {
    if flag == "-h" || flag == "--help" { return nil }
    guard let value = rest.popFirst() else { return nil }
    switch flag {
    case "--series":
      guard let n = Int(value), n > 0 else { return nil }
      options.series = n
    case "--seed":
      guard let s = UInt64(value) else { return nil }
      options.seed = s
    case "--speed-series":
      guard let n = Int(value), n >= 0 else { return nil }
      options.speedSeries = n
    case "--histories":
      guard let n = Int(value), n >= 0 else { return nil }
      options.histories = n
    default: return nil
    }
  }
  return options
}

guard let options = parseOptions(Array(CommandLine.arguments.dropFirst())) else {
  FileHandle.standardError.write(
    Data(
      "usage: regression-benchmark [--series N] [--seed S] [--speed-series N (0 = skip)] [--histories N (0 = skip)]\n"
        .utf8))
  exit(2)
}

print(
  "Change-point detector benchmark: \(options.series) series per scenario, seed \(options.seed).")
print(
  "A detection within ±3 builds of an injected shift is a true positive (each shift matched once).")
print("")
let results = RegressionBenchmark.standardScenarios(series: options.series).map {
  RegressionBenchmark.run($0, seed: options.seed)
}
print(RegressionBenchmark.markdownTable(results))
if options.histories > 0 {
  print("")
  print(
    "Whole histories (\(options.histories) per row, seed \(options.seed)): step and total points scored together;"
  )
  print(
    "a total point counts as a regression only when it is not shown as the consequence of step points."
  )
  print("")
  let scenarios = HistoryBenchmark.standardScenarios(histories: options.histories)
  var rows: [RegressionBenchmark.ScenarioResult] = []
  var kinds: [(String, RegressionBenchmark.Score)] = []
  for scenario in scenarios {
    let (row, byKind) = HistoryBenchmark.runByKind(scenario, seed: options.seed)
    rows.append(row)
    if scenario.attributes && scenario == scenarios.first {
      kinds = byKind.sorted { $0.key.rawValue < $1.key.rawValue }.map {
        ("  of which \($0.key.rawValue) points", $0.value)
      }
    }
  }
  var table = rows
  for (name, score) in kinds.reversed() {
    var score = score
    score.builds = rows[0].score.builds
    table.insert(
      RegressionBenchmark.ScenarioResult(
        scenario: .init(name: name, series: options.histories, model: rows[0].scenario.model),
        score: score, seconds: 0), at: 1)
  }
  print(
    RegressionBenchmark.markdownTable(table).replacingOccurrences(
      of: "| series |", with: "| histories |"))
}
if options.speedSeries > 0 {
  print("")
  let cores = ProcessInfo.processInfo.activeProcessorCount
  for threads in Set([1, max(1, cores)]).sorted() {
    let speed = RegressionBenchmark.measureSpeed(
      series: options.speedSeries, length: 200, seed: options.seed, threads: threads)
    print(
      String(
        format:
          "Speed: %d duration series × %d builds in %.3f s on %d thread(s) (%.1f µs of one core a series, %d points found).",
        speed.series, speed.length, speed.seconds, speed.threads,
        speed.seconds * 1e6 * Double(speed.threads) / Double(max(1, speed.series)), speed.detections
      ))
  }
}
