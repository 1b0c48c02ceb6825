import Foundation
import Testing

/// The primer's workflow with compose v1: Debian's docker-compose 1.29 drives the local BuildKit
/// (`COMPOSE_DOCKER_CLI_BUILD=1 DOCKER_BUILDKIT=1`) through `buildtrail record -- docker-compose
/// build`, one build of both services per step of Tests/Scenarios/compose-history.sh; then `why` for
/// each service's build must name the right cause.
extension DockerTests {
  @Suite(
    .serialized,
    .enabled(
      if: FileManager.default.isExecutableFile(atPath: "/usr/bin/docker-compose"),
      "no /usr/bin/docker-compose (apt-get install docker-compose)")
  )
  struct ComposeScenarioTests {
    static let compose = URL(fileURLWithPath: "/usr/bin/docker-compose")
    static let script = CLI.repositoryRoot.appendingPathComponent(
      "Tests/Scenarios/compose-history.sh"
    ).path

    /// Builds the whole history through `record --`.
    static func buildHistory() throws -> (db: String, project: URL) {
      let root = try scratchDirectory()
      let project = root.appendingPathComponent("project")
      let db = root.appendingPathComponent("history.db").path
      _ = try DockerTests.ScenarioTests.shell([script, "base-image"])
      _ = try DockerTests.ScenarioTests.shell([script, "init", project.path])
      _ = try CLI.runExecutable(DockerTests.ScenarioTests.docker, ["builder", "prune", "-af"])
      let steps = try DockerTests.ScenarioTests.shell([script, "steps"]).stdout
        .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
      for step in steps {
        _ = try DockerTests.ScenarioTests.shell([script, "apply", project.path, step[0]])
        if step[0] == "prune" {
          _ = try CLI.runExecutable(DockerTests.ScenarioTests.docker, ["builder", "prune", "-af"])
        }
        let flags = step[1] == "-" ? [] : [step[1]]
        let r = try CLI.run(
          ["record", "--db", db, "--", compose.path, "build"] + flags, in: project,
          environment: [
            "COMPOSE_DOCKER_CLI_BUILD": "1", "DOCKER_BUILDKIT": "1",
            "PATH": "/usr/bin:/bin:/usr/sbin:/sbin",
          ])
        #expect(r.status == 0, "\(step[0]): \(r.stderr.suffix(600))")
      }
      return (db, project)
    }

    @Test func explainsEachServiceBuild() throws {
      guard try EndToEndTests.dockerIsReady() else { return }
      let (db, _) = try Self.buildHistory()
      try ComposeFixtureTests.check(db: db, evidence: "git", commandKnown: true)
    }
  }
}
