import Foundation

/// Runs a composite action's steps as the GitHub runner does: expressions from the inputs and
/// earlier steps' outputs, the step's `env:`, `shell: bash` as `bash --noprofile --norc -eo
/// pipefail {0}`, the runner's files (`GITHUB_OUTPUT` per step, `GITHUB_ENV`, `GITHUB_PATH`,
/// `GITHUB_STEP_SUMMARY`) and `PATH` updated from `GITHUB_PATH` between steps.
struct GitHubActionRunner {
  struct StepResult {
    var id: String?
    var ran: Bool
    var status: Int32
    var stdout: String
    var stderr: String
    var outputs: [String: String]
  }

  struct Run {
    var steps: [StepResult]
    var outputs: [String: String]
    /// The first step that failed, if any: the job's failure.
    var failed: Bool { steps.contains { $0.ran && $0.status != 0 } }
    var stdout: String { steps.map(\.stdout).joined() }
    var stderr: String { steps.map(\.stderr).joined() }

    func step(_ id: String) -> StepResult? { steps.first { $0.id == id } }
  }

  let root: URL
  let workspace: URL
  let runnerTemp: URL
  let actionPath: URL
  /// The variables GitHub sets for the job, plus the test's own.
  var variables: [String: String]

  init(root: URL, actionPath: URL, variables: [String: String] = [:]) throws {
    self.root = root
    self.actionPath = actionPath
    workspace = root.appendingPathComponent("workspace")
    runnerTemp = root.appendingPathComponent("runner-temp")
    for folder in [workspace, runnerTemp] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    for file in ["env", "path", "summary"] {
      FileManager.default.createFile(atPath: root.appendingPathComponent(file).path, contents: nil)
    }
    self.variables = [
      "CI": "true", "GITHUB_ACTIONS": "true", "HOME": root.appendingPathComponent("home").path,
      "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "NO_COLOR": "1",
      "GITHUB_ENV": root.appendingPathComponent("env").path,
      "GITHUB_PATH": root.appendingPathComponent("path").path,
      "GITHUB_STEP_SUMMARY": root.appendingPathComponent("summary").path,
      "GITHUB_WORKSPACE": workspace.path, "RUNNER_TEMP": runnerTemp.path, "RUNNER_OS": "Linux",
      "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567", "GITHUB_REF_NAME": "feature/ci",
      "GITHUB_REF_TYPE": "branch", "GITHUB_RUN_ID": "4242", "GITHUB_RUN_ATTEMPT": "1",
      "GITHUB_JOB": "build", "GITHUB_SERVER_URL": "https://github.example",
      "GITHUB_REPOSITORY": "acme/app", "GITHUB_WORKFLOW": "ci",
    ].merging(variables) { $1 }
  }

  var summary: String { read("summary") }

  private func read(_ file: String) -> String {
    (try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)) ?? ""
  }

  func run(_ action: CompositeAction, inputs: [String: String]) throws -> Run {
    let values = action.inputDefaults.merging(inputs) { $1 }
    var results: [StepResult] = []
    for (index, step) in action.steps.enumerated() {
      let stepOutputs = Dictionary(
        results.compactMap { r in r.id.map { ($0, r.outputs) } }, uniquingKeysWith: { $1 })
      let evaluate = { (text: String) throws -> String in
        try Self.substitute(text, inputs: values, steps: stepOutputs, actionPath: self.actionPath)
      }
      let failedBefore = results.contains { $0.ran && $0.status != 0 }
      guard try Self.shouldRun(step.condition, failedBefore: failedBefore) else {
        results.append(
          StepResult(id: step.id, ran: false, status: 0, stdout: "", stderr: "", outputs: [:]))
        continue
      }
      guard step.shell == "bash" else { throw CompositeAction.ActionError.unsupported(step.shell) }
      let script = runnerTemp.appendingPathComponent("step-\(index).sh")
      try evaluate(step.run).write(to: script, atomically: true, encoding: .utf8)
      let output = root.appendingPathComponent("output-\(index)")
      FileManager.default.createFile(atPath: output.path, contents: nil)
      var environment = variables.merging(Self.assignments(read("env"))) { $1 }
      let added = read("path").split(separator: "\n").map(String.init).reversed()
      environment["PATH"] = (added + [variables["PATH"] ?? ""]).joined(separator: ":")
      environment["GITHUB_OUTPUT"] = output.path
      environment["GITHUB_ACTION_PATH"] = actionPath.path
      for (key, value) in step.environment { environment[key] = try evaluate(value) }
      let directory = try step.workingDirectory.map { try evaluate($0) } ?? "."
      let result = try CLI.runExecutable(
        URL(fileURLWithPath: "/usr/bin/env"),
        ["-i"] + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + [
          "bash", "--noprofile", "--norc", "-eo", "pipefail", script.path,
        ], in: workspace.appendingPathComponent(directory).standardizedFileURL)
      results.append(
        StepResult(
          id: step.id, ran: true, status: result.status, stdout: result.stdout,
          stderr: result.stderr,
          outputs: Self.assignments(
            (try? String(contentsOf: output, encoding: .utf8)) ?? "")))
    }
    let stepOutputs = Dictionary(
      results.compactMap { r in r.id.map { ($0, r.outputs) } }, uniquingKeysWith: { $1 })
    let outputs = try action.outputs.mapValues {
      try Self.substitute($0, inputs: values, steps: stepOutputs, actionPath: actionPath)
    }
    return Run(steps: results, outputs: outputs)
  }

  /// A step without `if:` runs while nothing failed; `!cancelled()` and `always()` run anyway.
  static func shouldRun(_ condition: String?, failedBefore: Bool) throws -> Bool {
    guard let condition else { return !failedBefore }
    let bare = condition.replacingOccurrences(of: "${{", with: "")
      .replacingOccurrences(of: "}}", with: "").trimmingCharacters(in: .whitespaces)
    guard bare == "!cancelled()" || bare == "always()" else {
      throw CompositeAction.ActionError.unsupported("if: \(condition)")
    }
    return true
  }

  /// `${{ inputs.X }}`, `${{ steps.ID.outputs.N }}` and `${{ github.action_path }}`.
  static func substitute(
    _ text: String, inputs: [String: String], steps: [String: [String: String]], actionPath: URL
  ) throws -> String {
    var result = ""
    var rest = Substring(text)
    while let open = rest.range(of: "${{") {
      guard let close = rest[open.upperBound...].range(of: "}}") else { break }
      result += rest[..<open.lowerBound]
      let expression = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
      let parts = expression.split(separator: ".").map(String.init)
      switch parts.first {
      case "inputs" where parts.count == 2:
        result += inputs[parts[1]] ?? ""
      case "steps" where parts.count == 4 && parts[2] == "outputs":
        result += steps[parts[1]]?[parts[3]] ?? ""
      case "github" where expression == "github.action_path":
        result += actionPath.path
      default:
        throw CompositeAction.ActionError.unsupported("${{ \(expression) }}")
      }
      rest = rest[close.upperBound...]
    }
    return result + rest
  }

  /// `name=value` lines and `name<<DELIMITER` blocks, as GitHub reads its env and output files.
  static func assignments(_ text: String) -> [String: String] {
    var values: [String: String] = [:]
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
    while let line = lines.next() {
      if let heredoc = line.range(of: "<<") {
        let name = String(line[..<heredoc.lowerBound])
        let delimiter = line[heredoc.upperBound...]
        var body: [Substring] = []
        while let next = lines.next(), next != delimiter { body.append(next) }
        values[name] = body.joined(separator: "\n")
      } else if let equals = line.firstIndex(of: "=") {
        values[String(line[..<equals])] = String(line[line.index(after: equals)...])
      }
    }
    return values
  }
}
