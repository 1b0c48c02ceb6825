import Foundation
import Testing

/// The composite action in `action.yml`, run step by step as the GitHub runner runs it, with the
/// dist tarball installed from a local path.
@Suite(
  .enabled(if: CIWorkspace.available, "needs BUILDTRAIL_DIST_TARBALL (Scripts/dist.sh) and git"))
struct GitHubActionTests {
  let action: CompositeAction
  let runner: GitHubActionRunner
  let commit: String
  let db: String

  init() throws {
    action = try CompositeAction(
      yaml: String(
        contentsOf: CLI.repositoryRoot.appendingPathComponent("action.yml"), encoding: .utf8))
    let root = try scratchDirectory()
    let bin = root.appendingPathComponent("fake-bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    runner = try GitHubActionRunner(
      root: root, actionPath: CLI.repositoryRoot,
      variables: ["PATH": "\(bin.path):/usr/local/bin:/usr/bin:/bin"])
    commit = try CIWorkspace.gitRepository(at: runner.workspace)
    db = root.appendingPathComponent("cache/history.db").path
  }

  var installed: URL { runner.runnerTemp.appendingPathComponent("buildtrail/bin/buildtrail") }

  func inputs(_ extra: [String: String]) -> [String: String] {
    ["path": CIWorkspace.tarball!.path, "db": db].merging(extra) { $1 }
  }

  @Test func isACompositeActionWhoseStepsPassInputsThroughTheEnvironment() {
    #expect(action.using == "composite")
    #expect(action.steps.map(\.id) == ["install", "import", "record", "check"])
    for step in action.steps {
      #expect(!step.run.contains("${{"), "inputs interpolated into a script: \(step.run)")
    }
    for input in ["url", "sha256", "path", "db", "server", "token", "labels", "run"] {
      #expect(action.inputDefaults[input] != nil, "no input \(input)")
    }
  }

  @Test func installsTheTarballAfterCheckingItsDigest() throws {
    let run = try runner.run(
      action, inputs: inputs(["sha256": try CIWorkspace.tarballDigest(), "check": "false"]))
    #expect(!run.failed, "\(run.stdout)\(run.stderr)")
    #expect(FileManager.default.isExecutableFile(atPath: installed.path))
    let path = try String(contentsOfFile: runner.variables["GITHUB_PATH"]!, encoding: .utf8)
    #expect(path == installed.deletingLastPathComponent().path + "\n")
    let version = try CLI.runExecutable(installed, ["--version"]).stdout
    #expect(try #require(run.step("install")).stdout.contains(version))
    #expect(run.step("check")?.outputs["result"] == "skipped")
  }

  @Test func refusesATarballWithAnotherDigest() throws {
    let run = try runner.run(action, inputs: inputs(["sha256": String(repeating: "0", count: 64)]))
    let install = try #require(run.step("install"))
    #expect(install.status == 1)
    let errors = install.stdout.split(separator: "\n").filter { $0.hasPrefix("::error") }
    #expect(errors.count == 1 && errors[0].contains("checksum mismatch"), "\(install.stdout)")
    #expect(!FileManager.default.fileExists(atPath: installed.path))
    #expect(run.step("record")?.ran == false)
  }

  @Test func downloadsTheTarballFromAURL() throws {
    let url = "file://" + CIWorkspace.tarball!.path
    let run = try runner.run(
      action,
      inputs: ["url": url, "sha256": try CIWorkspace.tarballDigest(), "db": db, "check": "false"])
    #expect(!run.failed, "\(run.stdout)\(run.stderr)")
    #expect(FileManager.default.isExecutableFile(atPath: installed.path))
    let missing = try runner.run(action, inputs: ["url": "file:///nonexistent/buildtrail.tar.gz"])
    #expect(missing.step("install")?.status == 1)
    #expect(
      missing.step("install")?.stdout.hasPrefix("::error title=buildtrail::cannot download") == true
    )
  }

  @Test func refusesAMissingFile() throws {
    let run = try runner.run(action, inputs: ["path": "/nonexistent/buildtrail.tar.gz"])
    let install = try #require(run.step("install"))
    #expect(install.status == 1)
    #expect(install.stdout.hasPrefix("::error") && install.stdout.contains("no file at path"))
  }

  @Test func recordsTheWrappedBuildWithGitAndCIFactsAndChecksIt() throws {
    try CIWorkspace.buildScript(
      runner.workspace.appendingPathComponent("build.sh"), log: "docker20-multistage-cold.log",
      exitCode: 0)
    let run = try runner.run(
      action, inputs: inputs(["run": "./build.sh --flag", "labels": "team=api\n env=ci \n"]))
    let record = try #require(run.step("record"))
    #expect(record.status == 0, "\(record.stdout)\(record.stderr)")
    #expect(record.stdout.contains("naming to docker.io/library/buildtrail-fixture:multistage"))
    #expect(run.outputs["build-id"] == "1")
    #expect(run.outputs["exit-code"] == "0")
    let build = try CIWorkspace.show("1", db: db, binary: installed)
    let ci = try #require(build["ci"] as? [String: Any])
    #expect(ci["provider"] as? String == "github-actions")
    #expect(ci["run_id"] as? String == "4242")
    #expect(ci["url"] as? String == "https://github.example/acme/app/actions/runs/4242")
    let git = try #require(build["git"] as? [String: Any])
    #expect(git["commit"] as? String == commit)
    #expect(build["labels"] as? [String: String] == ["team": "api", "env": "ci"])
    #expect((build["build"] as? [String: Any])?["exit_code"] as? Int == 0)
    #expect(run.outputs["check-result"] == "pass")
    #expect(runner.summary.contains("buildtrail check: build 1"))
  }

  @Test func aSingleCommandIsSplitAsBashSplitsItSoItsFlagsAreRecorded() throws {
    try CIWorkspace.script(
      runner.root.appendingPathComponent("fake-bin/docker"),
      "[ \"$1\" = build ] && cat '\(CIWorkspace.fixture("docker20-multistage-cold.log").path)'; exit 0"
    )
    let run = try runner.run(
      action,
      inputs: inputs([
        "run":
          #"docker build --progress=plain --target app --build-arg "GREETING=hello $GITHUB_RUN_ID" ."#,
        "check": "false",
      ]))
    #expect(!run.failed, "\(run.stdout)\(run.stderr)")
    let build = try CIWorkspace.show(
      try #require(run.outputs["build-id"]), db: db, binary: installed)
    #expect((build["build"] as? [String: Any])?["target"] as? String == "app")
    let arguments = try #require(build["build_arguments"] as? [[String: Any]])
    #expect(arguments.first?["name"] as? String == "GREETING")
    #expect(arguments.first?["value"] as? String == "hello 4242")
    #expect((build["context"] as? [String: Any])?["dockerfile"] as? String == "Dockerfile")
  }

  @Test func aFailingBuildFailsTheStepAndIsRecordedAndChecked() throws {
    try CIWorkspace.buildScript(
      runner.workspace.appendingPathComponent("build.sh"), log: "docker20-failing-run.log",
      exitCode: 3)
    let run = try runner.run(action, inputs: inputs(["run": "./build.sh"]))
    #expect(run.step("record")?.status == 3)
    #expect(run.outputs["exit-code"] == "3")
    let build = try CIWorkspace.show(
      try #require(run.outputs["build-id"]), db: db, binary: installed)
    #expect((build["build"] as? [String: Any])?["outcome"] as? String == "failed")
    #expect(run.step("check")?.ran == true)
    #expect(run.outputs["check-result"] == "fail")
    #expect(run.step("check")?.status == 1)
    #expect(runner.summary.contains("buildtrail check"))
  }

  @Test func aRecordingFailureWarnsAndKeepsTheBuildsExitCode() throws {
    try CIWorkspace.buildScript(
      runner.workspace.appendingPathComponent("build.sh"), log: "docker20-multistage-cold.log",
      exitCode: 0)
    let file = runner.root.appendingPathComponent("a-file")
    FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8))
    let run = try runner.run(
      action,
      inputs: inputs(["run": "./build.sh", "db": file.appendingPathComponent("history.db").path]))
    let record = try #require(run.step("record"))
    #expect(record.status == 0, "\(record.stdout)\(record.stderr)")
    #expect(record.stdout.contains("::warning title=buildtrail::the build was not recorded"))
    #expect(run.outputs["build-id"] == "")
    #expect(run.step("check")?.status == 0)
    #expect(run.outputs["check-result"] == "skipped")
  }

  @Test func aMissingBuildtrailRunsTheBuildUnrecordedWithItsExitCode() throws {
    try CIWorkspace.script(
      runner.workspace.appendingPathComponent("build.sh"), "echo built; exit 5")
    var recordOnly = action
    recordOnly.steps = action.steps.filter { $0.id == "record" }
    let record = try #require(
      try runner.run(recordOnly, inputs: ["run": "./build.sh"]).step("record"))
    #expect(record.status == 5)
    #expect(record.stdout.contains("built"))
    #expect(record.stdout.contains("::warning title=buildtrail::buildtrail is not installed"))
  }

  @Test func aServerThatIsNotAURLLeavesTheBuildRunningUnrecorded() throws {
    try CIWorkspace.script(
      runner.workspace.appendingPathComponent("build.sh"), "echo built; exit 4")
    let run = try runner.run(
      action,
      inputs: inputs(["run": "./build.sh", "server": "buildtrail.internal", "check": "false"]))
    let record = try #require(run.step("record"))
    #expect(record.status == 4)
    #expect(record.stdout.hasPrefix("::warning title=buildtrail::server buildtrail.internal"))
    #expect(record.stdout.hasSuffix("built\n"))
  }

  @Test func recordsBuildxHistoryThroughDocker() throws {
    let arguments = runner.root.appendingPathComponent("docker-arguments")
    try CIWorkspace.script(
      runner.root.appendingPathComponent("fake-bin/docker"),
      "echo \"$@\" > '\(arguments.path)'\ncat '\(CIWorkspace.fixture("rawjson-success.jsonl").path)'"
    )
    let run = try runner.run(
      action,
      inputs: inputs([
        "buildx-history": "true", "buildx-ref": "builder/builder0/qk3m9x2", "check": "false",
      ]))
    #expect(!run.failed, "\(run.stdout)\(run.stderr)")
    let got = try String(contentsOf: arguments, encoding: .utf8)
    #expect(got == "buildx history logs --progress=rawjson qk3m9x2\n")
    let build = try CIWorkspace.show(
      try #require(run.outputs["build-id"]), db: db, binary: installed)
    #expect((build["build"] as? [String: Any])?["log_format"] as? String == "rawjson")
    #expect((build["ci"] as? [String: Any])?["run_id"] as? String == "4242")
  }

  @Test func importsHistoriesThatParallelJobsRecorded() throws {
    try CIWorkspace.buildScript(
      runner.workspace.appendingPathComponent("build.sh"), log: "docker20-multistage-cold.log",
      exitCode: 0)
    let other = runner.root.appendingPathComponent("artifacts/job-a/history.db").path
    _ = try runner.run(
      action, inputs: inputs(["run": "./build.sh", "db": other, "check": "false"]))
    let run = try runner.run(
      action,
      inputs: inputs(["import": runner.root.path + "/artifacts/*/history.db", "check": "false"]))
    #expect(run.step("import")?.status == 0, "\(run.stderr)")
    #expect((try CLI.builds(db: db)).count == 1)
  }

  @Test func sendsTheBuildToAServerAndChecksItThere() throws {
    try CIWorkspace.buildScript(
      runner.workspace.appendingPathComponent("build.sh"), log: "docker20-multistage-cold.log",
      exitCode: 0)
    let minted = try CLI.run(["token", "new", "ci", "--scope", "read,record"])
    let lines = minted.stdout.split(separator: "\n").map(String.init)
    let tokens = runner.root.appendingPathComponent("tokens")
    try (lines[1] + "\n").write(to: tokens, atomically: true, encoding: .utf8)
    let serverDB = runner.root.appendingPathComponent("server.db").path
    let server = try ServerProcess(db: serverDB, arguments: ["--tokens", tokens.path])
    defer { server.forceStop() }
    let spool = runner.root.appendingPathComponent("spool").path
    let run = try runner.run(
      action,
      inputs: inputs([
        "run": "./build.sh", "server": "http://127.0.0.1:\(server.port)", "token": lines[0],
        "spool": spool,
      ]))
    #expect(!run.failed, "\(run.stdout)\(run.stderr)")
    #expect(run.outputs["build-id"] == "1")
    #expect(run.outputs["check-result"] == "pass")
    #expect(!FileManager.default.fileExists(atPath: db))
    let build = try CIWorkspace.show("1", db: serverDB, binary: installed)
    #expect((build["ci"] as? [String: Any])?["run_id"] as? String == "4242")
    #expect(!run.stdout.contains(lines[0]) && !run.stderr.contains(lines[0]))
  }

  @Test func aServerThatCannotBeReachedKeepsTheBuildInTheSpool() throws {
    try CIWorkspace.buildScript(
      runner.workspace.appendingPathComponent("build.sh"), log: "docker20-multistage-cold.log",
      exitCode: 0)
    let spool = runner.root.appendingPathComponent("spool")
    let run = try runner.run(
      action,
      inputs: inputs([
        "run": "./build.sh", "server": "http://127.0.0.1:1", "token": "bt_x",
        "spool": spool.path,
      ]))
    let record = try #require(run.step("record"))
    #expect(record.status == 0, "\(record.stdout)\(record.stderr)")
    #expect(record.stdout.contains("::warning title=buildtrail::the build was not recorded"))
    #expect(record.stderr.contains("kept in \(spool.path)"))
    let kept = try FileManager.default.contentsOfDirectory(atPath: spool.path)
    #expect(kept.contains { $0.first?.isNumber == true }, "\(kept)")
    #expect(run.step("check")?.status == 0)
  }
}
