import BuildLog
import BuildStore
import Foundation

/// Renders `buildtrail why`: the verdict first, then the evidence.
public struct ExplanationRenderer: Sendable {
  public var format: OutputFormat
  public var terminal: Terminal

  public init(format: OutputFormat, terminal: Terminal) {
    self.format = format
    self.terminal = terminal
  }

  struct StepJSON: Encodable {
    var key: String
    var name: String
    var status: String
    var seconds: Double?
    init(_ s: StoredStep) {
      key = s.key
      name = s.name
      status = s.status.rawValue
      seconds = s.durationSeconds
    }
  }

  struct CauseJSON: Encodable {
    var kind: String
    var summary: String
    var file: String?
    var changes: [DependencyChange]?
    var added: [String]?
    var removed: [String]?
    var contextBytesBefore: Int64?
    var contextBytesAfter: Int64?
    var change: String?
    var before: String?
    var after: String?
    var line: Int?
    var source: String?
    var paths: [String]?
    var count: Int?
    var reference: String?
    var mounts: [MountWarmth]?
    var buildArg: BuildArgumentChange?
    var cachePlumbing: CachePlumbingFinding?
    var advice: String?

    init(_ cause: MissCause) {
      kind = cause.kind
      summary = cause.summary
      switch cause {
      case .dependencies(let file, let changes):
        self.file = file
        self.changes = changes
      case .dockerignore(let file, let added, let removed, let before, let after):
        self.file = file
        self.added = added
        self.removed = removed
        contextBytesBefore = before
        contextBytesAfter = after
      case .dockerfile(let file, let change, let before, let after, let line):
        self.file = file
        self.change = change
        self.before = before
        self.after = after
        self.line = line
      case .files(let source, let paths, let count):
        self.source = source
        self.paths = paths
        self.count = count
      case .baseImage(let reference, let before, let after):
        self.reference = reference
        self.before = before
        self.after = after
      case .cacheLost(let mounts):
        self.mounts = mounts
      case .noBaseline:
        break
      case .buildArgument(let change):
        buildArg = change
        advice = change.advice
      case .cachePlumbing(let finding):
        cachePlumbing = finding
        advice = finding.advice
      }
    }
  }

  struct RootJSON: Encodable {
    var step: StepJSON
    var costSeconds: Double
    var cause: CauseJSON
    var cascade: [StepJSON]
  }

  struct WhyJSON: Encodable {
    var build: BuildSummaryJSON
    var baseline: BuildSummaryJSON?
    var baselineReason: String
    var verdict: String
    var evidence: String
    var commits: [GitHistory.Commit]
    var rebuiltSteps: Int
    var costSeconds: Double
    var failedStep: StepJSON?
    var rootMisses: [RootJSON]
    var notes: [String]
  }

  public func render(_ e: CacheExplanation) -> String {
    switch format {
    case .json:
      return JSONOutput.encode(
        [
          "why": WhyJSON(
            build: BuildSummaryJSON(e.build.summary),
            baseline: e.baseline.map { BuildSummaryJSON($0.summary) },
            baselineReason: e.baselineReason, verdict: e.verdict, evidence: e.evidence.rawValue,
            commits: e.commits,
            rebuiltSteps: e.rebuiltSteps, costSeconds: (e.costSeconds * 1000).rounded() / 1000,
            failedStep: e.failedStep.map(StepJSON.init),
            rootMisses: e.rootMisses.map {
              RootJSON(
                step: StepJSON($0.step), costSeconds: ($0.costSeconds * 1000).rounded() / 1000,
                cause: CauseJSON($0.cause),
                cascade: $0.cascade.map(StepJSON.init))
            }, notes: e.notes)
        ])
    case .csv:
      var lines = [CSV.line(["build_id", "role", "key", "name", "seconds", "cause_kind", "cause"])]
      for miss in e.rootMisses {
        for (role, step) in [("root", miss.step)] + miss.cascade.map({ ("cascade", $0) }) {
          lines.append(
            CSV.line([
              String(e.build.summary.id), role, step.key, step.name,
              step.durationSeconds.map { String($0) } ?? "", miss.cause.kind, miss.cause.summary,
            ]))
        }
      }
      return lines.joined(separator: "\n") + "\n"
    case .table:
      return table(e)
    }
  }

  private func table(_ e: CacheExplanation) -> String {
    var out =
      terminal.paint(e.verdict, e.rootMisses.isEmpty && e.failedStep == nil ? .green : .bold)
      + "\n\n"
    out += "Build \(e.build.summary.id)"
    if let b = e.baseline { out += " against build \(b.summary.id)" }
    out += safeLine(" (\(e.baselineReason))")
    switch e.evidence {
    case .git:
      out +=
        "  evidence  git, \(e.commits.count) commit\(e.commits.count == 1 ? "" : "s") after the baseline's\n"
      for c in e.commits.suffix(10) { out += safeLine("    \(c.commit.prefix(8)) \(c.subject)") }
      if e.commits.count > 10 { out += "    … and \(e.commits.count - 10) earlier\n" }
    case .snapshots:
      out +=
        "  evidence  the inputs and context file lists recorded with the builds (commits not in this clone)\n"
    case .none:
      if e.baseline != nil { out += "  evidence  the logs alone (no git, no recorded inputs)\n" }
    }
    for miss in e.rootMisses {
      out += "\n" + terminal.paint("  Root miss", .bold) + safeLine("  \(compact(miss.step.name))")
      out += "    cost     \(formatSeconds(miss.costSeconds))"
      out +=
        miss.cascade.isEmpty
        ? "\n"
        : " (\(formatSeconds(miss.step.durationSeconds)) itself, the rest in \(miss.cascade.count) step\(miss.cascade.count == 1 ? "" : "s") it invalidated)\n"
      out += safeLine("    cause    \(miss.cause.summary)")
      out += evidenceLines(miss.cause)
      for step in miss.cascade {
        out +=
          terminal.paint("    then     ", .dim)
          + safeLine("\(compact(step.name)) (\(formatSeconds(step.durationSeconds)))")
      }
    }
    if let failed = e.failedStep {
      out += "\n" + terminal.paint("  Failed", .red) + safeLine("     \(compact(failed.name))")
      if let error = failed.errorText { out += safeLine("    \(error)") }
    }
    if !e.notes.isEmpty {
      out += "\n  Notes\n"
      for n in e.notes { out += safeLine("    - \(n)") }
    }
    return out
  }

  private func evidenceLines(_ cause: MissCause) -> String {
    var out = ""
    switch cause {
    case .dependencies(_, let changes):
      guard changes.count > 4 else { break }
      for c in changes.prefix(20) { out += safeLine("               \(c.summary)") }
      if changes.count > 20 { out += "               … and \(changes.count - 20) more\n" }
    case .dockerignore(_, let added, let removed, let before, let after):
      for p in removed { out += safeLine("               - \(p)") }
      for p in added { out += safeLine("               + \(p)") }
      _ = (before, after)
    case .dockerfile(_, _, let before, let after, _):
      guard before != after else { break }
      if let before { out += "               before: \(oneLine(before))\n" }
      if let after { out += "               after:  \(oneLine(after))\n" }
    case .files(_, let paths, let count):
      for p in paths { out += safeLine("               \(p)") }
      if count > paths.count { out += "               … and \(count - paths.count) more\n" }
    case .baseImage(_, let before, let after):
      out +=
        safeLine("               \(before ?? "(none)")")
        + safeLine("               → \(after ?? "(none)")")
    case .cacheLost(let mounts):
      for m in mounts {
        for line in m.evidence { out += safeLine("               \(m.tool): \(line)") }
      }
    case .noBaseline:
      break
    case .buildArgument(let change):
      out += safeLine("    change   \(change.advice)")
    case .cachePlumbing(let finding):
      out += safeLine("    change   \(finding.advice)")
    }
    return out
  }

  /// A Dockerfile instruction on one line, safe for the terminal, at most 100 characters.
  private func oneLine(_ text: String) -> String {
    truncate(TerminalText.sanitized(text.replacingOccurrences(of: "\n", with: " ")), to: 100)
  }
}

/// A step name with BuildKit's runs of spaces (from line continuations) folded, for reading.
func compact(_ name: String) -> String {
  name.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
}

/// Renders `buildtrail broke`.
public struct CacheBreakRenderer: Sendable {
  public var format: OutputFormat
  public var terminal: Terminal

  public init(format: OutputFormat, terminal: Terminal) {
    self.format = format
    self.terminal = terminal
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
    var series: [CacheBreak.Point]
  }

  public func render(_ breaks: [CacheBreak], branch: String?) -> String {
    let rows = breaks.map {
      BreakJSON(
        key: $0.key, name: $0.name, broken: $0.isBroken, brokeAt: $0.brokeAt?.id,
        brokeAtCommit: $0.brokeAt?.commit,
        lastGood: $0.lastGood?.id, lastGoodCommit: $0.lastGood?.commit, commits: $0.commits,
        cause: $0.cause.map(ExplanationRenderer.CauseJSON.init), rootStep: $0.rootStep,
        fixedAt: $0.fixedAt?.id,
        series: $0.series)
    }
    switch format {
    case .json:
      return JSONOutput.encode(["broke": rows])
    case .csv:
      var lines = [
        CSV.line(["key", "name", "broken", "broke_at", "last_good", "fixed_at", "cause"])
      ]
      for r in rows {
        lines.append(
          CSV.line([
            r.key, r.name, String(r.broken), r.brokeAt.map { String($0) } ?? "",
            r.lastGood.map { String($0) } ?? "",
            r.fixedAt.map { String($0) } ?? "", r.cause?.summary ?? "",
          ]))
      }
      return lines.joined(separator: "\n") + "\n"
    case .table:
      var out = ""
      let found = breaks.filter { $0.brokeAt != nil }
      if found.isEmpty {
        out += safeLine(
          "No step's caching broke in the last \(breaks.first?.series.count ?? 0) builds of \(branch ?? "this history")."
        )
      }
      for b in found {
        out += terminal.paint(compact(b.name), .bold) + "\n"
        let track = b.series.map { $0.state == "cached" ? "·" : $0.state == "failed" ? "✗" : "█" }
          .joined()
        out += "  history  \(track)  (oldest → newest; · cached, █ ran, ✗ failed)\n"
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
        if let fixed = b.fixedAt {
          out +=
            terminal.paint("  fixed", .green)
            + safeLine("    at build \(fixed.id)\(fixed.commit.map { " (\($0.prefix(8)))" } ?? "")")
        } else {
          out += terminal.paint("  still", .red) + "    missing the cache in the latest build\n"
        }
        out += "\n"
      }
      return out
    }
  }
}
