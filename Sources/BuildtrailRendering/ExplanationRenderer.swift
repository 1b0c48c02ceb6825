import BuildLog
import BuildStore
import BuildtrailKit
import Foundation

/// Renders `buildtrail why`: the verdict first, then the evidence.
public struct ExplanationRenderer: OutputRenderer {
  /// The format and terminal to write for.
  public var style: OutputStyle

  /// A renderer for `style`.
  public init(style: OutputStyle) { self.style = style }

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
        suggestion = BaseImageInferenceWording.suggestion
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

  /// The `why` object: the build, its baseline, the verdict, the evidence, the failure and each
  /// root miss with its cause and the steps it invalidated.
  public func json(_ e: CacheExplanation) -> String {
    JSONOutput.encode(
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
  }

  /// A line per rebuilt step: the root misses and the steps each invalidated, with its cause.
  public func csv(_ e: CacheExplanation) -> String {
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
  }

  /// The verdict first, then the failure, the evidence and each root miss with its cause.
  public func table(_ e: CacheExplanation) -> String {
    var out =
      terminal.paint(e.verdict, e.rootMisses.isEmpty && e.failedStep == nil ? .green : .bold)
      + "\n\n"
    if let failure = e.failure {
      out += FailureRenderer(style: style).block(failure) + "\n"
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
      out += safeLine("               \(BaseImageInferenceWording.suggestion)")
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
