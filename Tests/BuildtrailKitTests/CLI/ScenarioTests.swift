import Foundation
import Testing

/// The uv backend scenario: one build per commit with the real local BuildKit through `record --` (the
/// re-imported base image of `reimport-base` recorded from its log file), then `why` for every build and
/// `broke`; and the same history again with
/// every build made from a depth-1 clone, where only the recorded snapshots can explain it.
extension DockerTests {
  @Suite(.serialized) struct ScenarioTests {
    static let script = CLI.repositoryRoot.appendingPathComponent("Tests/Scenarios/uv-history.sh")
      .path
    static let docker = URL(fileURLWithPath: "/usr/bin/docker")

    /// What `why` must say of each build, in order: the root misses' cause kinds and a text each
    /// verdict must contain.
    static let expected: [(step: String, causes: [String], verdict: String)] = [
      ("initial", ["no-baseline"], "rebuilt"),
      ("app-code", ["files"], "changed under COPY . /app: app/api.py"),
      ("add-dependency", ["dependencies"], "uv.lock changed: +httpcore 1.0.5, +httpx 0.27.0"),
      ("dockerignore-venv", ["dockerignore"], ".dockerignore changed: -.venv"),
      ("restore-dockerignore", [], "no step lost its cache"),
      ("reorder-dockerfile", ["dockerfile"], "Dockerfile changed: COPY . /app moved"),
      ("app-code-after-reorder", ["files"], "changed under COPY . /app: app/main.py"),
      (
        "prune", ["cache-lost"],
        "no input changed: the builder's cache was lost (uv cache mount /root/.cache/uv cold: fetched 8 of 8 packages"
      ),
      ("base-image", ["base-image"], "base image docker.io/local/uv-base:1 changed"),
      // The instruction wins over the file: COPY . /app copies the Dockerfile, but the added RUN is the cause.
      ("failing-run", ["dockerfile"], "failed at"),
      (
        "import-check", ["dockerfile"],
        "RUN python3 -c \"import app.main\" added (line 10); COPY . /app copies the Dockerfile"
      ),
      (
        "undeclared-import", ["files"], "failed at [stage-0 6/6] RUN python3 -c \"import app.main\""
      ),
      ("replace-import", ["files"], "changed under COPY . /app: app/api.py"),
      ("restore-order", ["dockerfile"], "--mount=type=bind… moved (line 5 → 4)"),
      ("app-code-after-fix", ["files"], "changed under COPY . /app: app/api.py"),
      // Recorded from the log file: no image ID, so the warm uv cache mount tells it from a lost cache.
      (
        "reimport-base", ["base-image"],
        "the base image (or the builder) changed: the stage FROM docker.io/local/uv-base:1"
      ),
    ]
    /// The step whose build is recorded from its log file rather than through `record --`.
    static let fromFile = "reimport-base"

    static func shell(_ arguments: [String], in dir: URL? = nil) throws -> CLI.Result {
      let r = try CLI.runExecutable(URL(fileURLWithPath: "/bin/bash"), arguments, in: dir)
      try #require(r.status == 0, "\(arguments): \(r.stderr)")
      return r
    }

    /// Builds the whole history; `depthOne` builds each commit from a fresh depth-1 clone.
    static func buildHistory(depthOne: Bool) throws -> (db: String, project: URL) {
      let root = try scratchDirectory()
      let project = root.appendingPathComponent("backend")
      let db = root.appendingPathComponent("history.db").path
      _ = try shell([script, "base-image", "1"])
      _ = try shell([script, "init", project.path])
      _ = try CLI.runExecutable(docker, ["builder", "prune", "-af"])
      let steps = try shell([script, "steps"]).stdout.split(separator: "\n").map(String.init)
      for (n, step) in (["initial"] + steps).enumerated() {
        if step != "initial" { _ = try shell([script, "apply", project.path, step]) }
        if step == "prune" { _ = try CLI.runExecutable(docker, ["builder", "prune", "-af"]) }
        if step == "base-image" { _ = try shell([script, "base-image", "2"]) }
        if step == fromFile { _ = try shell([script, "base-image", "3"]) }
        var directory = project
        if depthOne {
          directory = root.appendingPathComponent("clone-\(n)")
          _ = try shell([
            "-c",
            "git clone -q --depth 1 file://\(project.path) \(directory.path) && cp -al \(project.path)/.venv \(directory.path)/.venv",
          ])
        }
        let failing = ["failing-run", "undeclared-import"].contains(step)
        if step == fromFile {
          let log = root.appendingPathComponent("\(n)-\(step).log").path
          let built = try CLI.runExecutable(
            URL(fileURLWithPath: "/bin/bash"),
            [
              "-c",
              "DOCKER_BUILDKIT=1 \(docker.path) build --progress=plain --network=none -t uv-history . > \(log) 2>&1",
            ],
            in: directory)
          #expect(built.status == 0, "\(step): \(built.stderr)")
          let r = try CLI.run(["record", log, "--db", db, "--context", "."], in: directory)
          #expect(r.status == 0, "\(step): \(r.stderr.suffix(400))")
          continue
        }
        let r = try CLI.run(
          [
            "record", "--db", db, "--", docker.path, "build", "--progress=plain", "--network=none",
            "-t", "uv-history", ".",
          ],
          in: directory, environment: ["DOCKER_BUILDKIT": "1"])
        #expect(r.status == (failing ? 1 : 0), "\(step): \(r.stderr.suffix(400))")
      }
      return (db, project)
    }

    static func why(_ db: String, _ build: Int) throws -> [String: Any] {
      let r = try CLI.run(["why", String(build), "--db", db, "--format", "json"])
      try #require(r.status == 0, "why \(build): \(r.stderr)")
      let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
      return try #require(json?["why"] as? [String: Any])
    }

    static func verdicts(_ db: String) throws -> [(
      causes: [String], verdict: String, evidence: String
    )] {
      try expected.indices.map { i in
        let why = try why(db, i + 1)
        let roots = why["root_misses"] as? [[String: Any]] ?? []
        let causes = roots.compactMap { ($0["cause"] as? [String: Any])?["kind"] as? String }
        return (causes, why["verdict"] as? String ?? "", why["evidence"] as? String ?? "")
      }
    }

    static func check(_ verdicts: [(causes: [String], verdict: String, evidence: String)]) {
      for ((step, causes, text), got) in zip(expected, verdicts) {
        #expect(got.causes == causes, "\(step): \(got.verdict)")
        #expect(got.verdict.contains(text), "\(step): \(got.verdict)")
      }
    }

    @Test func explainsEveryBuildFromGitAndFromSnapshotsAlike() throws {
      guard try EndToEndTests.dockerIsReady() else { return }
      let full = try Self.buildHistory(depthOne: false)
      let fromGit = try Self.verdicts(full.db)
      Self.check(fromGit)
      #expect(fromGit.dropFirst().allSatisfy { $0.evidence == "git" })

      // The dependency step broke when the Dockerfile was reordered, and was fixed when the order was restored;
      // the prune and the new base image in between are one-off causes, not the break.
      let broke = try CLI.run(["broke", "--db", full.db, "--format", "json"])
      let json = try JSONSerialization.jsonObject(with: Data(broke.stdout.utf8)) as? [String: Any]
      let rows = try #require(json?["broke"] as? [[String: Any]])
      #expect(rows.count == 1, "\(rows.map { $0["name"] ?? "" })")
      let entry = try #require(rows.first)
      #expect((entry["name"] as? String)?.contains("--no-install-project") == true)
      #expect(entry["kind"] as? String == "structural")
      #expect(entry["broke_at"] as? Int == 6)
      #expect(entry["last_good"] as? Int == 5)
      #expect(entry["fixed_at"] as? Int == 14)
      #expect(entry["broken"] as? Bool == false)
      #expect(
        ((entry["cause"] as? [String: Any])?["summary"] as? String)?.contains("COPY . /app moved")
          == true)
      let roles = (entry["misses"] as? [[String: Any]] ?? []).map {
        "\($0["build"] ?? ""):\($0["role"] ?? "")"
      }
      #expect(
        roles == [
          "6:break", "7:after-break", "8:one-off", "9:one-off", "10:after-break", "11:after-break",
          "12:after-break", "13:after-break",
        ])
      // Inside the stretch, `why` names the reorder for the dependency step.
      let inside = try Self.why(full.db, 13)
      let breaks =
        (inside["root_misses"] as? [[String: Any]])?.first?["structural_breaks"] as? [[String: Any]]
      #expect(
        breaks?.first?["summary"] as? String
          == "since 2b756427, `COPY . /app` runs before this step, so every source change reruns it"
      )
      // The re-imported base image, recorded from the file, is inferred and says how to know for sure.
      let reimported = try #require(
        (try Self.why(full.db, 16)["root_misses"] as? [[String: Any]])?.first?["cause"]
          as? [String: Any])
      #expect(reimported["inferred"] as? Bool == true)
      #expect(reimported["references"] as? [String] == ["docker.io/local/uv-base:1"])

      let shallow = try Self.buildHistory(depthOne: true)
      let fromSnapshots = try Self.verdicts(shallow.db)
      Self.check(fromSnapshots)
      // Where a step made no commit (prune, base-image), both builds' commit is in the clone: git answers.
      for (i, got) in fromSnapshots.enumerated().dropFirst()
      where !["prune", "base-image", Self.fromFile].contains(Self.expected[i].step) {
        #expect(got.evidence == "snapshots", "\(Self.expected[i].step)")
      }
      #expect(
        fromSnapshots.map(\.verdict).map(Self.withoutTimes)
          == fromGit.map(\.verdict).map(Self.withoutTimes))
    }

    /// Verdicts carry durations (`+1.2s`) and image IDs, which differ from run to run.
    static func withoutTimes(_ verdict: String) -> String {
      verdict.replacingOccurrences(
        of: "\\(\\+[0-9hms.]+\\)", with: "(+T)", options: .regularExpression
      )
      .replacingOccurrences(of: "sha256:[0-9a-f]+", with: "sha256:…", options: .regularExpression)
    }
  }
}
