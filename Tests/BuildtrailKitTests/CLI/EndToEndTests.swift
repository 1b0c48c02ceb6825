import Foundation
import Testing

/// Builds a small multi-stage project with the real local BuildKit (Docker 20.10, started by
/// `../shared/tools/dockerd-start`) through `buildtrail record --`, and checks the recorded history.
/// Set BUILDTRAIL_E2E=skip to leave these out on a machine without Docker: they then show as skipped.
/// Every test that drives the shared Docker daemon, one at a time (one prunes the builder's cache).
@Suite(
  .serialized, .enabled(if: dockerTestsAreEnabled, "BUILDTRAIL_E2E=skip: no Docker on this machine")
)
struct DockerTests {}

/// False when BUILDTRAIL_E2E=skip: every Docker test is then skipped, not passed.
let dockerTestsAreEnabled = ProcessInfo.processInfo.environment["BUILDTRAIL_E2E"] != "skip"

extension DockerTests {
  @Suite(.serialized) struct EndToEndTests {
    static let docker = URL(fileURLWithPath: "/usr/bin/docker")
    static let scenarios = CLI.repositoryRoot.appendingPathComponent("Tests/Scenarios")

    /// Requires a working Docker (the suite is skipped by BUILDTRAIL_E2E=skip before this runs).
    static func dockerIsReady() throws -> Bool {
      let r = try CLI.runExecutable(
        URL(fileURLWithPath: "/bin/bash"),
        [scenarios.appendingPathComponent("docker-available.sh").path])
      try #require(
        r.status == 0, "Docker is needed for the end-to-end tests: \(r.stdout)\(r.stderr)")
      return true
    }

    static func git(_ arguments: [String], in dir: URL) throws {
      let r = try CLI.runExecutable(
        URL(fileURLWithPath: "/usr/bin/env"),
        ["git", "-c", "user.name=buildtrail", "-c", "user.email=ci@buildtrail.invalid"] + arguments,
        in: dir)
      try #require(r.status == 0, "git \(arguments): \(r.stderr)")
    }

    static func makeProject(_ variant: String) throws -> URL {
      let dir = try scratchDirectory().appendingPathComponent("project")
      let r = try CLI.runExecutable(
        URL(fileURLWithPath: "/bin/bash"),
        [scenarios.appendingPathComponent("make-project.sh").path, dir.path, variant])
      try #require(r.status == 0, "\(r.stderr)")
      try git(["init", "-q", "-b", "main"], in: dir)
      try git(["add", "-A"], in: dir)
      try git(["commit", "-qm", "first \(variant) commit"], in: dir)
      return dir
    }

    static func build(_ project: URL, db: URL, tag: String, labels: [String] = []) throws
      -> CLI.Result
    {
      try CLI.run(
        ["record", "--db", db.path] + labels.flatMap { ["--label", $0] }
          + ["--", docker.path, "build", "--progress=plain", "--network=none", "-t", tag, "."],
        in: project, environment: ["DOCKER_BUILDKIT": "1"])
    }

    static func json(_ text: String) throws -> [String: Any] {
      try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func buildTwiceThenChangeAppCode() throws {
      guard try Self.dockerIsReady() else { return }
      let project = try Self.makeProject("multistage")
      let db = project.deletingLastPathComponent().appendingPathComponent("history.db")
      _ = try CLI.runExecutable(Self.docker, ["builder", "prune", "-af"])

      // The first build runs every step; the output passes through unchanged.
      let first = try Self.build(project, db: db, tag: "buildtrail-e2e:1", labels: ["run=first"])
      #expect(first.status == 0, "\(first.stderr)")
      #expect(
        first.stdout.contains("#1 [internal] load build definition from Dockerfile")
          || first.stderr.contains("#1 [internal]"))
      #expect(first.stderr.contains("buildtrail: recorded build 1: success, 0 of 10 steps cached"))

      // The second is mostly cached.
      let second = try Self.build(project, db: db, tag: "buildtrail-e2e:1")
      #expect(second.status == 0)
      #expect(
        second.stderr.contains("buildtrail: recorded build 2: success, 10 of 10 steps cached"))

      // A change to app code re-runs COPY app/ and what follows it.
      try Data("echo changed\n".utf8).write(to: project.appendingPathComponent("app/extra.sh"))
      try Self.git(["add", "-A"], in: project)
      try Self.git(["commit", "-qm", "change app code"], in: project)
      let third = try Self.build(project, db: db, tag: "buildtrail-e2e:1")
      #expect(third.status == 0)

      let list = try Self.json(try CLI.run(["builds", "--db", db.path, "--format", "json"]).stdout)
      let builds = try #require(list["builds"] as? [[String: Any]])
      #expect(builds.map { $0["id"] as? Int } == [3, 2, 1])
      #expect(builds.map { $0["outcome"] as? String } == ["success", "success", "success"])
      #expect(builds.map { $0["branch"] as? String } == ["main", "main", "main"])
      #expect(builds[0]["subject"] as? String == "change app code")
      #expect(builds[2]["subject"] as? String == "first multistage commit")
      #expect((builds[1]["steps_cached"] as? Int) == (builds[1]["steps_total"] as? Int))
      let thirdCached = builds[0]["steps_cached"] as? Int ?? 0
      #expect(thirdCached > 0 && thirdCached < (builds[0]["steps_total"] as? Int ?? 0))
      #expect(
        try CLI.run(["builds", "--db", db.path, "--label", "run=first", "--format", "csv"]).stdout
          .split(separator: "\n").count == 2)

      let shown = try Self.json(
        try CLI.run(["show", "3", "--db", db.path, "--format", "json"]).stdout)
      let detail = try #require(shown["build"] as? [String: Any])
      let steps = try #require(detail["steps"] as? [[String: Any]])
      let status = Dictionary(
        uniqueKeysWithValues: steps.map {
          ($0["key"] as? String ?? "", $0["status"] as? String ?? "")
        })
      #expect(status["||build|COPY app/ ./"] == "done")
      #expect(
        status[
          "||build|RUN echo \"compiling app\" && ls /src && mkdir -p /out && cp /src/main.sh /src/util.sh /src/VERSION /out/ && sleep 1 && echo \"build ok: version $(cat /out/VERSION)\""
        ] == "done")
      #expect(status["||deps|COPY uv.lock ./"] == "cached")
      let inputs = (detail["inputs"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
      #expect(inputs == [".dockerignore", "Dockerfile", "uv.lock"])
      let context = try #require(detail["context"] as? [String: Any])
      #expect(context["files"] as? Int == 7)
      let build = try #require(detail["build"] as? [String: Any])
      #expect((build["wall_seconds"] as? Double ?? 0) > 0)
      #expect(build["exit_code"] as? Int == 0)
    }

    @Test func aFailedBuildIsRecordedAndItsExitCodeKept() throws {
      guard try Self.dockerIsReady() else { return }
      let project = try Self.makeProject("failing")
      let db = project.deletingLastPathComponent().appendingPathComponent("history.db")
      let r = try Self.build(project, db: db, tag: "buildtrail-e2e:failing")
      #expect(r.status == 1)
      #expect(r.stderr.contains("buildtrail: recorded build 1: failed"))
      let shown = try CLI.run(["show", "--db", db.path])
      #expect(shown.stdout.contains("Errors"))
      #expect(shown.stdout.contains("test_cache ... FAILED"))
      let step = try CLI.run(["show", "--db", db.path, "--step", "running tests"])
      #expect(step.stdout.contains("1 failed, 1 passed"))
    }

    @Test func aCommandThatIsNotFoundFailsClearly() throws {
      let dir = try scratchDirectory()
      let r = try CLI.run([
        "record", "--db", dir.appendingPathComponent("h.db").path, "--", "no-such-build-tool-xyz",
        "build",
      ])
      #expect(r.status == 127)
      #expect(r.errorLines.count == 1)
      #expect(
        r.errorLines.first?.contains("cannot run `no-such-build-tool-xyz`") == true, "\(r.stderr)")
    }
  }
}
