import Foundation
import Testing

/// `why` over a Dockerfile with a shared `base` stage and two targets, `api` and `worker`, built
/// alternately on `main` and `feature` without Docker: the logs real BuildKit printed
/// (Fixtures/two-targets) are recorded with `record LOG --target T` after each step of the scripted
/// history (Tests/Scenarios/two-targets.sh), so git, the input snapshots and the context lists are real.
@Suite(.serialized) struct TwoTargetFixtureTests {
  static let fixtures = CLI.repositoryRoot.appendingPathComponent(
    "Tests/BuildLogTests/Fixtures/two-targets")
  static let script = CLI.repositoryRoot.appendingPathComponent("Tests/Scenarios/two-targets.sh")
    .path

  struct History {
    var db: String
    var project: URL
    var root: URL
  }

  /// Each build in order: its baseline, its root misses' cause kinds and a text its verdict contains.
  static let expected: [(build: Int, baseline: Int?, causes: [String], verdict: String)] = [
    (1, nil, ["no-baseline", "no-baseline"], "rebuilt"),
    (2, nil, ["no-baseline"], "rebuilt"),
    (3, 2, ["dependencies"], "requirements/base.txt changed: structlog 24.4.0 → 25.4.0"),
    (
      4, 1, ["dependencies"],
      "the base stage's requirements/base.txt changed: structlog 24.4.0 → 25.4.0; build 3 of target worker rebuilt it"
    ),
    (5, 3, ["dependencies"], "requirements/worker.txt changed: +redis 5.0.4"),
    (6, 4, [], "no step lost its cache"),
    (7, 6, ["dependencies"], "constraints.txt changed: pydantic 2.7.1 → 2.8.2"),
    (8, 4, ["dependencies"], "requirements/base.txt changed: +orjson 3.10.7"),
    (
      9, 3, ["dependencies"],
      "the base stage's requirements/base.txt changed: +orjson 3.10.7; build 8 of target api rebuilt it"
    ),
    (10, 5, [], "no step lost its cache"),
  ]

  /// Records the fixture logs after applying each step; `depthOne` records each build from a fresh
  /// depth-1 clone of the branch, where only the recorded snapshots can explain it.
  static func record(withTarget: Bool = true, depthOne: Bool = false) throws -> History {
    let root = try scratchDirectory()
    let project = root.appendingPathComponent("project")
    let db = root.appendingPathComponent("history.db").path
    _ = try DockerTests.ScenarioTests.shell([script, "init", project.path])
    let steps = try DockerTests.ScenarioTests.shell([script, "steps"]).stdout
      .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    for (n, step) in steps.enumerated() {
      _ = try DockerTests.ScenarioTests.shell([script, "apply", project.path, step[0]])
      var directory = project
      if depthOne {
        directory = root.appendingPathComponent("clone-\(n)")
        _ = try DockerTests.ScenarioTests.shell([
          "-c",
          "git clone -q --depth 1 --branch \"$(git -C \(project.path) rev-parse --abbrev-ref HEAD)\" file://\(project.path) \(directory.path)",
        ])
      }
      let log = fixtures.appendingPathComponent(String(format: "%02d-%@.log", n, step[0])).path
      var arguments = ["record", log, "--db", db, "--context", "."]
      if withTarget { arguments += ["--target", step[1]] }
      let r = try CLI.run(arguments, in: directory)
      try #require(r.status == 0, "\(log): \(r.stderr)")
    }
    return History(db: db, project: project, root: root)
  }

  static func why(_ history: History, _ build: Int) throws -> [String: Any] {
    try ExplainFixtureTests.why(
      ExplainFixtureTests.History(db: history.db, project: history.project, root: history.root),
      build)
  }

  /// `withTarget: false`: the builds were recorded without `--target`, so the rebuilding build is named alone.
  static func check(_ history: History, evidence: String, withTarget: Bool = true) throws {
    for (build, baseline, causes, expectedText) in expected {
      let text =
        withTarget
        ? expectedText
        : expectedText.replacingOccurrences(
          of: " of target (api|worker)", with: "", options: .regularExpression)
      let why = try Self.why(history, build)
      let verdict = why["verdict"] as? String ?? ""
      #expect(
        (why["baseline"] as? [String: Any])?["id"] as? Int == baseline,
        "build \(build): \(why["baseline_reason"] ?? "")")
      #expect(ExplainFixtureTests.causes(why) == causes, "build \(build): \(verdict)")
      #expect(verdict.contains(text), "build \(build): \(verdict)")
      if baseline != nil { #expect(why["evidence"] as? String == evidence, "build \(build)") }
    }
  }

  @Test func namesTheLockfileAndTheUpstreamChangeFromGit() throws {
    let history = try Self.record()
    try Self.check(history, evidence: "git")
    let why = try Self.why(history, 4)
    let root = try #require((why["root_misses"] as? [[String: Any]])?.first)
    #expect(
      (root["step"] as? [String: Any])?["name"] as? String
        == "[api 1/2] RUN --mount=type=cache,target=/root/.cache/pip     --mount=type=bind,source=requirements/api.txt,target=/tmp/api.txt     --mount=type=bind,source=constraints.txt,target=/tmp/constraints.txt     pip install -r /tmp/api.txt -c /tmp/constraints.txt"
    )
    let upstream = try #require(root["upstream"] as? [String: Any])
    #expect(
      upstream["step"] as? String == "[base 3/4] COPY requirements/base.txt requirements/base.txt")
    #expect(upstream["stage"] as? String == "base")
    #expect(upstream["other_stage"] as? Bool == true)
    let rebuiltBy = try #require(upstream["rebuilt_by"] as? [String: Any])
    #expect(rebuiltBy["id"] as? Int == 3)
    #expect(rebuiltBy["target"] as? String == "worker")
    let cause = try #require(root["cause"] as? [String: Any])
    #expect(cause["file"] as? String == "requirements/base.txt")
    #expect((cause["changes"] as? [[String: Any]])?.first?["name"] as? String == "structlog")
    #expect((root["cascade"] as? [[String: Any]])?.count == 1)

    let table = try CLI.run(["why", "9", "--db", history.db])
    #expect(
      table.stdout.contains(
        "    via      [base 3/4] COPY requirements/base.txt requirements/base.txt (cached in this build)"
      ))
  }

  @Test func snapshotsHoldTheInstalledFilesAndExplainAlike() throws {
    let history = try Self.record(depthOne: true)
    try Self.check(history, evidence: "snapshots")
    let show = try CLI.run(["show", "7", "--db", history.db, "--format", "json"])
    for path in [
      "requirements/base.txt", "requirements/api.txt", "requirements/worker.txt", "constraints.txt",
    ] {
      #expect(show.stdout.contains("\"\(path)\""), "\(path) not recorded")
    }
  }

  @Test func withoutARecordedTargetTheBaselineBuiltTheSameStages() throws {
    let history = try Self.record(withTarget: false)
    try Self.check(history, evidence: "git", withTarget: false)
    let why = try Self.why(history, 9)
    #expect(
      (why["baseline_reason"] as? String)?.contains(
        "of the same stages (base, worker; no target recorded)") == true)
  }

  @Test func aNewBranchComparesWithItsBranchPointOnTheDefaultBranch() throws {
    let history = try Self.record()
    _ = try DockerTests.ScenarioTests.shell(
      ["-c", "git checkout -q -b hotfix \"$(git rev-list --max-parents=0 HEAD)\""],
      in: history.project)
    // The same log again would be recorded once: a copy with one more line is another build.
    let log = history.root.appendingPathComponent("hotfix-api.log").path
    let text = try String(
      contentsOf: Self.fixtures.appendingPathComponent("05-feature-api.log"), encoding: .utf8)
    try (text + "\n").write(toFile: log, atomically: true, encoding: .utf8)
    let r = try CLI.run(
      ["record", log, "--db", history.db, "--context", ".", "--target", "api"], in: history.project)
    try #require(r.status == 0, "\(r.stderr)")
    let why = try Self.why(history, 11)
    // Build 8 is main's latest api build, but its commit is not on this branch; build 1's is.
    #expect((why["baseline"] as? [String: Any])?["id"] as? Int == 1)
    #expect(
      (why["baseline_reason"] as? String)?.contains(
        "whose commit is an ancestor of this build's on the default branch main") == true)
  }
}
