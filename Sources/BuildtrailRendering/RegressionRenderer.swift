import BuildStore
import BuildtrailKit
import Foundation

/// Renders `buildtrail regressions`.
public struct RegressionRenderer: OutputRenderer {
  /// The format and terminal to write for.
  public var style: OutputStyle

  /// A renderer for `style`.
  public init(style: OutputStyle) { self.style = style }

  struct RegressionJSON: Encodable {
    var kind: String
    var series: String
    var key: String?
    var branch: String?
    var target: String?
    var service: String?
    var build: Int64
    var commit: String?
    var previousBuild: Int64?
    var medianBefore: Double
    var medianAfter: Double
    var relativeChange: Double
    var confidence: Double
    var pValue: Double
    var cause: String?
    var explainedBy: [ReferenceJSON]?
  }

  struct ReferenceJSON: Encodable {
    var kind: String
    var key: String?
    var series: String
    var build: Int64
    var contribution: Double
  }

  /// The `regressions` list: each change point with its medians, confidence, cause and the steps
  /// that explain it.
  public func json(_ regressions: [Regression]) -> String {
    JSONOutput.encode(["regressions": rows(regressions)])
  }

  /// A line per regression: build, series, medians, relative change, confidence and cause.
  public func csv(_ regressions: [Regression]) -> String {
    var lines = [
      CSV.line([
        "build_id", "kind", "series", "branch", "median_before", "median_after",
        "relative_change", "confidence", "cause",
      ])
    ]
    for r in rows(regressions) {
      lines.append(
        CSV.line([
          String(r.build), r.kind, r.series, r.branch ?? "", CSV.number(r.medianBefore),
          CSV.number(r.medianAfter), CSV.number(r.relativeChange),
          CSV.number(r.confidence, decimals: 6), r.cause ?? "",
        ]))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func rows(_ regressions: [Regression]) -> [RegressionJSON] {
    regressions.map {
      RegressionJSON(
        kind: $0.kind.rawValue, series: $0.series, key: $0.key, branch: $0.branch,
        target: $0.target, service: $0.service, build: $0.build.id,
        commit: $0.build.commit, previousBuild: $0.previous?.id,
        medianBefore: round3($0.change.medianBefore),
        medianAfter: round3($0.change.medianAfter),
        relativeChange: round3($0.change.relativeChange),
        confidence: $0.change.confidence, pValue: $0.change.pValue, cause: $0.cause?.text,
        explainedBy: $0.explainedBy?.map {
          ReferenceJSON(
            kind: $0.kind.rawValue, key: $0.key, series: $0.series, build: $0.build,
            contribution: round3($0.contribution))
        })
    }
  }

  /// Each regression once, newest first; a total that step regressions account for is shown with them, as
  /// their consequence (its before and after, then the steps), and totals sharing steps are one event.
  public func table(_ regressions: [Regression]) -> String {
    guard !regressions.isEmpty else { return "No regressions found.\n" }
    func sameSeries(_ a: Regression, _ b: Regression) -> Bool {
      a.branch == b.branch && a.target == b.target && a.service == b.service
    }
    func steps(of total: Regression) -> [Int] {
      (total.explainedBy ?? []).compactMap { ref in
        regressions.firstIndex {
          $0.kind == ref.kind && $0.key == ref.key && $0.build.id == ref.build
            && sameSeries($0, total)
        }
      }
    }
    var owner: [Int: Int] = [:]
    for (i, r) in regressions.enumerated() where r.isConsequence {
      for s in steps(of: r) where owner[s] == nil { owner[s] = i }
    }
    var done = Set<Int>()
    var out = ""
    for (i, r) in regressions.enumerated() where !done.contains(i) {
      if let total = r.isConsequence ? steps(of: r).first.flatMap({ owner[$0] }) : owner[i] {
        let totals = regressions.indices.filter { j in
          regressions[j].isConsequence && !done.contains(j)
            && steps(of: regressions[j]).contains { owner[$0] == total }
        }
        let members = regressions.indices.filter { owner[$0] == total && !done.contains($0) }
        for j in totals { out += entry(regressions[j], more: 0, indent: "", consequence: true) }
        out += entries(members.map { regressions[$0] }, indent: "    ")
        done.formUnion(totals + members + [i])
      } else {
        let event = regressions.indices.filter { j in
          j == i || (!done.contains(j) && owner[j] == nil && Self.isSameEvent(r, regressions[j]))
        }
        out += entries(event.map { regressions[$0] }, indent: "")
        done.formUnion(event)
      }
    }
    return out
  }

  /// Steps that started missing the cache at the same build for the same cause are one event.
  static func isSameEvent(_ a: Regression, _ b: Regression) -> Bool {
    a.kind == .stepCache && b.kind == .stepCache && a.build.id == b.build.id
      && a.cause?.text == b.cause?.text
      && a.branch == b.branch && a.target == b.target && a.service == b.service
  }

  /// The regressions with the steps of a stage that started missing at the same build for the same
  /// cause folded into the first of them, with how many more.
  static func events(_ list: [Regression]) -> [(Regression, Int)] {
    var shown: [(Regression, Int)] = []
    for r in list {
      if let i = shown.firstIndex(where: { isSameEvent($0.0, r) }) {
        shown[i].1 += 1
      } else {
        shown.append((r, 0))
      }
    }
    return shown
  }

  func entries(_ list: [Regression], indent: String) -> String {
    Self.events(list).map { entry($0.0, more: $0.1, indent: indent, consequence: false) }.joined()
  }

  func entry(_ r: Regression, more: Int, indent: String, consequence: Bool) -> String {
    let rate = r.kind == .cacheRate || r.kind == .stepCache
    let before =
      rate ? percent(r.change.medianBefore, signed: false) : formatSeconds(r.change.medianBefore)
    let after =
      rate ? percent(r.change.medianAfter, signed: false) : formatSeconds(r.change.medianAfter)
    let change =
      rate
      ? "\(Int(((r.change.medianAfter - r.change.medianBefore) * 100).rounded())) points"
      : percent(r.change.relativeChange)
    var out = indent + terminal.paint("▲ \(r.kind.rawValue)", .red)
    let title =
      TerminalText.sanitized(compact(r.series)) + (consequence ? ", through the steps below" : "")
    out += "  \(truncate(title, to: max(30, terminal.width - 24 - indent.count)))\n"
    if more > 0 {
      out +=
        indent
        + "    and \(more) later step\(more == 1 ? "" : "s") of its stage at the same build\n"
    }
    var line = indent + "    "
    if !consequence {
      line += "from build \(r.build.id)\(r.build.commit.map { " (\($0.prefix(8)))" } ?? "") "
    }
    line +=
      "on \(r.branch ?? "?")" + (r.target.map { ", target \($0)" } ?? "")
      + (r.service.map { ", service \($0)" } ?? "")
    out += safeLine(
      line
        + ": \(before) → \(after) (\(change)), confidence \(String(format: "%.4f", r.change.confidence))"
    )
    if consequence { return out }
    if let cause = r.cause?.text { out += safeLine(indent + "    cause: \(cause)") }
    if r.explainedBy?.isEmpty == true { out += indent + "    no single step explains it\n" }
    return out
  }
}

private func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
