import BuildtrailKit
import Foundation

/// Synthetic build histories with injected shifts, and the scoring of `ChangePointDetector` against them.
///
/// Everything is deterministic by seed: each series gets its own generator, seeded from the run seed,
/// the scenario name and the series number, so results do not depend on evaluation order.
public enum RegressionBenchmark {
  // MARK: Series models

  /// A generated series and the indices where a new regime starts.
  public struct SyntheticSeries: Sendable, Equatable {
    /// One value per build, oldest first.
    public var values: [Double]
    /// Injected change points (first index of each new regime), ascending.
    public var shifts: [Int]

    /// Creates a series.
    public init(values: [Double], shifts: [Int]) {
      self.values = values
      self.shifts = shifts
    }
  }

  /// Durations of executed builds: log-uniform baseline, log-normal noise, outliers, multiplicative level shifts.
  public struct DurationModel: Sendable, Equatable {
    /// Number of builds.
    public var length: ClosedRange<Int> = 100...300
    /// Baseline level in seconds, drawn log-uniformly.
    public var baseline: ClosedRange<Double> = 1...600
    /// Coefficient of variation of the multiplicative log-normal noise.
    public var coefficientOfVariation = 0.10
    /// Share of builds multiplied by an outlier factor (a slow runner).
    public var outlierRate = 0.05
    /// Outlier factor range.
    public var outlierFactor: ClosedRange<Double> = 1.5...4
    /// Number of injected shifts.
    public var shiftCount: ClosedRange<Int> = 0...3
    /// Shift size r: a slowdown multiplies by 1 + r, a speedup by 1 / (1 + r) (symmetric in log space).
    public var shiftSize: ClosedRange<Double> = 0.2...1.0
    /// Minimum distance between shifts, and from either end of the series.
    public var minGap = 15

    /// Creates the default model (100–300 builds, 1–600 s, 10 % CV, 5 % outliers ×1.5–4, 0–3 shifts of 20–100 %).
    public init() {}
  }

  /// Cache hits per build: hit probability `highRate`, toggling to a rate drawn from `lowRate` (and back) at each shift.
  public struct RateModel: Sendable, Equatable {
    /// Number of builds.
    public var length: ClosedRange<Int> = 100...300
    /// Hit probability of a healthy cache.
    public var highRate = 0.9
    /// Hit probability after a drop.
    public var lowRate: ClosedRange<Double> = 0...0.5
    /// Number of injected shifts (drop, recovery, drop).
    public var shiftCount: ClosedRange<Int> = 0...3
    /// Minimum distance between shifts, and from either end of the series.
    public var minGap = 15
    /// `nil`: one 0/1 flag per build; `n`: the hit ratio of `n` cacheable steps per build.
    public var stepsPerBuild: Int?

    /// Creates the default model (100–300 builds, 0.9 dropping to 0–0.5, 0–3 shifts, 0/1 flags).
    public init() {}
  }

  /// Injected shift positions: `count` indices in `gap...(length − gap)`, pairwise at least `gap` apart.
  static func shiftPositions(count: Int, length: Int, gap: Int, using rng: inout Generator) -> [Int]
  {
    var wanted = count
    while wanted > 0 {
      let lowest = gap
      let highest = length - gap
      if highest >= lowest {
        for _ in 0..<1000 {
          var positions = (0..<wanted).map { _ in rng.integer(lowest...highest) }
          positions.sort()
          if zip(positions, positions.dropFirst()).allSatisfy({ $1 - $0 >= gap }) {
            return positions
          }
        }
      }
      wanted -= 1
    }
    return []
  }

  /// One duration series drawn from `model`.
  public static func durationSeries(_ model: DurationModel, using rng: inout Generator)
    -> SyntheticSeries
  {
    let length = rng.integer(model.length)
    let logBaseline = rng.uniform(log(model.baseline.lowerBound)...log(model.baseline.upperBound))
    let shifts = shiftPositions(
      count: rng.integer(model.shiftCount), length: length, gap: model.minGap, using: &rng)
    let sigma = log1p(model.coefficientOfVariation * model.coefficientOfVariation).squareRoot()
    var level = exp(logBaseline)
    var nextShift = 0
    var values: [Double] = []
    values.reserveCapacity(length)
    for t in 0..<length {
      if nextShift < shifts.count, shifts[nextShift] == t {
        let r = rng.uniform(model.shiftSize)
        level *= rng.bernoulli(0.5) ? 1 + r : 1 / (1 + r)
        nextShift += 1
      }
      var value = level * exp(sigma * rng.normal() - sigma * sigma / 2)
      if rng.bernoulli(model.outlierRate) { value *= rng.uniform(model.outlierFactor) }
      values.append(value)
    }
    return SyntheticSeries(values: values, shifts: shifts)
  }

  /// One cache-hit series drawn from `model`.
  public static func rateSeries(_ model: RateModel, using rng: inout Generator) -> SyntheticSeries {
    let length = rng.integer(model.length)
    let shifts = shiftPositions(
      count: rng.integer(model.shiftCount), length: length, gap: model.minGap, using: &rng)
    var rate = model.highRate
    var isHigh = true
    var nextShift = 0
    var values: [Double] = []
    values.reserveCapacity(length)
    for t in 0..<length {
      if nextShift < shifts.count, shifts[nextShift] == t {
        rate = isHigh ? rng.uniform(model.lowRate) : model.highRate
        isHigh.toggle()
        nextShift += 1
      }
      if let steps = model.stepsPerBuild, steps > 0 {
        var hits = 0
        for _ in 0..<steps where rng.bernoulli(rate) { hits += 1 }
        values.append(Double(hits) / Double(steps))
      } else {
        values.append(rng.bernoulli(rate) ? 1 : 0)
      }
    }
    return SyntheticSeries(values: values, shifts: shifts)
  }

  // MARK: Scoring

  /// Detection counts over one or more series.
  public struct Score: Sendable, Equatable {
    /// Injected shifts.
    public var injected = 0
    /// Reported change points.
    public var detected = 0
    /// Reported points within tolerance of an injected shift (each shift matched at most once).
    public var truePositives = 0
    /// Builds scored (for the false-alarm rate).
    public var builds = 0

    /// Creates a score.
    public init(injected: Int = 0, detected: Int = 0, truePositives: Int = 0, builds: Int = 0) {
      self.injected = injected
      self.detected = detected
      self.truePositives = truePositives
      self.builds = builds
    }

    /// TP / detected, or `nil` when nothing was detected.
    public var precision: Double? { detected == 0 ? nil : Double(truePositives) / Double(detected) }
    /// TP / injected, or `nil` when nothing was injected.
    public var recall: Double? { injected == 0 ? nil : Double(truePositives) / Double(injected) }
    /// Unmatched detections per 1,000 builds.
    public var falseAlarmsPerThousandBuilds: Double {
      builds == 0 ? 0 : Double(detected - truePositives) * 1000 / Double(builds)
    }

    /// Sum of two scores.
    public static func + (a: Score, b: Score) -> Score {
      Score(
        injected: a.injected + b.injected, detected: a.detected + b.detected,
        truePositives: a.truePositives + b.truePositives, builds: a.builds + b.builds)
    }
  }

  /// Scores `detected` against `injected`: a detection within ±`tolerance` builds of an unmatched shift is a true positive.
  public static func score(detected: [Int], injected: [Int], builds: Int = 0, tolerance: Int = 3)
    -> Score
  {
    Score(
      injected: injected.count, detected: detected.count,
      truePositives: matches(detected: detected, injected: injected, tolerance: tolerance).count,
      builds: builds)
  }

  /// The pairs (injected shift, detected point) that `score` counts as true positives: shifts in order, each
  /// matched to the nearest unused detection within ±`tolerance` builds (the earlier one on ties).
  public static func matches(detected: [Int], injected: [Int], tolerance: Int = 3) -> [(
    injected: Int, detected: Int
  )] {
    let points = detected.sorted()
    var used = [Bool](repeating: false, count: points.count)
    var pairs: [(injected: Int, detected: Int)] = []
    for shift in injected.sorted() {
      var best: Int?
      for (i, point) in points.enumerated() where !used[i] && abs(point - shift) <= tolerance {
        if let b = best, abs(points[b] - shift) <= abs(point - shift) { continue }
        best = i
      }
      if let b = best {
        used[b] = true
        pairs.append((shift, points[b]))
      }
    }
    return pairs
  }

  // MARK: Scenarios

  /// What a scenario generates.
  public enum Model: Sendable, Equatable {
    /// Executed-step durations, scored with `ChangePointDetector.detect`.
    case durations(DurationModel)
    /// Cache hits, scored with `ChangePointDetector.detectRateShift`.
    case rates(RateModel)
  }

  /// A named batch of synthetic series.
  public struct Scenario: Sendable, Equatable {
    /// Row label.
    public var name: String
    /// Number of series.
    public var series: Int
    /// Generator of each series.
    public var model: Model

    /// Creates a scenario.
    public init(name: String, series: Int, model: Model) {
      self.name = name
      self.series = series
      self.model = model
    }
  }

  /// Outcome of one scenario.
  public struct ScenarioResult: Sendable, Equatable {
    /// The scenario run.
    public var scenario: Scenario
    /// Counts over all its series.
    public var score: Score
    /// Wall-clock seconds spent in the detector (generation excluded).
    public var seconds: Double

    /// Creates a result.
    public init(scenario: Scenario, score: Score, seconds: Double) {
      self.scenario = scenario
      self.score = score
      self.seconds = seconds
    }
  }

  /// The benchmark's rows, each with `series` series.
  public static func standardScenarios(series: Int) -> [Scenario] {
    let shifts = DurationModel()
    var small = DurationModel()
    small.shiftCount = 1...3
    small.shiftSize = 0.2...0.3
    var flat = DurationModel()
    flat.length = 1000...1000
    flat.shiftCount = 0...0
    let flags = RateModel()
    var ratios = RateModel()
    ratios.stepsPerBuild = 20
    var healthy = RateModel()
    healthy.length = 1000...1000
    healthy.shiftCount = 0...0
    return [
      Scenario(name: "durations: 0–3 shifts ±20–100 %", series: series, model: .durations(shifts)),
      Scenario(name: "durations: 1–3 shifts ±20–30 %", series: series, model: .durations(small)),
      Scenario(name: "durations: no shift, 1,000 builds", series: series, model: .durations(flat)),
      Scenario(name: "cache flags: 0.9 ↔ 0–0.5, 0–3 shifts", series: series, model: .rates(flags)),
      Scenario(name: "cache ratios (20 steps): 0.9 ↔ 0–0.5", series: series, model: .rates(ratios)),
      Scenario(
        name: "cache flags: no shift (0.9), 1,000 builds", series: series, model: .rates(healthy)),
    ]
  }

  /// FNV-1a of the name: a stable salt (Swift's `hashValue` changes per process).
  static func salt(_ name: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in name.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
  }

  /// The `index`-th series of `scenario` for run `seed`.
  public static func series(_ scenario: Scenario, index: Int, seed: UInt64) -> SyntheticSeries {
    var state =
      seed ^ salt(scenario.name) ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03)
    var rng = Generator(seed: Generator.splitMix(&state))
    switch scenario.model {
    case .durations(let model): return durationSeries(model, using: &rng)
    case .rates(let model): return rateSeries(model, using: &rng)
    }
  }

  /// The detector a scenario is scored with.
  static func detect(_ values: [Double], model: Model) -> [ChangePoint] {
    switch model {
    case .durations: return ChangePointDetector.detect(values)
    case .rates: return ChangePointDetector.detectRateShift(values)
    }
  }

  /// Generates and scores every series of `scenario`.
  public static func run(_ scenario: Scenario, seed: UInt64) -> ScenarioResult {
    let batch = (0..<scenario.series).map { series(scenario, index: $0, seed: seed) }
    var total = Score()
    var seconds = 0.0
    for item in batch {
      let (points, elapsed) = timed { detect(item.values, model: scenario.model) }
      seconds += elapsed
      total =
        total
        + score(detected: points.map(\.index), injected: item.shifts, builds: item.values.count)
    }
    return ScenarioResult(scenario: scenario, score: total, seconds: seconds)
  }

  // MARK: Report

  /// The Markdown table of `results`: scenario, series, injected, detected, TP, precision, recall, false alarms, time
  /// (precision is left blank for rows without injected shifts: every detection there is a false alarm).
  public static func markdownTable(_ results: [ScenarioResult]) -> String {
    func ratio(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "–" }
    var lines = [
      "| scenario | series | injected | detected | TP | precision | recall | false alarms / 1,000 builds | time (s) |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results {
      let s = result.score
      lines.append(
        "| \(result.scenario.name) | \(result.scenario.series) | \(s.injected) | \(s.detected) | \(s.truePositives) | "
          + "\(ratio(s.injected == 0 ? nil : s.precision)) | \(ratio(s.recall)) | \(String(format: "%.3f", s.falseAlarmsPerThousandBuilds)) | "
          + "\(String(format: "%.3f", result.seconds)) |")
    }
    return lines.joined(separator: "\n")
  }
}
