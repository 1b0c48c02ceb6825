import Foundation
import Testing

/// Debian's docker-compose 1.29 run by `record --` against the local daemon, as a new user runs it:
/// two services (one with its own context and target, one with its own Dockerfile), built, then
/// built again after a change to the second service only. Compose v1 runs `docker build` per service
/// (`COMPOSE_DOCKER_CLI_BUILD=1`), with BuildKit and with the legacy builder. PATH starts with
/// /usr/bin so that compose finds the Docker 20.10 client there (a newer client in /usr/local/bin
/// has no buildx and refuses `DOCKER_BUILDKIT=1` builds).
extension DockerTests {
  @Suite(
    .serialized,
    .enabled(
      if: FileManager.default.isExecutableFile(atPath: "/usr/bin/docker-compose"),
      "no /usr/bin/docker-compose on this machine"))
  struct ComposeEndToEndTests {
    static let fixture = CLI.repositoryRoot.appendingPathComponent(
      "Tests/BuildLogTests/Fixtures/compose/project")

    @Test(arguments: ["1", "0"])
    func twoServicesThenAChangeToOneOfThem(buildKit: String) throws {
      guard try EndToEndTests.dockerIsReady() else { return }
      let root = try scratchDirectory()
      let project = root.appendingPathComponent("project")
      try FileManager.default.copyItem(at: Self.fixture, to: project)
      let tag = "bt-compose-e2e-\(UUID().uuidString.prefix(8).lowercased())"
      let composeFile = project.appendingPathComponent("docker-compose.yml")
      let yaml = try String(contentsOf: composeFile, encoding: .utf8)
        .replacingOccurrences(of: "compose-fx-", with: tag + "-")
      try yaml.write(to: composeFile, atomically: true, encoding: .utf8)
      try EndToEndTests.git(["init", "-q", "-b", "main"], in: project)
      try EndToEndTests.git(["add", "-A"], in: project)
      try EndToEndTests.git(["commit", "-qm", "two services"], in: project)
      let db = root.appendingPathComponent("history.db").path
      let environment = [
        "COMPOSE_DOCKER_CLI_BUILD": "1", "DOCKER_BUILDKIT": buildKit,
        "PATH": "/usr/bin:/bin:/usr/local/bin",
      ]

      let first = try CLI.run(
        ["record", "--db", db, "--", "docker-compose", "build"], in: project,
        environment: environment)
      try #require(first.status == 0, "\(first.stderr)")
      #expect(first.stderr.contains("recorded build 1: success"))
      #expect(first.stderr.contains("recorded build 2: success"))

      // Content no earlier run built, so that BuildKit's cache cannot already hold the layer.
      try Data("echo working harder for \(tag)\n".utf8).write(
        to: project.appendingPathComponent("worker/job.sh"))
      try EndToEndTests.git(["commit", "-qam", "worker works harder"], in: project)
      let second = try CLI.run(
        ["record", "--db", db, "--", "docker-compose", "build", "worker"], in: project,
        environment: environment)
      try #require(second.status == 0, "\(second.stderr)")

      func show(_ id: Int) throws -> [String: Any] {
        let r = try CLI.run(["show", String(id), "--db", db, "--format", "json"])
        return try #require(try EndToEndTests.json(r.stdout)["build"] as? [String: Any])
      }
      let backend = try show(1)
      let worker = try show(2)
      let again = try show(3)
      #expect((backend["build"] as? [String: Any])?["target"] as? String == "runtime")
      #expect((backend["context"] as? [String: Any])?["path"] as? String == "backend")
      #expect((worker["context"] as? [String: Any])?["path"] as? String == ".")
      #expect(
        (worker["context"] as? [String: Any])?["dockerfile"] as? String
          == "worker/Dockerfile.worker")
      #expect(
        (again["context"] as? [String: Any])?["dockerfile"] as? String == "worker/Dockerfile.worker"
      )
      #expect((again["build"] as? [String: Any])?["subject"] as? String == "worker works harder")
      let steps = (again["steps"] as? [[String: Any]] ?? []).map {
        ($0["name"] as? String ?? "", $0["status"] as? String ?? "")
      }
      #expect(steps.first { $0.0.hasSuffix("COPY worker/job.sh .") }?.1 == "done")
      #expect(steps.first { $0.0.hasSuffix("WORKDIR /w") }?.1 == "cached")
      #expect(!steps.contains { $0.0.contains("requirements") || $0.0.contains("[base ") })
      #expect(
        (again["build"] as? [String: Any])?["log_format"] as? String
          == (buildKit == "1" ? "plain" : "legacy"))
      _ = try CLI.runExecutable(
        EndToEndTests.docker, ["image", "rm", "-f", "\(tag)-backend:1", "\(tag)-worker:1"])
    }
  }
}
