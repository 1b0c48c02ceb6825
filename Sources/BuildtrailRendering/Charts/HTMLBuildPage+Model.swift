import BuildLog
import BuildStore
import BuildtrailKit
import Foundation

extension HTMLBuildPage {
  /// Output lines shown under a failing step, as `show` shows them.
  static let errorTailLines = 12

  /// The values the build page's template shows for `page`.
  static func model(_ page: BuildPage, base: String, version: String) -> HTMLBuildPageModel {
    let detail = page.shown.detail
    let s = detail.summary
    var nav = [HTMLBuildPageModel.NavLink(separator: "", href: base, rel: "up", text: "← report")]
    if let previous = page.previous {
      nav.append(
        .init(
          separator: " · ", href: address(of: previous, base: base), rel: "prev",
          text: "previous #\(previous)"))
    }
    if let next = page.next {
      nav.append(
        .init(
          separator: " · ", href: address(of: next, base: base), rel: "next",
          text: "next #\(next)"))
    }
    if let ci = s.ciURL.flatMap(HTMLReport.link) {
      nav.append(.init(separator: " · ", href: ci, rel: "external", text: "CI run"))
    }
    let failing = detail.steps.filter { $0.status == .error }
    let errors = failing.map { step in
      let output = (page.shown.failedOutputs[step.position] ?? []).suffix(errorTailLines)
      return HTMLBuildPageModel.ErrorBlock(
        stepName: "#\(step.vertex) \(compact(step.name))", errorText: step.errorText,
        output: output.isEmpty ? nil : output.joined(separator: "\n"))
    }
    let message = detail.errorMessage.flatMap { message in
      failing.contains { $0.errorText.map(message.contains) ?? false } ? nil : message
    }
    let steps = StepOrder.sorted(detail.steps).map(stepRow)
    let inputs = detail.inputs.map {
      HTMLBuildPageModel.InputRow(
        path: $0.path, role: $0.role.rawValue, sha: String($0.sha256.prefix(12)),
        size: formatBytes(Int64($0.bytes)))
    }
    var heading = "\(formatWhen(s.when)) UTC · \(HTMLReport.seconds(s.seconds))"
    if s.stepsTotal > 0 { heading += " · \(s.stepsCached) of \(s.stepsTotal) steps cached" }
    return HTMLBuildPageModel(
      version: version, title: "buildtrail — build #\(s.id)", id: s.id, nav: nav,
      badge: HTMLReport.Outcome(s.outcome.rawValue).badge(s.outcome.rawValue), heading: heading,
      facts: facts(detail), steps: steps, hasSteps: !steps.isEmpty, inputs: inputs,
      hasInputs: !inputs.isEmpty, errors: errors, errorMessage: message,
      hasErrors: !errors.isEmpty || message != nil, warnings: detail.warnings,
      hasWarnings: !detail.warnings.isEmpty, why: page.why.map { why($0, base: base) },
      whyUnavailable: page.why == nil
        ? "unknown: \(page.whyUnavailable ?? "no explanation was made")" : nil)
  }

  private static func stepRow(_ step: StoredStep) -> HTMLBuildPageModel.StepRow {
    let statusClass: String
    switch step.status {
    case .done: statusClass = "success"
    case .cached: statusClass = "cached"
    case .error: statusClass = "failed"
    case .canceled, .unfinished: statusClass = "canceled"
    }
    let cache: String
    switch step.status {
    case .cached: cache = "hit"
    case .done, .error: cache = "ran"
    case .canceled, .unfinished: cache = "—"
    }
    return HTMLBuildPageModel.StepRow(
      vertex: step.vertex, statusClass: statusClass, status: step.status.rawValue,
      time: step.status == .cached ? "—" : HTMLReport.seconds(step.durationSeconds ?? .nan),
      cache: cache, name: compact(step.name))
  }

  private static func facts(_ d: BuildDetail) -> [HTMLBuildPageModel.Fact] {
    var facts: [HTMLBuildPageModel.Fact] = []
    func add(_ label: String, _ value: String, monospace: Bool = false, link: String? = nil) {
      facts.append(.init(label: label, value: value, monospace: monospace, factLink: link))
    }
    if let git = d.git {
      var value =
        "\(git.branch ?? "(detached)") @ \(git.commit.map { String($0.prefix(12)) } ?? "?")"
      if git.dirty == true { value += " (dirty)" }
      add("git", value, monospace: true)
      if let subject = git.subject { add("commit", subject) }
    } else {
      add("git", "unknown: recorded without git facts (record in the repository to know them)")
    }
    if let builder = d.builderName {
      add("builder", builder + (d.driver.map { " (\($0) driver)" } ?? ""), monospace: true)
    }
    if let image = d.summary.imageName {
      add("image", image + (d.imageDigest.map { " \($0)" } ?? ""), monospace: true)
    }
    if let target = d.summary.target { add("target", target, monospace: true) }
    if let service = d.summary.service { add("service", service, monospace: true) }
    if let command = d.command { add("command", command, monospace: true) }
    if let c = d.context {
      add(
        "context",
        "\(c.path): \(c.files) files, \(formatBytes(c.bytes)) after .dockerignore"
          + (d.contextTransferBytes.map { ", \(formatBytes($0)) sent" } ?? ""))
    } else if let sent = d.contextTransferBytes {
      add("context", "\(formatBytes(sent)) sent")
    }
    for image in d.baseImages {
      add("base", image.reference + (image.digest.map { "@\($0)" } ?? ""), monospace: true)
    }
    if let ci = d.ci {
      add(
        "ci", ci.provider + (ci.runID.map { " run \($0)" } ?? ""),
        link: ci.url.flatMap(HTMLReport.link))
    }
    for (key, value) in d.labels.sorted(by: { $0.key < $1.key }) {
      add("label", "\(key)=\(value)", monospace: true)
    }
    for argument in d.buildArguments {
      add("build arg", "\(argument.name)=\(argument.shownValue ?? "(unset)")", monospace: true)
    }
    add("log", "sha256 \(d.logSHA256)", monospace: true)
    return facts
  }

  private static func why(_ e: CacheExplanation, base: String) -> HTMLBuildPageModel.Why {
    let evidence: String
    switch e.evidence {
    case .git:
      evidence = "git, \(HTMLReport.plural(e.commits.count, "commit")) after the baseline's"
    case .snapshots:
      evidence =
        "the inputs and context file lists recorded with the builds (commits not in this clone)"
    case .none:
      evidence = "the logs alone (no git, no recorded inputs)"
    }
    let misses = e.rootMisses.map { miss in
      let cascade = miss.cascade.map {
        "\(compact($0.name)) (\(HTMLReport.seconds($0.durationSeconds ?? .nan)))"
      }
      return HTMLBuildPageModel.RootMissRow(
        missName: compact(miss.step.name), cost: HTMLReport.seconds(miss.costSeconds),
        cause: miss.summary,
        via: miss.upstream.map { "\(compact($0.step.name)) (cached in this build)" },
        breaks: miss.structuralBreaks.map { $0.sentence(naming: compact($0.step)) },
        advice: advice(miss), cascade: cascade, hasCascade: !cascade.isEmpty)
    }
    return HTMLBuildPageModel.Why(
      verdict: e.verdict, baselineID: e.baseline?.summary.id,
      baselineHref: e.baseline.map { address(of: $0.summary.id, base: base) },
      baselineReason: e.baselineReason, evidence: evidence,
      commits: e.commits.suffix(10).map { "\($0.commit.prefix(8)) \($0.subject)" },
      failure: e.failure.map(failure), rootMisses: misses,
      failedAlone: e.failure == nil ? e.failedStep.map { compact($0.name) } : nil, notes: e.notes)
  }

  private static func advice(_ miss: RootMiss) -> String? {
    switch miss.cause {
    case .buildArgument(let change): return change.advice
    case .cachePlumbing(let finding): return finding.advice
    default:
      return miss.cause.advice ?? miss.structuralBreaks.first { $0.fixedBy == nil }?.advice
    }
  }

  private static func failure(_ f: FailureExplanation) -> HTMLBuildPageModel.Failure {
    HTMLBuildPageModel.Failure(
      failedName: f.step.map {
        $0.name.isEmpty ? "step #\($0.vertex) (the log does not show its name)" : compact($0.name)
      } ?? "before any step ran",
      tool: f.signature.tool,
      lines: f.lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n"),
      relatedChange: f.relatedChange.map { $0.summary + ($0.inferred ? " (inferred)" : "") },
      repeats: f.repeats.map {
        "the same failure since build #\($0.sinceBuild)\($0.sinceCommit.map { " (\($0.prefix(8)))" } ?? ""): \($0.builds) failed builds in a row"
      })
  }
}
