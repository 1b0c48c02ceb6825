import BuildStore
import BuildtrailKit
import Foundation

/// Renders `buildtrail trend`: two charts (duration, cache hits) for people, the points for scripts.
public struct TrendRenderer: OutputRenderer {
  /// The format and terminal to write for.
  public var style: OutputStyle
  /// The dots, blocks or characters the charts are drawn with.
  public var glyphs = ChartGlyphs.braille
  /// The `--since` date asked for, named when no build matched.
  public var since: Date?

  /// A renderer for `style` drawing with braille.
  public init(style: OutputStyle) { self.style = style }

  /// A renderer writing `format` for `terminal`, drawing with `glyphs`; `since` is named when no
  /// build matched.
  public init(format: OutputFormat, terminal: Terminal, glyphs: ChartGlyphs, since: Date?) {
    self.init(format: format, terminal: terminal)
    self.glyphs = glyphs
    self.since = since
  }

  /// The `trend` object: the series asked for and its points.
  public func json(_ trend: Trend) -> String {
    JSONOutput.encode(["trend": trend])
  }

  /// A line per build: commit, time, outcome, seconds, cache hit ratio and whether it regressed.
  public func csv(_ trend: Trend) -> String {
    var lines = [
      CSV.line([
        "build_id", "commit", "when", "outcome", "seconds", "cache_hit_ratio", "regression",
      ])
    ]
    for p in trend.points {
      lines.append(
        CSV.line([
          String(p.build), p.commit ?? "", UTCTimestamp.string(from: p.when), p.outcome,
          p.seconds.map { CSV.number($0) } ?? "", p.cacheHitRatio.map { CSV.number($0) } ?? "",
          String(p.regression),
        ]))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Two charts, duration and cache hits, with the regressed and failed builds marked; with a
  /// step, its full name first.
  public func table(_ trend: Trend) -> String {
    let points = trend.points
    guard !points.isEmpty else {
      return safeLine(
        "No builds of \(trend.branch ?? "any branch")\(since.map { " since \(formatWhen($0))" } ?? "")."
      )
    }
    let labels = points.map { p in
      "#\(p.build) \(p.commit.map { String($0.prefix(7)) } ?? "-") \(String(formatWhen(p.when).dropFirst(5).prefix(5)))"
    }
    func mark(_ p: Trend.Point) -> ChartMark? {
      p.regression ? .regression : p.outcome == "failed" ? .failed : nil
    }
    let subject = trend.step.map { compact($0) } ?? "total build duration"
    let scope =
      "\(trend.branch ?? "all branches")\(trend.target.map { ", target \($0)" } ?? "")"
      + "\(trend.service.map { ", service \($0)" } ?? ""), last \(points.count) builds"
    let height = max(6, min(12, (terminal.width - 20) / 8))
    // The step's whole name on a line of its own, so the chart titles never cut it.
    var out = trend.step == nil ? "" : safeLine("Step: \(subject)")
    out += TerminalChart(
      title: "\(trend.step == nil ? "Duration" : "Executed duration") — \(scope)",
      unit: .seconds, width: terminal.width, height: height, glyphs: glyphs,
      color: terminal.useColor
    ).render(zip(points, labels).map { ChartPoint(label: $1, value: $0.seconds, mark: mark($0)) })
    out += "\n"
    var hits = TerminalChart(
      title: trend.step == nil
        ? "Cache hit ratio — \(scope)"
        : "Cache hits of this step (share of builds cached) — \(scope)",
      unit: .ratio, width: terminal.width, height: max(5, height / 2), glyphs: glyphs,
      color: terminal.useColor)
    if trend.step != nil { hits.perColumn = .mean }
    out += hits.render(
      zip(points, labels).map { ChartPoint(label: $1, value: $0.cacheHitRatio, mark: mark($0)) })
    return out
  }
}
