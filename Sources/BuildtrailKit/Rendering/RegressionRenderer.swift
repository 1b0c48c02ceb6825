import BuildStore
import Foundation

/// Renders `buildtrail regressions`.
public struct RegressionRenderer: Sendable {
  public var format: OutputFormat
  public var terminal: Terminal

  public init(format: OutputFormat, terminal: Terminal) {
    self.format = format
    self.terminal = terminal
  }

  struct RegressionJSON: Encodable {
    var kind: String
    var series: String
    var key: String?
    var branch: String?
    var target: String?
    var build: Int64
    var commit: String?
    var previousBuild: Int64?
    var medianBefore: Double
    var medianAfter: Double
    var relativeChange: Double
    var confidence: Double
    var pValue: Double
    var cause: String?
  }

  public func render(_ regressions: [Regression]) -> String {
    let rows = regressions.map {
      RegressionJSON(
        kind: $0.kind.rawValue, series: $0.series, key: $0.key, branch: $0.branch,
        target: $0.target, build: $0.build.id,
        commit: $0.build.commit, previousBuild: $0.previous?.id,
        medianBefore: round3($0.change.medianBefore),
        medianAfter: round3($0.change.medianAfter),
        relativeChange: round3($0.change.relativeChange),
        confidence: $0.change.confidence, pValue: $0.change.pValue, cause: $0.cause)
    }
    switch format {
    case .json:
      return JSONOutput.encode(["regressions": rows])
    case .csv:
      var lines = [
        CSV.line([
          "build_id", "kind", "series", "branch", "median_before", "median_after",
          "relative_change", "confidence", "cause",
        ])
      ]
      for r in rows {
        lines.append(
          CSV.line([
            String(r.build), r.kind, r.series, r.branch ?? "", String(r.medianBefore),
            String(r.medianAfter),
            String(r.relativeChange), String(r.confidence), r.cause ?? "",
          ]))
      }
      return lines.joined(separator: "\n") + "\n"
    case .table:
      guard !regressions.isEmpty else { return "No regressions found.\n" }
      var out = ""
      // Steps that started missing the cache at the same build for the same cause are one event.
      var shown: [(Regression, [Regression])] = []
      for r in regressions {
        if r.kind == .stepCache,
          let i = shown.firstIndex(where: {
            $0.0.kind == .stepCache && $0.0.build.id == r.build.id && $0.0.cause == r.cause
              && $0.0.branch == r.branch
          })
        {
          shown[i].1.append(r)
        } else {
          shown.append((r, []))
        }
      }
      for (r, more) in shown {
        let rate = r.kind == .cacheRate || r.kind == .stepCache
        let before =
          rate
          ? percent(r.change.medianBefore, signed: false) : formatSeconds(r.change.medianBefore)
        let after =
          rate ? percent(r.change.medianAfter, signed: false) : formatSeconds(r.change.medianAfter)
        let change =
          rate
          ? "\(Int(((r.change.medianAfter - r.change.medianBefore) * 100).rounded())) points"
          : percent(r.change.relativeChange)
        out += terminal.paint("▲ \(r.kind.rawValue)", .red)
        out +=
          "  \(truncate(TerminalText.sanitized(compact(r.series)), to: max(30, terminal.width - 24)))\n"
        if !more.isEmpty {
          out +=
            "    and \(more.count) later step\(more.count == 1 ? "" : "s") of its stage at the same build\n"
        }
        var line =
          "    from build \(r.build.id)\(r.build.commit.map { " (\($0.prefix(8)))" } ?? "") on \(r.branch ?? "?")"
        line += r.target.map { ", target \($0)" } ?? ""
        out += safeLine(
          line
            + ": \(before) → \(after) (\(change)), confidence \(String(format: "%.4f", r.change.confidence))"
        )
        if let cause = r.cause { out += safeLine("    cause: \(cause)") }
      }
      return out
    }
  }
}

private func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
