import BuildLog
import BuildStore
import BuildtrailKit
import BuildtrailRendering

/// The API's read routes, one per query command: each maps its parameters to the command's use case
/// once, and renders the value with the command's renderer and `format: .json` exactly as the CLI
/// does; defaults are the CLI's. `{id}` is a build id or `latest`.
enum QueryRoutes {
  static let all: [QueryRoute] = [
    builds, show, step, why, diff, broke, failures, trend, regressions, check,
  ]

  private static let terminal = Terminal.plain

  static let builds = QueryRoute(
    path: "/api/v1/builds", command: "builds",
    parameters: ["branch", "target", "service", "label", "outcome", "limit"],
    repeatable: ["label"],
    value: { arguments, history in
      let query = arguments.query
      return try BuildList(
        store: history,
        filter: BuildFilter(
          branch: query.string("branch"), target: query.string("target"),
          labels: try query.labels(), outcome: try query.outcome(),
          limit: try query.count("limit", default: 20), service: query.string("service")))
    },
    json: { list, _ in BuildListRenderer(format: .json, terminal: terminal).render(list.builds) })

  static let show = QueryRoute(
    path: "/api/v1/builds/{id}", command: "show", parameters: [],
    value: { arguments, history in try BuildQuery(store: history).build(try arguments.buildID()) },
    json: { shown, _ in BuildDetailRenderer(format: .json, terminal: terminal).render(shown) })

  static let step = QueryRoute(
    path: "/api/v1/builds/{id}/steps/{step}", command: "show --step", parameters: [],
    value: { arguments, history in
      try BuildQuery(store: history).stepOutput(
        try arguments.buildID(), step: try arguments.text("step"))
    },
    json: { output, _ in StepOutputRenderer(format: .json, terminal: terminal).render(output) })

  static let why = QueryRoute(
    path: "/api/v1/builds/{id}/why", command: "why", parameters: ["against", "service"],
    value: { arguments, history in
      try CacheExplainer(store: history).explain(
        buildID: try arguments.buildID(), against: try arguments.query.int64("against"),
        service: arguments.query.string("service"))
    },
    json: { explanation, _ in
      ExplanationRenderer(format: .json, terminal: terminal).render(explanation)
    })

  static let diff = QueryRoute(
    path: "/api/v1/diff", command: "diff", parameters: ["before", "after", "service", "all"],
    value: { arguments, history in
      let query = arguments.query
      guard let before = try query.int64("before") else {
        throw APIError(.badRequest, "diff needs before=BUILD (and after=BUILD, else the latest)")
      }
      return try BuildComparison(store: history).diff(
        before, try query.int64("after"), service: query.string("service"))
    },
    json: { diff, arguments in
      BuildDiffRenderer(
        format: .json, terminal: terminal, showAll: try arguments.query.flag("all")
      ).render(diff)
    })

  static let broke = QueryRoute(
    path: "/api/v1/broke", command: "broke",
    parameters: ["step", "branch", "service", "limit", "all"],
    value: { arguments, history in
      let query = arguments.query
      return CacheBreakList(
        try CacheBreakFinder(store: history).find(
          stepPattern: query.string("step"), branch: query.string("branch"),
          service: query.string("service"), limit: try query.count("limit", default: 200)))
    },
    json: { list, arguments in
      CacheBreakRenderer(format: .json, terminal: terminal, all: try arguments.query.flag("all"))
        .render(list.found)
    })

  static let failures = QueryRoute(
    path: "/api/v1/failures", command: "failures", parameters: ["branch", "target", "last"],
    value: { arguments, history in
      let query = arguments.query
      return FailureStreakList(
        try FailureHistory(store: history).latestStreaks(
          branch: query.string("branch"), target: query.string("target"),
          last: try query.count("last", default: 50)))
    },
    json: { list, _ in FailureRenderer(format: .json, terminal: terminal).render(list.found) })

  static let trend = QueryRoute(
    path: "/api/v1/trend", command: "trend",
    parameters: ["branch", "target", "service", "step", "last", "since"],
    value: { arguments, history in
      let query = arguments.query
      return try TrendQuery(store: history).trend(
        TrendQuery.Options(
          branch: query.string("branch"), target: query.string("target"),
          service: query.string("service"), step: query.string("step"),
          last: try query.count("last", default: 50), since: try query.date("since")))
    },
    json: { trend, arguments in
      TrendRenderer(
        format: .json, terminal: terminal, glyphs: .braille,
        since: try arguments.query.date("since")
      ).render(trend)
    })

  static let regressions = QueryRoute(
    path: "/api/v1/regressions", command: "regressions",
    parameters: ["branch", "target", "service", "window"],
    value: { arguments, history in
      let query = arguments.query
      return try RegressionFinder(store: history, window: try query.count("window", default: 500))
        .find(
          branch: query.string("branch"), target: query.string("target"),
          service: query.string("service"))
    },
    json: { found, _ in RegressionRenderer(format: .json, terminal: terminal).render(found) })

  static let check = QueryRoute(
    path: "/api/v1/check", command: "check",
    parameters: ["build", "max-slowdown", "min-cache-hit", "window", "service"],
    value: { arguments, history in
      let query = arguments.query
      let thresholds = BuildCheck.Thresholds(
        maxSlowdown: try query.percentage("max-slowdown", range: 0...100_000) ?? 0.2,
        minCacheHit: try query.percentage("min-cache-hit", range: 0...100),
        window: try query.count("window", default: 10))
      return try BuildCheck.run(
        store: history, buildID: try query.int64("build"), thresholds: thresholds,
        service: query.string("service"))
    },
    json: { check, _ in BuildCheckRenderer(format: .json, terminal: terminal).render(check) })
}
