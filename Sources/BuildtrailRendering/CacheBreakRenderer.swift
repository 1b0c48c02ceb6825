import BuildLog
import BuildStore
import BuildtrailKit
import Foundation

/// Renders `buildtrail broke`.
public struct CacheBreakRenderer: OutputRenderer {
  /// What `CacheBreakFinder.find` returns: the branch and service looked at, and the steps.
  public typealias Value = (branch: String?, service: String?, breaks: [CacheBreak])

  /// The format and terminal to write for.
  public var style: OutputStyle
  /// Every step looked at, not only those that broke (`--all`).
  public var all = false

  /// A renderer for `style`, showing only the steps that broke.
  public init(style: OutputStyle) { self.style = style }

  /// A renderer writing `format` for `terminal`; with `all`, every step looked at.
  public init(format: OutputFormat, terminal: Terminal, all: Bool) {
    self.init(format: format, terminal: terminal)
    self.all = all
  }

  struct BreakJSON: Encodable {
    var key: String
    var name: String
    var broken: Bool
    var brokeAt: Int64?
    var brokeAtCommit: String?
    var lastGood: Int64?
    var lastGoodCommit: String?
    var commits: [GitHistory.Commit]
    var cause: ExplanationRenderer.CauseJSON?
    var rootStep: String?
    var fixedAt: Int64?
    var fixedAtCommit: String?
    var kind: String
    var structural: StructuralBreakJSON?
    var alwaysAfter: String?
    var misses: [MissJSON]
    var missesLeftOut: Int
    var series: [CacheBreak.Point]
  }

  struct MissJSON: Encodable {
    var build: Int64
    var commit: String?
    var role: String
    var cause: ExplanationRenderer.CauseJSON?
  }

  /// The `broke` list: each step shown with its boundary, commits, cause, fix and misses.
  public func json(_ value: Value) -> String {
    JSONOutput.encode(["broke": rows(value.breaks)])
  }

  /// A line per step shown: whether it is broken, where it broke, was last cached and was fixed.
  public func csv(_ value: Value) -> String {
    var lines = [
      CSV.line(["key", "name", "broken", "broke_at", "last_good", "fixed_at", "cause"])
    ]
    for r in rows(value.breaks) {
      lines.append(
        CSV.line([
          r.key, r.name, String(r.broken), r.brokeAt.map { String($0) } ?? "",
          r.lastGood.map { String($0) } ?? "",
          r.fixedAt.map { String($0) } ?? "", r.cause?.summary ?? "",
        ]))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The steps shown: those that broke; with ``all``, every step looked at (those that always run
  /// after a broad `COPY`, and those that never broke, too).
  private func rows(_ breaks: [CacheBreak]) -> [BreakJSON] {
    (all ? breaks : breaks.filter(\.isBreak)).map {
      BreakJSON(
        key: $0.key, name: $0.name, broken: $0.isBroken, brokeAt: $0.brokeAt?.id,
        brokeAtCommit: $0.brokeAt?.commit,
        lastGood: $0.lastGood?.id, lastGoodCommit: $0.lastGood?.commit, commits: $0.commits,
        cause: $0.cause.map(ExplanationRenderer.CauseJSON.init), rootStep: $0.rootStep,
        fixedAt: $0.fixedAt?.id, fixedAtCommit: $0.fixedAt?.commit, kind: $0.kind,
        structural: $0.structural.map(StructuralBreakJSON.init), alwaysAfter: $0.alwaysAfter,
        misses: $0.misses.map {
          MissJSON(
            build: $0.build.id, commit: $0.build.commit, role: $0.role,
            cause: $0.cause.map(ExplanationRenderer.CauseJSON.init))
        }, missesLeftOut: $0.missesLeftOut,
        series: $0.series)
    }
  }

  /// Each step that broke with its history, boundary, commits, cause and fix; with ``all``, then
  /// why each other step looked at is not broken.
  public func table(_ value: Value) -> String {
    let (branch, service, breaks) = value
    var out = ""
    let found = breaks.filter(\.isBreak)
    if found.isEmpty {
      out += safeLine(
        "No step's caching broke in the last \(breaks.first?.series.count ?? 0) builds of \(branch ?? "this history")"
          + (service.map { " (service \($0))" } ?? "") + "."
      )
    }
    for b in found {
      out += heading(b)
      if let broke = b.brokeAt, let good = b.lastGood {
        var line = "  broke    at build \(broke.id)"
        if let from = good.commit, let to = broke.commit {
          line += " (commits \(from.prefix(8))..\(to.prefix(8)))"
        }
        out += safeLine(line + "; last cached in build \(good.id)")
      }
      for c in b.commits.suffix(5) {
        out += safeLine("             \(c.commit.prefix(8)) \(c.subject)")
      }
      if let cause = b.cause {
        out += safeLine("  cause    \(cause.summary)")
        if let root = b.rootStep {
          out += safeLine("           (this step ran because \(root) did)")
        }
      }
      if let structural = b.structural {
        out += safeLine("  break    \(structural.summary)")
        if structural.fixedBy == nil { out += safeLine("  change   \(structural.advice)") }
      }
      if let fixed = b.fixedAt {
        let how =
          b.kind == "structural"
          ? "by build \(fixed.id), which put it ahead of the copy again" : "at build \(fixed.id)"
        out +=
          terminal.paint("  fixed", .green)
          + safeLine("    \(how)\(fixed.commit.map { " (\($0.prefix(8)))" } ?? "")")
      } else {
        out += terminal.paint("  still", .red) + "    missing the cache in the latest build\n"
      }
      out += misses(b)
      out += "\n"
    }
    if all {
      for b in breaks where !b.isBreak {
        out += heading(b)
        if let copy = b.alwaysAfter {
          out += safeLine(
            "  not broken: it always runs after `\(copy)`, so every source change reruns it")
        } else if b.kind == "broad-copy" {
          out +=
            "  not broken: it copies the whole build context, so every source change reruns it\n"
        } else if !b.misses.isEmpty {
          out += "  not broken: each miss has a one-off cause\n"
          out += misses(b)
        } else {
          out += "  not broken\n"
        }
        out += "\n"
      }
    }
    return out
  }

  /// The step's name and its cached/ran history.
  private func heading(_ b: CacheBreak) -> String {
    let track = b.series.map { $0.state == "cached" ? "·" : $0.state == "failed" ? "✗" : "█" }
      .joined()
    return terminal.paint(compact(b.name), .bold) + "\n"
      + "  history  \(track)  (oldest → newest; · cached, █ ran, ✗ failed)\n"
  }

  /// The misses of the stretch, one line each, with each build's own cause.
  private func misses(_ b: CacheBreak) -> String {
    guard b.misses.count > 1 || b.kind != "structural" else { return "" }
    var out = "  misses   (each build's own cause)\n"
    let roles = [
      "break": "the break", "after-break": "after the break", "one-off": "one-off",
      "other": "other",
    ]
    let shown = b.misses.suffix(12)
    let width = shown.map { String($0.build.id).count }.max() ?? 0
    for m in shown {
      let id = String(m.build.id)
      let role = roles[m.role] ?? m.role
      out += safeLine(
        "    build \(id)\(String(repeating: " ", count: width - id.count))  \(role): \(m.cause?.summary ?? "unknown")"
      )
    }
    let earlier = b.misses.count - shown.count + b.missesLeftOut
    if earlier > 0 { out += "    … and \(earlier) earlier\n" }
    return out
  }
}
