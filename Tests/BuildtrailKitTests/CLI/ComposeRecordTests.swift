import Foundation
import Testing

/// `record --compose-file` on compose logs (Fixtures/compose): one build per service, each with the
/// target, context, Dockerfile, build arguments and inputs its service has in the compose file.
@Suite struct ComposeRecordTests {
  static let fixtures = CLI.repositoryRoot.appendingPathComponent(
    "Tests/BuildLogTests/Fixtures/compose")

  /// A copy of the fixture project outside any git clone, and a history beside it.
  static func project() throws -> (dir: URL, db: String) {
    let root = try scratchDirectory()
    let dir = root.appendingPathComponent("project")
    try FileManager.default.copyItem(at: fixtures.appendingPathComponent("project"), to: dir)
    return (dir, root.appendingPathComponent("history.db").path)
  }

  static func record(_ log: String, _ extra: [String], in p: (dir: URL, db: String)) throws
    -> CLI.Result
  {
    try CLI.run(
      ["record", fixtures.appendingPathComponent(log).path, "--db", p.db] + extra, in: p.dir,
      environment: ["APP_VERSION": "2.5", "NPM_TOKEN": "hunter2"])
  }

  /// `compose.yaml` with service `api` (context `backend`, target `runtime`) and `web` as given.
  static func writeCompose(web: String, in dir: URL) throws {
    let indented = web.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    let text =
      "services:\n  api:\n    build:\n      context: ./backend\n      target: runtime\n"
      + indented + "\n"
    try text.write(
      to: dir.appendingPathComponent("compose.yaml"), atomically: true, encoding: .utf8)
  }

  /// An executable `name` beside the project that prints the fixture `log` (to stderr when asked,
  /// as compose v1 does) and exits with `status`: a stand-in for docker or docker-compose.
  static func fakeTool(
    _ name: String, printing log: String, toStandardError: Bool, status: Int32, beside project: URL
  )
    throws -> URL
  {
    let bin = project.deletingLastPathComponent().appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    let tool = bin.appendingPathComponent(name)
    let path = fixtures.appendingPathComponent(log).path
    let script = "#!/bin/sh\ncat '\(path)'\(toStandardError ? " >&2" : "")\nexit \(status)\n"
    try script.write(to: tool, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path)
    return tool
  }

  static func show(_ id: Int, db: String) throws -> [String: Any] {
    let r = try CLI.run(["show", String(id), "--db", db, "--format", "json"])
    try #require(r.status == 0, "\(r.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    return try #require(json?["build"] as? [String: Any])
  }

  static func summary(_ build: [String: Any]) -> [String: Any] {
    build["build"] as? [String: Any] ?? [:]
  }

  @Test func twoServicesGetTwoBuildsWithTheirOwnTargetContextInputsAndArguments() throws {
    let p = try Self.project()
    let r = try Self.record(
      "compose-v1-buildkit-two-services.log",
      ["--compose-file", "docker-compose.yml", "--build-arg", "NPM_TOKEN"], in: p)
    try #require(r.status == 0, "\(r.stderr)")

    let backend = try Self.show(1, db: p.db)
    let worker = try Self.show(2, db: p.db)
    #expect(Self.summary(backend)["target"] as? String == "runtime")
    #expect(Self.summary(worker)["target"] == nil)
    let backendContext = try #require(backend["context"] as? [String: Any])
    let workerContext = try #require(worker["context"] as? [String: Any])
    let dir = p.dir.standardizedFileURL.resolvingSymlinksInPath().path
    #expect(backendContext["path"] as? String == dir + "/backend")
    #expect(backendContext["dockerfile"] as? String == dir + "/backend/Dockerfile")
    #expect(workerContext["path"] as? String == dir)
    #expect(workerContext["dockerfile"] as? String == dir + "/worker/Dockerfile.worker")

    let backendInputs = (backend["inputs"] as? [[String: Any]] ?? []).compactMap {
      $0["path"] as? String
    }
    let workerInputs = (worker["inputs"] as? [[String: Any]] ?? []).compactMap {
      $0["path"] as? String
    }
    #expect(backendInputs.contains("Dockerfile"))
    #expect(backendInputs.contains("requirements.txt"))
    #expect(workerInputs.contains("worker/Dockerfile.worker"))
    #expect(!backendInputs.contains { $0.hasSuffix("Dockerfile.worker") })
    #expect(workerInputs.contains("backend/requirements.txt"))

    let backendArguments = try #require(backend["build_arguments"] as? [[String: Any]])
    let version = try #require(backendArguments.first { $0["name"] as? String == "APP_VERSION" })
    #expect(version["value"] as? String == "2.5")
    let token = try #require(backendArguments.first { $0["name"] as? String == "NPM_TOKEN" })
    #expect((token["value"] as? String)?.hasPrefix("sha256:") == true)
    #expect(
      !(String(data: try JSONSerialization.data(withJSONObject: backend), encoding: .utf8) ?? "")
        .contains("hunter2"))
    #expect(token["secret"] as? Bool == true)
    let workerArguments = worker["build_arguments"] as? [[String: Any]] ?? []
    #expect(!workerArguments.contains { $0["name"] as? String == "APP_VERSION" })
    #expect(workerArguments.contains { $0["name"] as? String == "NPM_TOKEN" })

    #expect(
      (backend["steps"] as? [[String: Any]])?.contains {
        $0["name"] as? String == "[runtime 2/2] RUN echo \"v1.0\" > /app/version"
      } == true)
  }

  /// The issue's first complaint: with the service's inputs recorded, `why` names the changed
  /// requirements file instead of "no input changed: the builder's cache was lost".
  @Test(arguments: ["legacy", "buildkit"])
  func whyNamesTheChangedRequirementsOfTheService(builder: String) throws {
    let p = try Self.project()
    func git(_ arguments: [String]) throws {
      let r = try CLI.runExecutable(
        URL(fileURLWithPath: "/usr/bin/env"),
        ["git", "-c", "user.name=buildtrail", "-c", "user.email=ci@buildtrail.invalid"] + arguments,
        in: p.dir)
      try #require(r.status == 0, "git \(arguments): \(r.stderr)")
    }
    try git(["init", "-q", "-b", "main"])
    try git(["add", "-A"])
    try git(["commit", "-qm", "two services"])
    let first = try Self.record(
      builder == "legacy" ? "compose-v1-legacy-cold.log" : "compose-v1-buildkit-two-services.log",
      ["--compose-file", "docker-compose.yml"], in: p)
    try #require(first.status == 0, "\(first.stderr)")
    try Data("httpx==0.28.1\n".utf8).write(
      to: p.dir.appendingPathComponent("backend/requirements.txt"))
    try git(["commit", "-qam", "bump httpx"])
    let second = try Self.record(
      "compose-v1-\(builder)-backend-requirements-changed.log",
      ["--compose-file", "docker-compose.yml"], in: p)
    try #require(second.status == 0, "\(second.stderr)")

    let backend = try Self.show(3, db: p.db)
    #expect((backend["context"] as? [String: Any])?["path"] as? String == "backend")
    let r = try CLI.run(["why", "3", "--db", p.db, "--format", "json"])
    try #require(r.status == 0, "\(r.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let why = try #require(json?["why"] as? [String: Any])
    let misses = try #require(why["root_misses"] as? [[String: Any]])
    let copy = try #require(
      misses.first {
        (($0["step"] as? [String: Any])?["name"] as? String)?.hasSuffix("COPY requirements.txt .")
          == true
      },
      "\(r.stdout)")
    let cause = try #require(copy["cause"] as? [String: Any])
    #expect((cause["summary"] as? String)?.contains("backend/requirements.txt changed") == true)
    #expect(Self.summary(try Self.show(4, db: p.db))["steps_cached"] as? Int == 3)
  }

  @Test func serviceKeepsOnlyThatServicesBuild() throws {
    let p = try Self.project()
    let r = try Self.record(
      "compose-v1-legacy-worker-fails.log",
      ["--compose-file", "docker-compose.yml", "--service", "worker"], in: p)
    try #require(r.status == 0, "\(r.stderr)")
    let list = try CLI.run(["builds", "--db", p.db, "--format", "json"])
    let json = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any]
    let builds = try #require(json?["builds"] as? [[String: Any]])
    #expect(builds.count == 1)
    #expect(builds.first?["outcome"] as? String == "failed")
    let worker = try Self.show(1, db: p.db)
    #expect(
      (worker["context"] as? [String: Any])?["dockerfile"] as? String
        == p.dir.standardizedFileURL.resolvingSymlinksInPath().path + "/worker/Dockerfile.worker")
  }

  @Test func aServiceTheLogDoesNotHoldIsAnError() throws {
    let p = try Self.project()
    try """
    services:
      backend:
        build: ./backend
      extra:
        build: ./backend
    """.write(
      to: p.dir.appendingPathComponent("docker-compose.yml"), atomically: true, encoding: .utf8)
    let r = try Self.record(
      "compose-v1-buildkit-two-services.log",
      ["--compose-file", "docker-compose.yml", "--service", "extra"], in: p)
    #expect(r.status != 0)
    #expect(r.stderr.contains("no build of service extra"))
    #expect(r.stderr.contains("backend, worker"))
  }

  @Test func composeV2SessionIsSplitAndTheFailingServiceFails() throws {
    let p = try Self.project()
    try Self.writeCompose(
      web:
        "web:\n  build:\n    context: .\n    dockerfile_inline: |\n      FROM local/busybox:1\n      COPY site/ ./site/\n",
      in: p.dir)
    let r = try Self.record(
      "compose-v2-bake-shared-vertex-one-fails.log", ["--compose-file", "compose.yaml"], in: p)
    try #require(r.status == 0, "\(r.stderr)")
    let api = try Self.show(1, db: p.db)
    let web = try Self.show(2, db: p.db)
    #expect(Self.summary(api)["outcome"] as? String == "failed")
    #expect(Self.summary(web)["outcome"] as? String == "success")
    #expect(Self.summary(api)["target"] as? String == "runtime")
    let webDockerfile = (web["context"] as? [String: Any])?["dockerfile"] as? String
    #expect(webDockerfile == "compose.yaml#services.web.build.dockerfile_inline")
    let inline = (web["inputs"] as? [[String: Any]] ?? []).first {
      $0["role"] as? String == "dockerfile"
    }
    #expect(inline?["path"] as? String == "compose.yaml#services.web.build.dockerfile_inline")
    let webSteps = (web["steps"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    #expect(webSteps.contains("[web 2/4] WORKDIR /srv"))
    #expect(!webSteps.contains { $0.hasPrefix("[api") })
  }

  @Test func aBadComposeFileIsAWarningAndTheBuildsAreStillSplit() throws {
    let p = try Self.project()
    try "services: [broken\n".write(
      to: p.dir.appendingPathComponent("compose.yaml"), atomically: true, encoding: .utf8)
    let r = try Self.record(
      "compose-v2-bake-shared-vertex-one-fails.log", ["--compose-file", "compose.yaml"], in: p)
    try #require(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("compose.yaml cannot be read"))
    #expect(r.stderr.contains("recorded without their services' context"))
    let steps1 = (try Self.show(1, db: p.db)["steps"] as? [[String: Any]] ?? []).compactMap {
      $0["name"] as? String
    }
    #expect(steps1.contains("[api base 2/3] WORKDIR /srv"))
    #expect(!steps1.contains { $0.hasPrefix("[web") })
    #expect(Self.summary(try Self.show(2, db: p.db))["outcome"] as? String == "success")
  }

  /// A stand-in `docker-compose` that prints a captured log: `record --` reads the project from the
  /// command line (`-f`, `--no-cache`, the services) without Docker.
  @Test func wrappedComposeBuildGetsPerServiceMetadataAndNoCache() throws {
    let p = try Self.project()
    let fake = try Self.fakeTool(
      "docker-compose", printing: "compose-v1-buildkit-two-services.log", toStandardError: true,
      status: 0, beside: p.dir)
    let r = try CLI.run(
      [
        "record", "--db", p.db, "--", fake.path, "-f", "docker-compose.yml", "build", "--no-cache",
        "--build-arg", "APP_VERSION=3.0", "backend", "worker",
      ], in: p.dir, environment: ["PATH": "/usr/bin:/bin"])
    try #require(r.status == 0, "\(r.stderr)")
    let backend = try Self.show(1, db: p.db)
    let worker = try Self.show(2, db: p.db)
    #expect(Self.summary(backend)["target"] as? String == "runtime")
    for build in [backend, worker] {
      let plumbing = try #require(build["cache_plumbing"] as? [String: Any])
      #expect(plumbing["no_cache"] as? Bool == true)
      #expect(plumbing["command_known"] as? Bool == true)
    }
    let arguments = try #require(backend["build_arguments"] as? [[String: Any]])
    #expect(
      arguments.first { $0["name"] as? String == "APP_VERSION" }?["value"] as? String == "3.0")
    #expect(
      (worker["context"] as? [String: Any])?["dockerfile"] as? String
        == p.dir.standardizedFileURL.resolvingSymlinksInPath().path + "/worker/Dockerfile.worker")
  }

  /// `docker compose build` (v2): the default compose file is found from the working directory,
  /// the session is split, the failing service fails and the build's exit code passes through.
  @Test func wrappedComposeV2FindsTheDefaultFileAndKeepsTheExitCode() throws {
    let p = try Self.project()
    try Self.writeCompose(web: "web:\n  build: .\n  profiles: [ui]\n", in: p.dir)
    let fake = try Self.fakeTool(
      "docker", printing: "compose-v2-bake-shared-vertex-one-fails.log", toStandardError: false,
      status: 1, beside: p.dir)
    let r = try CLI.run(
      ["record", "--db", p.db, "--", fake.path, "compose", "--profile", "ui", "build"],
      in: p.dir.appendingPathComponent("worker"), environment: ["PATH": "/usr/bin:/bin"])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(
      r.stderr.contains(
        "no Dockerfile at \(p.dir.standardizedFileURL.path)/Dockerfile; service web's build.dockerfile"
      ),
      "\(r.stderr)")
    #expect(r.stderr.contains("recorded build 1: failed"))
    #expect(r.stderr.contains("recorded build 2: success"))
    let api = try Self.show(1, db: p.db)
    let web = try Self.show(2, db: p.db)
    #expect(Self.summary(api)["target"] as? String == "runtime")
    let dir = p.dir.standardizedFileURL.resolvingSymlinksInPath().path
    #expect((api["context"] as? [String: Any])?["path"] as? String == dir + "/backend")
    #expect((web["context"] as? [String: Any])?["path"] as? String == dir)
  }

  @Test func flagsAreChecked() throws {
    let p = try Self.project()
    let alone = try CLI.run(["record", "x.log", "--db", p.db, "--service", "api"], in: p.dir)
    #expect(alone.status != 0)
    #expect(alone.stderr.contains("--service needs --compose-file"))
    let both = try CLI.run(
      ["record", "--db", p.db, "--compose-file", "c.yml", "--", "docker", "compose", "build"],
      in: p.dir)
    #expect(both.status != 0)
    #expect(both.stderr.contains("--compose-file is for a LOG file"))
  }
}
