import BuildLog
import BuildStore
import Foundation

/// `buildtrail trend`: a branch's recent builds as charts of total duration, cache hit ratio, or one
/// step's executed duration and cache hits, with failed builds and detected regressions marked.
public struct TrendView {
  public struct Options: Sendable {
    public var branch: String?
    public var target: String?
    public var service: String?
    public var step: String?
    public var last: Int
    public var since: Date?
    public var glyphs: ChartGlyphs

    public init(
      branch: String? = nil, target: String? = nil, service: String? = nil, step: String? = nil,
      last: Int = 50, since: Date? = nil, glyphs: ChartGlyphs = .braille
    ) {
      self.branch = branch
      self.target = target
      self.service = service
      self.step = step
      self.last = last
      self.since = since
      self.glyphs = glyphs
    }
  }

  /// One build's values in the trend.
  public struct Point: Sendable, Codable {
    public var build: Int64
    public var commit: String?
    public var when: Date
    public var outcome: String
    public var seconds: Double?
    public var cacheHitRatio: Double?
    public var regression: Bool
  }

  public var store: BuildStore
  public var terminal: Terminal
  public var format: OutputFormat

  public init(store: BuildStore, terminal: Terminal, format: OutputFormat) {
    self.store = store
    self.terminal = terminal
    self.format = format
  }

  public func render(_ options: Options) throws -> String {
    let latestID = try store.chosenBuildID(nil, service: options.service)
    guard let latest = try store.build(id: latestID) else {
      throw StoreError.emptyHistory(path: store.path)
    }
    let branch = options.branch ?? latest.summary.branch
    let target = options.target ?? (options.branch == nil ? latest.summary.target : nil)
    let service = options.service ?? (options.branch == nil ? latest.summary.service : nil)
    let builds = try store.timeline(
      branch: branch, target: target, service: service, limit: options.last, since: options.since)
    guard !builds.isEmpty else {
      return safeLine(
        "No builds of \(branch ?? "any branch")\(options.since.map { " since \(formatWhen($0))" } ?? "")."
      )
    }
    var points: [Point] = []
    var stepName: String?
    var regressionBuilds = Set<Int64>()
    let steps = try store.steps(ofBuilds: builds.map(\.id))
    let found = try RegressionFinder(store: store).find(
      in: builds, steps: steps, branch: branch, target: target)
    if let pattern = options.step {
      var candidates = (steps[builds.last?.id ?? 0] ?? []).filter {
        $0.kind.isCacheable && $0.name.localizedCaseInsensitiveContains(pattern)
      }
      let keys = Set(candidates.map(\.key))
      if keys.count > 1 {
        let exact = candidates.filter {
          $0.name.caseInsensitiveCompare(pattern) == .orderedSame
            || compact($0.name).caseInsensitiveCompare(pattern) == .orderedSame
        }
        guard exact.count == 1 else {
          let listed = candidates.prefix(10).map { "  \(compact($0.name))" }.joined(separator: "\n")
          throw BuildtrailError.ambiguous(
            "--step '\(pattern)' matches \(keys.count) steps; give more of one name:\n\(listed)"
              + (candidates.count > 10 ? "\n  … and \(candidates.count - 10) more" : ""))
        }
        candidates = exact
      }
      guard
        let chosen = candidates.first
          ?? steps.values.joined().first(where: {
            $0.name.localizedCaseInsensitiveContains(pattern)
          })
      else {
        throw BuildtrailError.invalidArgument(
          "no step of these builds matches '\(pattern)'; `buildtrail show` lists the steps")
      }
      stepName = chosen.name
      regressionBuilds = Set(found.filter { $0.key == chosen.key }.map(\.build.id))
      for b in builds {
        let s = steps[b.id]?.first { $0.key == chosen.key }
        points.append(
          Point(
            build: b.id, commit: b.commit, when: b.when, outcome: b.outcome.rawValue,
            seconds: s?.status == .done || s?.status == .error ? s?.durationSeconds : nil,
            cacheHitRatio: s.map { $0.status == .cached ? 1 : 0 },
            regression: regressionBuilds.contains(b.id)))
      }
    } else {
      // A total that steps explain is marked where those steps shifted, not at a build of its own.
      regressionBuilds = Set(
        found.filter { $0.key == nil }.flatMap { total in
          total.isConsequence ? (total.explainedBy ?? []).map(\.build) : [total.build.id]
        })
      points = builds.map {
        Point(
          build: $0.id, commit: $0.commit, when: $0.when, outcome: $0.outcome.rawValue,
          seconds: $0.seconds,
          cacheHitRatio: $0.cacheHitRatio, regression: regressionBuilds.contains($0.id))
      }
    }
    switch format {
    case .json:
      struct TrendJSON: Encodable {
        var branch: String?
        var target: String?
        var service: String?
        var step: String?
        var points: [Point]
      }
      return JSONOutput.encode([
        "trend": TrendJSON(
          branch: branch, target: target, service: service, step: stepName, points: points)
      ])
    case .csv:
      var lines = [
        CSV.line([
          "build_id", "commit", "when", "outcome", "seconds", "cache_hit_ratio", "regression",
        ])
      ]
      for p in points {
        lines.append(
          CSV.line([
            String(p.build), p.commit ?? "", UTCTimestamp.string(from: p.when), p.outcome,
            p.seconds.map { CSV.number($0) } ?? "", p.cacheHitRatio.map { CSV.number($0) } ?? "",
            String(p.regression),
          ]))
      }
      return lines.joined(separator: "\n") + "\n"
    case .table:
      let labels = points.map { p in
        "#\(p.build) \(p.commit.map { String($0.prefix(7)) } ?? "-") \(String(formatWhen(p.when).dropFirst(5).prefix(5)))"
      }
      func mark(_ p: Point) -> ChartMark? {
        p.regression ? .regression : p.outcome == "failed" ? .failed : nil
      }
      let subject = stepName.map { compact($0) } ?? "total build duration"
      let scope =
        "\(branch ?? "all branches")\(target.map { ", target \($0)" } ?? "")"
        + "\(service.map { ", service \($0)" } ?? ""), last \(points.count) builds"
      let height = max(6, min(12, (terminal.width - 20) / 8))
      // The step's whole name on a line of its own, so the chart titles never cut it.
      var out = stepName == nil ? "" : safeLine("Step: \(subject)")
      out += TerminalChart(
        title: "\(stepName == nil ? "Duration" : "Executed duration") — \(scope)",
        unit: .seconds, width: terminal.width, height: height, glyphs: options.glyphs,
        color: terminal.useColor
      ).render(zip(points, labels).map { ChartPoint(label: $1, value: $0.seconds, mark: mark($0)) })
      out += "\n"
      var hits = TerminalChart(
        title: stepName == nil
          ? "Cache hit ratio — \(scope)"
          : "Cache hits of this step (share of builds cached) — \(scope)",
        unit: .ratio, width: terminal.width, height: max(5, height / 2), glyphs: options.glyphs,
        color: terminal.useColor)
      if stepName != nil { hits.perColumn = .mean }
      out += hits.render(
        zip(points, labels).map { ChartPoint(label: $1, value: $0.cacheHitRatio, mark: mark($0)) })
      return out
    }
  }
}
