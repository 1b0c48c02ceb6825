import BuildtrailKit
import Foundation

/// Whole synthetic build histories, scored through `RegressionSearch`: step and total points together.
///
/// A history has two stages: `deps` (every step cacheable) and `app`, which copies from `deps` and has a broad
/// `COPY . /app` after which every step runs. Each build misses from a random step of a stage with
/// probability `missRate` (cascading to the end of the stage, and from `deps` into `app`), loses the whole
/// cache with probability `cacheLostRate`, fails at a random executed step with probability `failureRate`,
/// and runs on a slow runner (every step ×`outlierFactor`) with probability `outlierRate`.
///
/// Injected: clusters of 1–3 shifts a few builds apart, each a step slowdown (a step that runs in every
/// build), a cache break (a step and the rest of its stage, and of `app` when in `deps`, miss from then on),
/// or an improvement that must not be reported (a step speedup, a fixed cache). A cluster may instead be a
/// slowdown of `exporting to image`, which no cacheable step explains: the total-duration point is then the
/// truth. Step points count as found within ±3 builds in their own series; a total point counts when it is
/// shown as a regression of its own, that is when no step point explains it.
public enum HistoryBenchmark {
  /// What a history looks like.
  public struct Model: Sendable, Equatable {
    /// Number of builds.
    public var length: ClosedRange<Int> = 150...400
    /// Steps of the `deps` stage, and of `app` (its last 3–5 run in every build).
    public var depsSteps: ClosedRange<Int> = 6...10
    public var appSteps: ClosedRange<Int> = 8...12
    /// Per build and stage: probability that a changed input makes it miss from a random step on.
    public var missRate = 0.25
    /// Per build: probability that the builder's cache is gone (every step runs once).
    public var cacheLostRate = 0.01
    /// Per build: probability that it fails.
    public var failureRate = 0.03
    /// Per build: probability of a slow runner, and its factor.
    public var outlierRate = 0.05
    public var outlierFactor: ClosedRange<Double> = 1.5...3
    /// Coefficient of variation of each step's log-normal noise.
    public var coefficientOfVariation = 0.10
    /// Number of clusters of shifts, at least `clusterGap` builds apart.
    public var clusters: ClosedRange<Int> = 1...3
    public var clusterGap = 30
    /// Shifts in a cluster, and the builds between two of them.
    public var shiftsPerCluster: ClosedRange<Int> = 1...3
    public var closeGap: ClosedRange<Int> = 2...8
    /// Share of clusters that are one slowdown of `exporting to image` (no step explains it).
    public var unexplainedShare = 0.2
    /// Share of shifts that are improvements (a speedup, a fixed cache), not regressions.
    public var improvementShare = 0.15
    /// Size r of a step slowdown (×(1 + r)).
    public var slowdown: ClosedRange<Double> = 0.25...1.0

    /// The default model.
    public init() {}
  }

  /// A regression that was injected: its series and the first build of its new regime.
  public struct Truth: Sendable, Hashable {
    public var kind: Regression.Kind
    public var key: String?
    public var position: Int
  }

  /// A generated history and its injected regressions.
  public struct History: Sendable {
    package var builds: [RegressionSearch.Build]
    public var truth: [Truth]
  }

  /// One step of the layout.
  struct Layout {
    var names: [String]
    var stages: [Int]
    var indexInStage: [Int]
    var seconds: [Double]
    var alwaysFrom: Int
    var depsCount: Int
  }

  static func layout(_ model: Model, using rng: inout RegressionBenchmark.Generator) -> Layout {
    let deps = rng.integer(model.depsSteps)
    let app = rng.integer(model.appSteps)
    let copyAt = app - rng.integer(3...5)
    var layout = Layout(
      names: [], stages: [], indexInStage: [], seconds: [], alwaysFrom: copyAt, depsCount: deps)
    let commands = [
      "uv sync --frozen", "npm ci", "make -j4", "go build ./...", "cargo build --release",
      "pytest -x",
    ]
    for (stage, count) in [(0, deps), (1, app)] {
      for i in 1...count {
        let label = stage == 0 ? "deps" : "app"
        let isCopy = stage == 1 && i == copyAt
        let command =
          isCopy ? "COPY . /app" : "RUN \(commands[(i + stage) % commands.count]) # step \(i)"
        layout.names.append("[\(label) \(i + 1)/\(count + 1)] \(command)")
        layout.stages.append(stage)
        layout.indexInStage.append(i)
        layout.seconds.append(isCopy ? 1 : exp(rng.uniform(log(4)...log(120))))
      }
    }
    return layout
  }

  /// One history drawn from `model`.
  public static func history(_ model: Model, using rng: inout RegressionBenchmark.Generator)
    -> History
  {
    let length = rng.integer(model.length)
    let layout = layout(model, using: &rng)
    let stepCount = layout.names.count
    let always = Set(
      (0..<stepCount).filter {
        layout.stages[$0] == 1 && layout.indexInStage[$0] >= layout.alwaysFrom
      })
    var exporting = exp(rng.uniform(log(3)...log(15)))
    var level = layout.seconds
    // Per stage: the step (index in stage) from which every build misses, after a cache break.
    var forced: [Int?] = [nil, nil]
    var events: [Int: [(inout [Double], inout Double, inout [Int?]) -> Void]] = [:]
    var truth: [Truth] = []

    let clusterCount = rng.integer(model.clusters)
    let starts = RegressionBenchmark.shiftPositions(
      count: clusterCount, length: length - 20, gap: model.clusterGap, using: &rng)
    // Plans events in order, tracking the state they lead to, so the truth names only series that change.
    var planForced: [Int?] = [nil, nil]
    var slowed = Set<Int>()
    for start in starts {
      if rng.bernoulli(model.unexplainedShare) {
        let typical = always.reduce(exporting) { $0 + layout.seconds[$1] }
        let extra = rng.uniform(0.3...0.8) * typical
        events[start, default: []].append { _, exporting, _ in exporting += extra }
        truth.append(Truth(kind: .duration, key: nil, position: start))
        continue
      }
      var position = start
      for shift in 0..<rng.integer(model.shiftsPerCluster) {
        if shift > 0 { position += rng.integer(model.closeGap) }
        let improvement = rng.bernoulli(model.improvementShare)
        let candidates = always.filter { !slowed.contains($0) && layout.seconds[$0] >= 4 }.sorted()
        if improvement {
          if planForced != [nil, nil] && rng.bernoulli(0.5) {
            planForced = [nil, nil]
            events[position, default: []].append { _, _, forced in forced = [nil, nil] }
          } else if let step = pick(candidates, &rng) {
            let r = rng.uniform(model.slowdown)
            events[position, default: []].append { level, _, _ in level[step] /= 1 + r }
          }
        } else if rng.bernoulli(0.55), let step = pick(candidates, &rng) {
          slowed.insert(step)
          let r = rng.uniform(model.slowdown)
          events[position, default: []].append { level, _, _ in level[step] *= 1 + r }
          truth.append(Truth(kind: .stepDuration, key: layout.names[step], position: position))
        } else {
          let stage = rng.integer(0...1)
          let lastBreakable = stage == 0 ? layout.depsCount : layout.alwaysFrom - 1
          let at = rng.integer((stage == 0 ? 1 : 2)...lastBreakable)
          var changed: [Int] = []
          for step in 0..<stepCount where !always.contains(step) {
            let s = layout.stages[step]
            let i = layout.indexInStage[step]
            let wasForced =
              (planForced[s].map { i >= $0 } ?? false) || (s == 1 && i >= 2 && planForced[0] != nil)
            let willBe = (s == stage && i >= at) || (stage == 0 && s == 1 && i >= 2)
            if willBe && !wasForced { changed.append(step) }
          }
          planForced[stage] = min(planForced[stage] ?? at, at)
          events[position, default: []].append { _, _, forced in
            forced[stage] = min(forced[stage] ?? at, at)
          }
          for step in changed {
            truth.append(Truth(kind: .stepCache, key: layout.names[step], position: position))
          }
        }
      }
    }

    let sigma = log1p(model.coefficientOfVariation * model.coefficientOfVariation).squareRoot()
    var builds: [RegressionSearch.Build] = []
    builds.reserveCapacity(length)
    for t in 0..<length {
      for event in events[t] ?? [] { event(&level, &exporting, &forced) }
      let runner = rng.bernoulli(model.outlierRate) ? rng.uniform(model.outlierFactor) : 1
      let lost = rng.bernoulli(model.cacheLostRate)
      var missFrom: [Int] = [Int.max, Int.max]
      for stage in 0...1 {
        let count = stage == 0 ? layout.depsCount : stepCount - layout.depsCount
        if rng.bernoulli(model.missRate) { missFrom[stage] = rng.integer(1...count) }
        if let f = forced[stage] { missFrom[stage] = min(missFrom[stage], f) }
        if lost { missFrom[stage] = 1 }
      }
      if missFrom[0] != Int.max { missFrom[1] = min(missFrom[1], 2) }
      let failsAt: Int? = rng.bernoulli(model.failureRate) ? rng.integer(0...(stepCount - 1)) : nil
      var steps: [RegressionSearch.Step] = []
      var seconds = exporting * exp(sigma * rng.normal() - sigma * sigma / 2) * runner
      var cached = 0
      var failed = false
      for step in 0..<stepCount {
        let ran =
          always.contains(step) || layout.indexInStage[step] >= missFrom[layout.stages[step]]
        let noise = exp(sigma * rng.normal() - sigma * sigma / 2) * runner
        if ran, let f = failsAt, step >= f {
          steps.append(
            .init(key: layout.names[step], name: layout.names[step], executedSeconds: nil, hit: nil)
          )
          failed = true
          break
        }
        let duration = ran ? level[step] * noise : nil
        seconds += duration ?? 0
        if !ran { cached += 1 }
        steps.append(
          .init(
            key: layout.names[step], name: layout.names[step], executedSeconds: duration, hit: !ran)
        )
      }
      builds.append(
        .init(
          successful: !failed, seconds: seconds,
          cacheHitRatio: Double(cached) / Double(steps.count),
          cacheableSteps: steps.count, steps: steps))
    }
    return History(builds: builds, truth: truth)
  }

  static func pick(_ items: [Int], _ rng: inout RegressionBenchmark.Generator) -> Int? {
    items.isEmpty ? nil : items[rng.integer(0...(items.count - 1))]
  }

  /// Scores what `RegressionSearch` reports on `history`: every step point, and each total point not explained
  /// by step points (with attribution off, every total point).
  package static func score(_ points: [RegressionSearch.Point], truth: [Truth], builds: Int)
    -> RegressionBenchmark.Score
  {
    scoreByKind(points, truth: truth, builds: builds).values.reduce(
      RegressionBenchmark.Score(builds: builds), +)
  }

  /// `score`, split by the kind of series (each kind's `builds` is 0: add them up through `score`).
  package static func scoreByKind(_ points: [RegressionSearch.Point], truth: [Truth], builds: Int)
    -> [Regression.Kind: RegressionBenchmark.Score]
  {
    let reported = points.filter { $0.key != nil || ($0.explainedBy?.isEmpty ?? true) }
    var detected: [String: [Int]] = [:]
    var injected: [String: [Int]] = [:]
    for point in reported {
      detected["\(point.kind.rawValue) \(point.key ?? "")", default: []].append(point.position)
    }
    for t in truth { injected["\(t.kind.rawValue) \(t.key ?? "")", default: []].append(t.position) }
    var byKind: [Regression.Kind: RegressionBenchmark.Score] = [:]
    for label in Set(detected.keys).union(injected.keys) {
      let kind = Regression.Kind(rawValue: String(label.prefix { $0 != " " })) ?? .duration
      let s = RegressionBenchmark.score(
        detected: detected[label] ?? [], injected: injected[label] ?? [])
      byKind[kind, default: .init()] = byKind[kind, default: .init()] + s
    }
    return byKind
  }

  /// The `index`-th history of a named scenario for run `seed`.
  public static func history(_ model: Model, name: String, index: Int, seed: UInt64) -> History {
    var state =
      seed ^ RegressionBenchmark.salt(name)
      ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03)
    var rng = RegressionBenchmark.Generator(seed: RegressionBenchmark.Generator.splitMix(&state))
    return history(model, using: &rng)
  }

  /// A named batch of histories, scored with attribution on or off.
  public struct Scenario: Sendable, Equatable {
    public var name: String
    public var histories: Int
    public var model: Model
    public var attributes: Bool

    /// Creates a scenario.
    public init(name: String, histories: Int, model: Model, attributes: Bool) {
      self.name = name
      self.histories = histories
      self.model = model
      self.attributes = attributes
    }
  }

  /// The benchmark's history rows.
  public static func standardScenarios(histories: Int) -> [Scenario] {
    let close = Model()
    var quiet = Model()
    quiet.length = 1000...1000
    quiet.clusters = 0...0
    return [
      Scenario(
        name: "histories: close shifts, cascading misses", histories: histories, model: close,
        attributes: true),
      Scenario(
        name: "histories: close shifts, cascading misses (totals not attributed)",
        histories: histories, model: close,
        attributes: false),
      Scenario(
        name: "histories: no shift, 1,000 builds, cascading misses", histories: histories,
        model: quiet, attributes: true),
    ]
  }

  /// Generates and scores every history of `scenario` (histories are named by the model, so the two
  /// attribution settings see the same histories).
  public static func run(_ scenario: Scenario, seed: UInt64) -> RegressionBenchmark.ScenarioResult {
    let (result, _) = runByKind(scenario, seed: seed)
    return result
  }

  /// `run`, with the score of each kind of series as well.
  public static func runByKind(_ scenario: Scenario, seed: UInt64)
    -> (RegressionBenchmark.ScenarioResult, [Regression.Kind: RegressionBenchmark.Score])
  {
    var settings = RegressionSearch.Settings()
    settings.attributes = scenario.attributes
    let name = scenario.model == Model() ? "close shifts" : scenario.name
    var total = RegressionBenchmark.Score()
    var byKind: [Regression.Kind: RegressionBenchmark.Score] = [:]
    var seconds = 0.0
    for index in 0..<scenario.histories {
      let item = history(scenario.model, name: name, index: index, seed: seed)
      let (points, elapsed) = RegressionBenchmark.timed {
        RegressionSearch.run(item.builds, settings: settings)
      }
      seconds += elapsed
      total = total + score(points, truth: item.truth, builds: item.builds.count)
      for (kind, s) in scoreByKind(points, truth: item.truth, builds: item.builds.count) {
        byKind[kind, default: .init()] = byKind[kind, default: .init()] + s
      }
    }
    let row = RegressionBenchmark.Scenario(
      name: scenario.name, series: scenario.histories, model: .durations(.init()))
    return (
      RegressionBenchmark.ScenarioResult(scenario: row, score: total, seconds: seconds), byKind
    )
  }
}
