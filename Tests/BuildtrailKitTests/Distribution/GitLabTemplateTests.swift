import Foundation
import Testing
import Yams

/// `ci/gitlab/buildtrail.yml`: the hidden job parses, and its before_script and a script using its
/// functions run as GitLab runs them (one shell, `-e`), with GitLab's variables.
@Suite(
  .enabled(if: CIWorkspace.available, "needs BUILDTRAIL_DIST_TARBALL (Scripts/dist.sh) and git"))
struct GitLabTemplateTests {
  static let template = CLI.repositoryRoot.appendingPathComponent("ci/gitlab/buildtrail.yml")

  let job: [String: Any]
  let root: URL
  let project: URL
  let commit: String

  init() throws {
    let yaml = try Yams.load(yaml: String(contentsOf: Self.template, encoding: .utf8))
    job = try #require((yaml as? [String: Any])?[".buildtrail"] as? [String: Any])
    root = try scratchDirectory()
    project = root.appendingPathComponent("project")
    commit = try CIWorkspace.gitRepository(at: project)
  }

  var variables: [String: String] {
    (job["variables"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
  }

  @Test func declaresTheHiddenJobWithItsVariables() throws {
    for name in [
      "BUILDTRAIL_URL", "BUILDTRAIL_SHA256", "BUILDTRAIL_TARBALL", "BUILDTRAIL_DB",
      "BUILDTRAIL_MAX_SLOWDOWN", "BUILDTRAIL_MIN_CACHE_HIT",
    ] {
      #expect(variables[name] != nil, "no variable \(name)")
    }
    let lines = try #require(job["before_script"] as? [String])
    #expect(lines.joined().contains("buildtrail_build()"))
  }

  /// GitLab's variables, then the template's (expanded as GitLab expands them), then `extra`.
  func environment(_ extra: [String: String]) -> [String: String] {
    var env = [
      "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": root.path, "LANG": "C.UTF-8",
      "NO_COLOR": "1", "TMPDIR": root.path, "CI": "true", "GITLAB_CI": "true",
      "CI_COMMIT_SHA": "89abcdef0123456789abcdef0123456789abcdef",
      "CI_COMMIT_REF_NAME": "feature/ci",
      "CI_PIPELINE_ID": "9001", "CI_JOB_ID": "31337",
      "CI_JOB_URL": "https://gitlab.example/acme/app/-/jobs/31337", "CI_PROJECT_DIR": project.path,
    ]
    for (name, value) in variables {
      env[name] = value.replacingOccurrences(of: "$CI_PROJECT_DIR", with: project.path)
    }
    return env.merging(extra) { $1 }
  }

  func run(_ script: [String], shell: String, _ extra: [String: String] = [:]) throws -> CLI.Result
  {
    let lines = try #require(job["before_script"] as? [String]) + script
    let file = root.appendingPathComponent("job.sh")
    try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
    return try CLI.runExecutable(
      URL(fileURLWithPath: "/usr/bin/env"),
      ["-i"] + environment(extra).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + [
        shell, "-e", file.path,
      ], in: project)
  }

  @Test(arguments: ["bash", "sh"])
  func recordsTheBuildWithGitLabFactsAndChecksIt(shell: String) throws {
    try CIWorkspace.buildScript(
      project.appendingPathComponent("build.sh"), log: "docker20-multistage-cold.log", exitCode: 0)
    let r = try run(
      [
        "buildtrail_build ./build.sh", "echo \"id=$BUILDTRAIL_BUILD_ID\"", "buildtrail_check",
        "echo after-check",
      ], shell: shell,
      [
        "BUILDTRAIL_TARBALL": CIWorkspace.tarball!.path,
        "BUILDTRAIL_SHA256": try CIWorkspace.tarballDigest(), "BUILDTRAIL_LABELS": "team=api",
      ])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("naming to docker.io/library/buildtrail-fixture:multistage"))
    #expect(r.stdout.contains("no earlier successful build"))
    #expect(r.stdout.hasSuffix("after-check\n"))
    #expect(r.stdout.contains("id=1\n"))
    let binary = root.appendingPathComponent("buildtrail-31337/bin/buildtrail")
    let db = project.appendingPathComponent(".buildtrail/history.db").path
    let build = try CIWorkspace.show("1", db: db, binary: binary)
    let ci = try #require(build["ci"] as? [String: Any])
    #expect(ci["provider"] as? String == "gitlab-ci")
    #expect(ci["run_id"] as? String == "9001")
    #expect(ci["job_id"] as? String == "31337")
    #expect(ci["url"] as? String == "https://gitlab.example/acme/app/-/jobs/31337")
    #expect((build["git"] as? [String: Any])?["commit"] as? String == commit)
    #expect(build["labels"] as? [String: String] == ["team": "api"])
  }

  @Test func aFailingBuildStopsTheJobWithItsExitCode() throws {
    try CIWorkspace.buildScript(
      project.appendingPathComponent("build.sh"), log: "docker20-failing-run.log", exitCode: 3)
    let r = try run(
      ["buildtrail_build ./build.sh", "echo not-reached"], shell: "bash",
      ["BUILDTRAIL_TARBALL": CIWorkspace.tarball!.path])
    #expect(r.status == 3)
    #expect(!r.stdout.contains("not-reached"))
    let db = project.appendingPathComponent(".buildtrail/history.db").path
    #expect(try CLI.builds(db: db).first?["outcome"] as? String == "failed")
  }

  @Test func aRecordingFailureWarnsAndTheJobGoesOn() throws {
    try CIWorkspace.buildScript(
      project.appendingPathComponent("build.sh"), log: "docker20-multistage-cold.log", exitCode: 0)
    let file = root.appendingPathComponent("a-file")
    FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8))
    let r = try run(
      ["buildtrail_build ./build.sh", "buildtrail_check", "echo reached"], shell: "sh",
      [
        "BUILDTRAIL_TARBALL": CIWorkspace.tarball!.path,
        "BUILDTRAIL_DB": file.appendingPathComponent("history.db").path,
      ])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.hasSuffix("reached\n"))
    #expect(r.stderr.contains("buildtrail: warning: the build was not recorded"))
    #expect(r.stderr.contains("check skipped"))
  }

  @Test func aBadChecksumStopsTheJobBeforeTheBuild() throws {
    let r = try run(
      ["echo not-reached"], shell: "bash",
      [
        "BUILDTRAIL_TARBALL": CIWorkspace.tarball!.path,
        "BUILDTRAIL_SHA256": String(repeating: "0", count: 64),
      ])
    #expect(r.status != 0)
    #expect(r.stderr.contains("buildtrail: error: checksum mismatch"))
    #expect(!r.stdout.contains("not-reached"))
  }
}
