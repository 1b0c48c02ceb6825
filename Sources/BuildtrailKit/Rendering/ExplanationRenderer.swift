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
    var references: [String]?
    var inferred: Bool?
    var suggestion: String?
    var mounts: [MountWarmth]?
    var rewrite: [String]?
    var build: Int64?
    var commit: String?
    var buildArg: BuildArgumentChange?
    var cachePlumbing: CachePlumbingFinding?
    var advice: String?

    init(_ cause: MissCause) {
      kind = cause.kind
      summary = cause.summary
      advice = cause.advice
      switch cause {
      case .dependencies(let file, let changes):
        self.file = file
        self.changes = changes
      case .dependenciesUnchanged(let file, let rewrite):
        self.file = file
        self.changes = []
        self.rewrite = rewrite
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
      case .failedEarlier(let build, let commit):
        self.build = build
        self.commit = commit
      case .baseImageInferred(let references, let mounts):
        self.references = references
        self.mounts = mounts
        inferred = true
        suggestion = BaseImageInference.suggestion
      case .unknown, .noBaseline:
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
    var upstream: UpstreamJSON?
    var structuralBreaks: [StructuralBreakJSON]?

    init(_ miss: RootMiss) {
      step = StepJSON(miss.step)
      costSeconds = (miss.costSeconds * 1000).rounded() / 1000
      cause = CauseJSON(miss.cause)
      cause.summary = miss.summary
      cascade = miss.cascade.map(StepJSON.init)
      upstream = miss.upstream.map(UpstreamJSON.init)
      structuralBreaks =
        miss.structuralBreaks.isEmpty ? nil : miss.structuralBreaks.map(StructuralBreakJSON.init)
    }
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
    var failure: FailureRenderer.FailureJSON?
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
            failure: e.failure.map(FailureRenderer.FailureJSON.init),
            rootMisses: e.rootMisses.map(RootJSON.init), notes: e.notes)
        ])
    case .csv:
      var lines = [CSV.line(["build_id", "role", "key", "name", "seconds", "cause_kind", "cause"])]
      for miss in e.rootMisses {
        for (role, step) in [("root", miss.step)] + miss.cascade.map({ ("cascade", $0) }) {
          lines.append(
            CSV.line([
              String(e.build.summary.id), role, step.key, step.name,
              step.durationSeconds.map { String($0) } ?? "", miss.cause.kind, miss.summary,
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
    if let failure = e.failure {
      out += FailureRenderer(format: format, terminal: terminal).block(failure) + "\n"
    }
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
      out += safeLine("    cause    \(miss.summary)")
      if let upstream = miss.upstream {
        out += safeLine("    via      \(compact(upstream.step.name)) (cached in this build)")
      }
      out += evidenceLines(miss.cause)
      for b in miss.structuralBreaks {
        out += safeLine("    break    " + b.sentence(naming: compact(b.step)))
      }
      if let open = miss.structuralBreaks.first(where: { $0.fixedBy == nil }) {
        out += safeLine("    change   " + open.advice)
      }
      for step in miss.cascade {
        out +=
          terminal.paint("    then     ", .dim)
          + safeLine("\(compact(step.name)) (\(formatSeconds(step.durationSeconds)))")
      }
    }
    if let failed = e.failedStep, e.failure == nil {
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
    case .baseImageInferred(_, let mounts):
      for m in mounts {
        for line in m.evidence { out += safeLine("               \(m.tool): \(line)") }
      }
      out += safeLine("               \(BaseImageInference.suggestion)")
    case .unknown, .noBaseline, .dependenciesUnchanged, .failedEarlier:
      break
    case .buildArgument(let change):
      out += safeLine("    change   \(change.advice)")
    case .cachePlumbing(let finding):
      out += safeLine("    change   \(finding.advice)")
    }
    if let advice = cause.advice { out += safeLine("    change   \(advice)") }
    return out
  }

  /// A Dockerfile instruction on one line, safe for the terminal, at most 100 characters.
  private func oneLine(_ text: String) -> String {
    truncate(TerminalText.sanitized(text.replacingOccurrences(of: "\n", with: " ")), to: 100)
  }
}

/// A step name with BuildKit's runs of spaces (from line continuations) folded, for reading.
func compact(_ name: String) -> String {
  StepLabel.folded(name)
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

  /// Renders the steps that broke; with `all`, every step looked at (those that always run after a broad
  /// `COPY`, and those that never broke, too).
  public func render(
    _ breaks: [CacheBreak], branch: String?, service: String? = nil, all: Bool = false
  ) -> String {
    let shown = all ? breaks : breaks.filter(\.isBreak)
    let rows = shown.map {
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
