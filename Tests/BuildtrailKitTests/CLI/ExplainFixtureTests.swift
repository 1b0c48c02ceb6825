import Foundation
import Testing

/// `why`, `diff` and `broke` over the uv scenario without Docker: the logs real BuildKit printed
/// (Fixtures/uv-history) are recorded with `record LOG --context DIR` after each commit of the
/// scripted history, so git, the input snapshots and the context file lists are real.
@Suite(.serialized) struct ExplainFixtureTests {
  static let fixtures = CLI.repositoryRoot.appendingPathComponent(
    "Tests/BuildLogTests/Fixtures/uv-history")

  struct History {
    var db: String
    var project: URL
    var root: URL
  }

  /// Records the fixture logs, one per step, after applying each step to a fresh project.
  /// `corruptLockAt` writes an unparseable uv.lock into that step's commit instead of its own change.
  static func record(skipMetadata: Bool = false, corruptLockAt: String? = nil) throws -> History {
    let root = try scratchDirectory()
    let project = root.appendingPathComponent("backend")
    let db = root.appendingPathComponent("history.db").path
    _ = try DockerTests.ScenarioTests.shell([
      DockerTests.ScenarioTests.script, "init", project.path,
    ])
    let logs = try FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter {
      $0.hasSuffix(".log")
    }.sorted()
    for log in logs {
      let step = String(log.dropFirst(3).dropLast(4))
      if step != "initial" {
        _ = try DockerTests.ScenarioTests.shell([
          DockerTests.ScenarioTests.script, "apply", project.path, step,
        ])
        if step == corruptLockAt {
          try Data("version = 1\n[[package]\nname = \"broken\n".utf8).write(
            to: project.appendingPathComponent("uv.lock"))
          _ = try DockerTests.ScenarioTests.shell(
            ["-c", "git -c user.name=t -c user.email=t@t commit -qam 'break the lock'"], in: project
          )
        }
      }
      var arguments = [
        "record", fixtures.appendingPathComponent(log).path, "--db", db, "--context", ".",
      ]
      if skipMetadata { arguments.append("--no-metadata") }
      let r = try CLI.run(arguments, in: project)
      try #require(r.status == 0, "\(log): \(r.stderr)")
    }
    return History(db: db, project: project, root: root)
  }

  static func why(_ history: History, _ build: Int, environment: [String: String] = [:]) throws
    -> [String: Any]
  {
    let r = try CLI.run(
      ["why", String(build), "--db", history.db, "--format", "json"], environment: environment)
    try #require(r.status == 0, "\(r.stderr)")
    return try #require(
      (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["why"]
        as? [String: Any])
  }

  static func causes(_ why: [String: Any]) -> [String] {
    (why["root_misses"] as? [[String: Any]] ?? []).compactMap {
      ($0["cause"] as? [String: Any])?["kind"] as? String
    }
  }

  @Test func explainsEachRecordedBuild() throws {
    let history = try Self.record()
    let expected: [(Int, [String], String)] = [
      (2, ["files"], "rebuilt 2 steps"),
      (3, ["dependencies"], "uv.lock changed: +httpcore 1.0.5, +httpx 0.27.0"),
      (4, ["dockerignore"], ".dockerignore changed: -.venv"),
      (5, [], "no step lost its cache"),
      (6, ["dockerfile"], "Dockerfile changed: COPY . /app moved (line 8 → 4)"),
      (7, ["files"], "1 file changed under COPY . /app: app/main.py"),
      (8, ["cache-lost"], "uv cache mount /root/.cache/uv cold: fetched 8 of 8 packages"),
      // Recorded from a file, the image ID is unknown: the warm uv cache mount tells a new base image
      // from the lost cache of build 8.
      (
        9, ["base-image"],
        "the base image (or the builder) changed: the stage FROM docker.io/local/uv-base:1"
      ),
      // The instruction wins over the file: COPY . /app copies the Dockerfile, but the added RUN is the cause.
      (10, ["dockerfile"], "failed at [stage-0 6/6] RUN echo \"running checks\""),
      (
        11, ["dockerfile"],
        "Dockerfile changed: RUN python3 -c \"import app.main\" added (line 10); COPY . /app copies the Dockerfile"
      ),
      (
        12, ["files"],
        "failed at [stage-0 6/6] RUN python3 -c \"import app.main\": ModuleNotFoundError: No module named 'itsdangerous'; rebuilt 4 steps"
      ),
      (13, ["files"], "1 file changed under COPY . /app: app/api.py"),
      (14, ["dockerfile"], "--mount=type=bind… moved (line 5 → 4)"),
      (15, ["files"], "rebuilt 3 steps"),
      (16, ["base-image"], "the base image (or the builder) changed"),
    ]
    for (build, causes, text) in expected {
      let why = try Self.why(history, build)
      #expect(Self.causes(why) == causes, "build \(build): \(why["verdict"] ?? "")")
      #expect(
        (why["verdict"] as? String)?.contains(text) == true,
        "build \(build): \(why["verdict"] ?? "")")
      #expect(why["evidence"] as? String == "git")
    }
    let dependency = try Self.why(history, 3)
    let root = try #require((dependency["root_misses"] as? [[String: Any]])?.first)
    #expect(
      (root["step"] as? [String: Any])?["name"] as? String
        == "[stage-0 3/5] RUN --mount=type=cache,target=/root/.cache/uv     --mount=type=bind,source=uv.lock,target=uv.lock     --mount=type=bind,source=pyproject.toml,target=pyproject.toml     uv sync --frozen --no-install-project"
    )
    #expect((root["cascade"] as? [[String: Any]])?.count == 2)
    let changes = ((root["cause"] as? [String: Any])?["changes"] as? [[String: Any]])?.compactMap {
      $0["name"] as? String
    }
    #expect(changes == ["httpcore", "httpx"])
    #expect((dependency["commits"] as? [[String: Any]])?.count == 1)
  }

  /// Point 6: with no digest in the log, a warm dependency mount means a new base image, a cold one a lost cache.
  @Test func aFailureOnAnUndeclaredImportNamesTheImportAndItsFile() throws {
    let history = try Self.record()
    let why = try Self.why(history, 12)
    let failure = try #require(why["failure"] as? [String: Any], "\(why["verdict"] ?? "")")
    #expect(failure["tool"] as? String == "python")
    #expect(
      (failure["error_lines"] as? [String])?.last
        == "ModuleNotFoundError: No module named 'itsdangerous'")
    let change = try #require(failure["related_change"] as? [String: Any])
    #expect(change["kind"] as? String == "undeclared-import")
    #expect(change["file"] as? String == "app/api.py")
    #expect(change["package"] as? String == "itsdangerous")
  }

  @Test func aBaseImageIsInferredFromAWarmMountAndMarkedSo() throws {
    let history = try Self.record()
    for build in [9, 16] {
      let why = try Self.why(history, build)
      let root = try #require((why["root_misses"] as? [[String: Any]])?.first)
      let cause = try #require(root["cause"] as? [String: Any])
      #expect(cause["kind"] as? String == "base-image")
      #expect(cause["inferred"] as? Bool == true)
      #expect(cause["references"] as? [String] == ["docker.io/local/uv-base:1"])
      #expect((cause["suggestion"] as? String)?.contains("record -- docker build") == true)
      let mounts = try #require(cause["mounts"] as? [[String: Any]])
      #expect(mounts.map { $0["state"] as? String } == ["warm"])
      #expect(
        mounts.map { $0["total"] as? Int } == [8],
        "read from the dependency step, not the project's")
      #expect(
        (root["step"] as? [String: Any])?["name"] as? String
          == "[stage-0 2/\(build == 9 ? 5 : 6)] WORKDIR /app")
      #expect(
        (why["verdict"] as? String)?.contains("no input changed: the builder's cache was lost")
          == false)
    }
    let pruned = try Self.why(history, 8)
    #expect(Self.causes(pruned) == ["cache-lost"])
    #expect((pruned["verdict"] as? String)?.contains("the builder's cache was lost") == true)
  }

  /// Point 7: without git and without recorded inputs nothing can be compared: unknown, never "no input changed".
  @Test func withoutRecordedInputsTheCauseIsUnknown() throws {
    let history = try Self.record(skipMetadata: true)
    for build in [8, 9, 16] {
      let why = try Self.why(history, build)
      #expect(Self.causes(why) == ["unknown"], "build \(build): \(why["verdict"] ?? "")")
      #expect(
        (why["verdict"] as? String)?.contains(
          "no inputs were recorded for this build; record with --context or from the repository to explain it"
        ) == true)
      #expect((why["verdict"] as? String)?.contains("no input changed") == false)
    }
  }

  /// Point 10: inside the stretch the reorder made, `why` names the break for the dependency step.
  @Test func whyInsideTheStretchNamesTheReorder() throws {
    let history = try Self.record()
    for build in [7, 10, 12, 13] {
      let why = try Self.why(history, build)
      let root = try #require((why["root_misses"] as? [[String: Any]])?.first)
      #expect(
        (root["step"] as? [String: Any])?["name"] as? String
          == "[stage-0 3/\(build == 7 ? 5 : 6)] COPY . /app")
      let breaks = try #require(root["structural_breaks"] as? [[String: Any]], "build \(build)")
      #expect(breaks.count == 1)
      #expect(breaks.first?["since_build"] as? Int == 6)
      #expect((breaks.first?["since_commit"] as? String)?.hasPrefix("2b75642") == true)
      #expect(
        breaks.first?["summary"] as? String
          == "since 2b756427, `COPY . /app` runs before this step, so every source change reruns it"
      )
      #expect((breaks.first?["step"] as? String)?.contains("--no-install-project") == true)
    }
    // The reorder itself, and the builds after the fix, have no such note.
    for build in [6, 15] {
      let roots = try Self.why(history, build)["root_misses"] as? [[String: Any]] ?? []
      #expect(roots.allSatisfy { $0["structural_breaks"] == nil }, "build \(build)")
    }
    let table = try CLI.run(["why", "7", "--db", history.db])
    #expect(
      table.stdout.contains(
        "    break    since 2b756427, `COPY . /app` runs before [stage-0 4/5] RUN [cache /root/.cache/uv, bind uv.lock, bind pyproject.toml] uv sync"
      ))
  }

  /// Point 10: `broke` names the reorder and the fix, splits the stretch into each build's own cause, and
  /// leaves out steps that always run after a broad COPY unless asked with --all.
  @Test func brokeNamesTheReorderAndTheFix() throws {
    let history = try Self.record()
    let r = try CLI.run(["broke", "--db", history.db, "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let rows = try #require(
      (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["broke"]
        as? [[String: Any]])
    #expect(rows.count == 1, "only the dependency step broke: \(rows.map { $0["name"] ?? "" })")
    let entry = try #require(rows.first)
    #expect((entry["name"] as? String)?.contains("--no-install-project") == true)
    #expect(entry["kind"] as? String == "structural")
    #expect(entry["broke_at"] as? Int == 6)
    #expect((entry["broke_at_commit"] as? String)?.hasPrefix("2b75642") == true)
    #expect(entry["last_good"] as? Int == 5)
    #expect(entry["fixed_at"] as? Int == 14)
    #expect((entry["fixed_at_commit"] as? String)?.hasPrefix("a84e18f") == true)
    #expect(entry["broken"] as? Bool == false)
    let misses = try #require(entry["misses"] as? [[String: Any]])
    #expect(misses.map { $0["build"] as? Int } == [6, 7, 8, 9, 10, 11, 12, 13])
    #expect(
      misses.map { $0["role"] as? String } == [
        "break", "after-break", "one-off", "one-off", "after-break", "after-break", "after-break",
        "after-break",
      ])
    #expect(
      misses.map { ($0["cause"] as? [String: Any])?["kind"] as? String } == [
        "dockerfile", "files", "cache-lost", "base-image", "dockerfile", "dockerfile", "files",
        "files",
      ])

    let all = try CLI.run(["broke", "--all", "--db", history.db, "--format", "json"])
    let allRows =
      (try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any])?["broke"]
      as? [[String: Any]]
      ?? []
    let kinds = Dictionary(
      allRows.map { (($0["name"] as? String) ?? "", ($0["kind"] as? String) ?? "") }
    ) { a, _ in a }
    #expect(
      kinds["[stage-0 5/6] RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen"]
        == "after-broad-copy")
    #expect(kinds["[stage-0 4/6] COPY . /app"] == "broad-copy")
    #expect(kinds["[stage-0 2/6] WORKDIR /app"] == "none")
    let table = try CLI.run(["broke", "--all", "--db", history.db])
    #expect(
      table.stdout.contains(
        "not broken: it always runs after `COPY . /app`, so every source change reruns it"))
    #expect(
      table.stdout.contains(
        "not broken: it copies the whole build context, so every source change reruns it"))
  }

  @Test func tablesMatchTheirGoldenFiles() throws {
    let history = try Self.record()
    for (arguments, name) in [
      (["why", "3"], "why-3.table"), (["why", "4"], "why-4.table"), (["why", "6"], "why-6.table"),
      (["why", "8"], "why-8.table"), (["why", "10"], "why-10.table"),
      (["broke", "--step", "no-install-project"], "broke.table"),
      (["why", "9"], "why-9.table"), (["why", "13"], "why-13.table"),
      (["broke", "--all"], "broke-all.table"),
      (["diff", "2", "3"], "diff-2-3.table"),
    ] {
      let r = try CLI.run(arguments + ["--db", history.db])
      #expect(r.status == 0, "\(arguments): \(r.stderr)")
      try Golden.check(r.stdout, name)
    }
  }

  @Test func anAmbiguousStepListsTheCandidatesAndExits64() throws {
    let history = try Self.record()
    let r = try CLI.run(["trend", "--step", "RUN", "--db", history.db])
    #expect(r.status == 64)
    #expect(
      r.stderr.hasPrefix(
        "buildtrail: error: --step 'RUN' matches 3 steps; give more of one name:\n"))
    #expect(r.stderr.contains("\n  [stage-0 5/6] RUN [cache /root/.cache/uv] uv sync --frozen\n"))
    let one = try CLI.run(["trend", "--step", "no-install-project", "--db", history.db])
    #expect(one.status == 0)
    #expect(
      one.stdout.hasPrefix(
        "Step: [stage-0 3/6] RUN [cache /root/.cache/uv, bind uv.lock, bind pyproject.toml] uv sync --frozen --no-install-project\n"
      ))
  }

  @Test func checkGatesOnSlowdownAndCacheHits() throws {
    let history = try Self.record()
    let healthy = try CLI.run(["check", "5", "--db", history.db, "--min-cache-hit", "80%"])
    #expect(healthy.status == 0, "\(healthy.stdout)")
    #expect(healthy.stdout.contains("PASS  cache hits ok: 4 of 4 steps cached (100%, minimum 80%)"))

    let summary = history.root.appendingPathComponent("summary.md")
    let slow = try CLI.run(
      ["check", "8", "--db", history.db, "--max-slowdown", "20%"],
      environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
    #expect(slow.status == 1)
    #expect(
      slow.stdout.contains(
        "FAIL  build 8 is slower: 2.6s against a median of 0.2s over the last 7 successful builds"))
    #expect(slow.stderr.contains("::error title=buildtrail duration::build 8 is slower"))
    #expect(!slow.stdout.contains("::error"))
    #expect(
      slow.stderr.contains(
        "— rebuilt 4 steps (+2.6s): no input changed: the builder's cache was lost"))
    let markdown = try String(contentsOf: summary, encoding: .utf8)
    #expect(markdown.hasPrefix("### buildtrail check: build 8 ❌ regressed"))

    let bad = try CLI.run(["check", "--db", history.db, "--max-slowdown", "fast"])
    #expect(bad.status == 64)
    #expect(
      bad.stderr.contains(
        "--max-slowdown takes a percentage such as 20% (from 0% to 100000%) or a fraction such as 0.2, got 'fast'"
      ))
  }

  @Test func theFirstBuildHasNoBaseline() throws {
    let history = try Self.record()
    let why = try Self.why(history, 1)
    #expect(Self.causes(why) == ["no-baseline"])
    #expect((why["baseline_reason"] as? String)?.hasPrefix("no earlier successful build") == true)
    #expect(
      (why["notes"] as? [String])?.contains {
        $0.hasPrefix("no baseline build: record a successful build")
      } == true)
  }

  @Test func commitsMissingFromTheCloneFallBackToSnapshots() throws {
    let history = try Self.record()
    try FileManager.default.removeItem(at: history.project.appendingPathComponent(".git"))
    let why = try Self.why(history, 3)
    #expect(why["evidence"] as? String == "snapshots")
    #expect(
      (why["verdict"] as? String)?.contains("uv.lock changed: +httpcore 1.0.5, +httpx 0.27.0")
        == true)
    #expect(
      (why["notes"] as? [String])?.contains {
        $0.contains("is not in the clone") || $0.contains("using the inputs recorded")
      } == true)
  }

  @Test func noGitFallsBackToSnapshotsAndSaysSo() throws {
    let history = try Self.record()
    let emptyPath = history.root.appendingPathComponent("no-git-bin")
    try FileManager.default.createDirectory(at: emptyPath, withIntermediateDirectories: true)
    let why = try Self.why(history, 7, environment: ["PATH": emptyPath.path])
    #expect(why["evidence"] as? String == "snapshots")
    #expect(
      (why["verdict"] as? String)?.contains("1 file changed under COPY . /app: app/main.py") == true
    )
    #expect(
      (why["notes"] as? [String])?.contains { $0.hasPrefix("git was not found on PATH") } == true)
  }

  @Test func noDockerfileStillExplainsWhatItCan() throws {
    let history = try Self.record(skipMetadata: true)
    let why = try Self.why(history, 3)
    #expect(
      (why["notes"] as? [String])?.contains { $0.hasPrefix("no Dockerfile found for build 3") }
        == true)
    #expect((why["root_misses"] as? [[String: Any]])?.count == 1)
    #expect((why["verdict"] as? String)?.hasPrefix("rebuilt 3 steps") == true)
  }

  @Test func aLockfileThatDoesNotParseIsNamedAndTheRestExplained() throws {
    let history = try Self.record(corruptLockAt: "add-dependency")
    let why = try Self.why(history, 3)
    #expect(Self.causes(why) == ["dependencies"])
    #expect((why["verdict"] as? String)?.contains("uv.lock changed") == true)
    #expect(
      (why["notes"] as? [String])?.contains {
        $0.hasPrefix("uv.lock:") && $0.hasSuffix("its package changes are not listed")
      } == true)
  }

  @Test func brokeFindsTheReorder() throws {
    let history = try Self.record()
    let r = try CLI.run(["broke", "--step", "no-install-project", "--db", history.db])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("broke    at build 6"))
    #expect(r.stdout.contains("cause    Dockerfile changed: COPY . /app moved (line 8 → 4)"))
    #expect(r.stdout.contains("(this step ran because [stage-0 3/5] COPY . /app did)"))
    #expect(
      r.stdout.contains("fixed    by build 14, which put it ahead of the copy again (a84e18f2)"))
  }

  @Test func brokeOnAStepThatDoesNotExist() throws {
    let history = try Self.record()
    let r = try CLI.run(["broke", "--step", "npm ci", "--db", history.db])
    #expect(r.status == 1)
    #expect(r.stderr.contains("no step of build 16 matches 'npm ci'"))
  }

  @Test func diffShowsTheContextBalloon() throws {
    let history = try Self.record()
    let r = try CLI.run(["diff", "3", "4", "--db", history.db, "--format", "json"])
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let context = try #require(json["context"] as? [String: Any])
    #expect((context["bytes_after"] as? Int ?? 0) > 20_000_000)
    #expect((context["bytes_before"] as? Int ?? 0) < 100_000)
    #expect(
      (json["inputs"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == [
        ".dockerignore"
      ])
  }
}

@Suite struct BrokenStretchTests {
  @Test(
    arguments: [
      ("RCRCCRRRRR", 5, nil),
      ("CCCRRR", 3, nil),
      ("CCRCC", -1, nil),
      ("CRRCC", 1, 3),
      ("CRRRCCRC", 1, 4),
      ("RR", -1, nil),
      ("CCCRRRRCR", 3, nil),
    ] as [(String, Int, Int?)])
  func findsTheStretch(_ pattern: String, _ start: Int, _ end: Int?) {
    let stretch = CacheBreakFinderProbe.stretch(pattern)
    if start < 0 {
      #expect(stretch == nil)
    } else {
      #expect(stretch?.start == start)
      #expect(stretch?.end == end)
    }
  }
}
