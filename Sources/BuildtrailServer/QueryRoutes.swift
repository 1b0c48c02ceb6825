import BuildLog
import BuildStore
import BuildtrailKit
import BuildtrailRendering

/// The API's read routes, one per query command, each composing the command's use case and its
/// renderer with `format: .json` exactly as the CLI does; defaults are the CLI's.
enum QueryRoutes {
  static let all: [QueryRoute] = [
    builds, show, step, why, diff, broke, failures, trend, regressions, check,
  ]

  private static let terminal = Terminal.plain

  static let builds = QueryRoute(
    path: "/api/v1/builds", command: "builds",
    parameters: ["branch", "target", "service", "label", "outcome", "limit"],
    repeatable: ["label"]
  ) { arguments, history in
    let query = arguments.query
    let filter = BuildFilter(
      branch: query.string("branch"), target: query.string("target"), labels: try query.labels(),
      outcome: try query.outcome(), limit: try query.count("limit", default: 20),
      service: query.string("service"))
    return BuildListRenderer(format: .json, terminal: terminal).render(try history.builds(filter))
  }

  static let show = QueryRoute(path: "/api/v1/builds/{id}", command: "show", parameters: []) {
    arguments, history in
    BuildDetailRenderer(format: .json, terminal: terminal).render(
      try BuildQuery(store: history).build(try arguments.buildID()))
  }

  static let step = QueryRoute(
    path: "/api/v1/builds/{id}/steps/{step}", command: "show --step", parameters: []
  ) { arguments, history in
    StepOutputRenderer(format: .json, terminal: terminal).render(
      try BuildQuery(store: history).stepOutput(
        try arguments.buildID(), step: try arguments.text("step")))
  }

  static let why = QueryRoute(
    path: "/api/v1/builds/{id}/why", command: "why", parameters: ["against"]
  ) { arguments, history in
    let explanation = try CacheExplainer(store: history).explain(
      buildID: try arguments.buildID(), against: try arguments.query.int64("against"), service: nil)
    return ExplanationRenderer(format: .json, terminal: terminal).render(explanation)
  }

  static let diff = QueryRoute(
    path: "/api/v1/diff", command: "diff", parameters: ["before", "after", "service", "all"]
  ) { arguments, history in
    let query = arguments.query
    guard let before = try query.int64("before") else {
      throw APIError(.badRequest, "diff needs before=BUILD (and after=BUILD, else the latest)")
    }
    let diff = try BuildComparison(store: history).diff(
      before, try query.int64("after"), service: query.string("service"))
    return BuildDiffRenderer(format: .json, terminal: terminal, showAll: try query.flag("all"))
      .render(diff)
  }

  static let broke = QueryRoute(
    path: "/api/v1/broke", command: "broke",
    parameters: ["step", "branch", "service", "limit", "all"]
  ) { arguments, history in
    let query = arguments.query
    let result = try CacheBreakFinder(store: history).find(
      stepPattern: query.string("step"), branch: query.string("branch"),
      service: query.string("service"), limit: try query.count("limit", default: 200))
    return CacheBreakRenderer(format: .json, terminal: terminal, all: try query.flag("all"))
      .render(result)
  }

  static let failures = QueryRoute(
    path: "/api/v1/failures", command: "failures", parameters: ["branch", "target", "last"]
  ) { arguments, history in
    let query = arguments.query
    let found = try FailureHistory(store: history).latestStreaks(
      branch: query.string("branch"), target: query.string("target"),
      last: try query.count("last", default: 50))
    return FailureRenderer(format: .json, terminal: terminal).render(found)
  }

  static let trend = QueryRoute(
    path: "/api/v1/trend", command: "trend",
    parameters: ["branch", "target", "service", "step", "last", "since"]
  ) { arguments, history in
    let query = arguments.query
    let since = try query.date("since")
    let options = TrendQuery.Options(
      branch: query.string("branch"), target: query.string("target"),
      service: query.string("service"), step: query.string("step"),
      last: try query.count("last", default: 50), since: since)
    return TrendRenderer(format: .json, terminal: terminal, glyphs: .braille, since: since).render(
      try TrendQuery(store: history).trend(options))
  }

  static let regressions = QueryRoute(
    path: "/api/v1/regressions", command: "regressions",
    parameters: ["branch", "target", "service", "window"]
  ) { arguments, history in
    let query = arguments.query
    let found = try RegressionFinder(
      store: history, window: try query.count("window", default: 500)
    ).find(
      branch: query.string("branch"), target: query.string("target"),
      service: query.string("service"))
    return RegressionRenderer(format: .json, terminal: terminal).render(found)
  }

  static let check = QueryRoute(
    path: "/api/v1/check", command: "check",
    parameters: ["build", "max-slowdown", "min-cache-hit", "window", "service"]
  ) { arguments, history in
    let query = arguments.query
    let thresholds = BuildCheck.Thresholds(
      maxSlowdown: try query.percentage("max-slowdown", range: 0...100_000) ?? 0.2,
      minCacheHit: try query.percentage("min-cache-hit", range: 0...100),
      window: try query.count("window", default: 10))
    let check = try BuildCheck.run(
      store: history, buildID: try query.int64("build"), thresholds: thresholds,
      service: query.string("service"))
    return BuildCheckRenderer(format: .json, terminal: terminal).render(check)
  }
}
