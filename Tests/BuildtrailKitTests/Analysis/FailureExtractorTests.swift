import BuildLog
import BuildStore
import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// The signature table on the shapes each tool prints, and on real failed builds: the project's
/// BuildKit fixtures and the failures in `../shared/corpus`.
@Suite struct FailureExtractorTests {
  static func find(
    _ output: [String], step: String = "[4/6] RUN make",
    error: String? = "process \"/bin/sh -c make\" did not complete successfully: exit code: 1"
  )
    -> FailureExtractor.Finding?
  {
    FailureExtractor.extract(stepName: step, errorText: error, output: output)
  }

  @Test func pythonTracebackEndingInAnUndeclaredImport() throws {
    let found = try #require(
      Self.find([
        "Traceback (most recent call last):", "  File \"/app/manage.py\", line 22, in <module>",
        "    main()",
        "  File \"/app/app/sessions.py\", line 3, in <module>",
        "    from itsdangerous import URLSafeSerializer",
        "ModuleNotFoundError: No module named 'itsdangerous'",
      ]))
    #expect(found.signature.tool == "python")
    #expect(found.signature.message == "ModuleNotFoundError: No module named 'itsdangerous'")
    #expect(found.signature.text == "python: ModuleNotFoundError: No module named 'itsdangerous'")
    #expect(
      found.lines == [
        "  File \"/app/app/sessions.py\", line 3, in <module>",
        "    from itsdangerous import URLSafeSerializer",
        "ModuleNotFoundError: No module named 'itsdangerous'",
      ])
    #expect(found.exitCode == 1)
    #expect(FailureChangeFinder.missingModule(found.signature.message) == "itsdangerous")
  }

  @Test func pythonExceptionsNeedATracebackButImportAndSyntaxErrorsDoNot() throws {
    let syntax = try #require(
      Self.find([
        "  File \"app/x.py\", line 4", "    def f(:", "         ^", "SyntaxError: invalid syntax",
      ]))
    #expect(syntax.signature.message == "SyntaxError: invalid syntax")
    #expect(syntax.lines.first == "  File \"app/x.py\", line 4")
    let custom = try #require(
      Self.find([
        "Traceback (most recent call last):", "  File \"x.py\", line 1",
        "app.errors.ConfigError: DATABASE_URL is not set",
      ]))
    #expect(custom.signature.message == "app.errors.ConfigError: DATABASE_URL is not set")
    // Without a traceback, an "…Error:" line is not Python's.
    let shell = try #require(Self.find(["ValueError: not really python", "done"]))
    #expect(shell.signature.tool == "shell")
  }

  @Test func pipRequirementNotFoundAndResolutionImpossible() throws {
    let missing = try #require(
      Self.find(
        [
          "Collecting aiohttp-extras==0.4.0 (from -r requirements.txt (line 5))",
          "ERROR: Could not find a version that satisfies the requirement yarl-ng>=1.9 (from aiohttp-extras) (from versions: none)",
          "ERROR: No matching distribution found for yarl-ng>=1.9",
        ], step: "[4/6] RUN pip install -r requirements.txt"))
    #expect(missing.signature.tool == "pip")
    #expect(missing.signature.message == "No matching distribution found for yarl-ng>=1.9")
    #expect(missing.signature.text == "pip: No matching distribution found for yarl-ng>=N.N")
    #expect(missing.lines.count == 2)
    let parsed = try #require(FailureChangeFinder.missingRequirement(missing.lines))
    #expect(parsed.0 == "yarl-ng")
    #expect(parsed.1 == "yarl-ng>=1.9")
    #expect(parsed.2 == "aiohttp-extras")

    let conflict = try #require(
      Self.find([
        "ERROR: Cannot install flask==3.0.2 and werkzeug==2.0.0 because these package versions have conflicting dependencies.",
        "", "The conflict is caused by:", "    The user requested werkzeug==2.0.0",
        "    flask 3.0.2 depends on Werkzeug>=3.0.0",
        "ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/",
      ]))
    #expect(conflict.signature.tool == "pip")
    #expect(conflict.signature.message.hasPrefix("Cannot install flask==3.0.2 and werkzeug==2.0.0"))
    #expect(conflict.lines.contains("    flask 3.0.2 depends on Werkzeug>=3.0.0"))
    #expect(
      FailureChangeFinder.missingRequirement([
        "ERROR: Could not find a version that satisfies the requirement foo==9 (from versions: 1.0)"
      ])?.2 == nil)
  }

  @Test func uvNoSolutionAndCausedBy() throws {
    let solve = try #require(
      Self.find(
        [
          "  × No solution found when resolving dependencies:",
          "  ╰─▶ Because there is no version of yarl-ng==9.9 and you require yarl-ng==9.9, we can conclude that your requirements are unsatisfiable.",
        ], step: "[3/5] RUN uv sync --frozen"))
    #expect(solve.signature.tool == "uv")
    #expect(solve.signature.message.hasPrefix("Because there is no version of yarl-ng==9.9"))
    #expect(solve.lines.count == 2)
    #expect(FailureChangeFinder.missingRequirement(solve.lines)?.0 == "yarl-ng")
    let plain = try #require(
      Self.find(["error: Failed to parse `uv.lock`"], step: "[3/5] RUN uv sync --locked"))
    #expect(plain.signature.message == "error: Failed to parse `uv.lock`")
  }

  @Test func nodeAptAndCompilers() throws {
    let npm = try #require(
      Self.find([
        "npm ERR! code E404",
        "npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-padd - Not found",
        "npm ERR! A complete log of this run can be found in:",
        "npm ERR!     /root/.npm/_logs/x.log",
      ]))
    #expect(npm.signature.tool == "npm")
    #expect(
      npm.signature.message
        == "404 Not Found - GET https://registry.npmjs.org/left-padd - Not found")
    #expect(npm.lines.count == 2)
    #expect(
      Self.find(["npm error code ERESOLVE", "npm error ERESOLVE unable to resolve dependency tree"]
      )?.signature.message == "ERESOLVE unable to resolve dependency tree")
    #expect(
      Self.find([" ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with \"frozen-lockfile\""])?.signature
        .tool == "pnpm")
    #expect(
      Self.find(
        ["error Couldn't find any versions for \"lefty\" that matches \"^9\""],
        step: "RUN yarn install")?.signature.tool == "yarn")
    #expect(
      Self.find(["Reading package lists...", "E: Unable to locate package libfoo-dev"])?.signature
        .message == "E: Unable to locate package libfoo-dev")
    let rust = try #require(
      Self.find([
        "error[E0425]: cannot find value `x` in this scope", " --> src/main.rs:3:5",
        "error: could not compile `app`",
      ]))
    #expect(rust.signature.tool == "rust")
    #expect(
      rust.lines == ["error[E0425]: cannot find value `x` in this scope", " --> src/main.rs:3:5"])
    #expect(
      Self.find(["src/a.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'."])?
        .signature.message == "TS2322: Type 'string' is not assignable to type 'number'.")
    #expect(
      Self.find(["main.c:3:5: error: 'x' undeclared (first use in this function)"])?.signature.tool
        == "compiler")
  }

  @Test func buildKitErrorTextWhenTheOutputSaysNothing() throws {
    let copy = try #require(
      Self.find(
        [], step: "[3/5] COPY requirements.txt .",
        error: "failed to compute cache key: \"/requirements.txt\": not found"))
    #expect(copy.signature.tool == "docker")
    #expect(copy.signature.text == "docker: \"…/requirements.txt\": not found")
    #expect(
      Self.find(
        [], step: "Step 3/5 : COPY a b", error: "COPY failed: file not found in build context")?
        .signature.tool == "docker")
    let pull = try #require(
      Self.find([], step: "[1/2] FROM x", error: "pull access denied, repository does not exist"))
    #expect(pull.signature.tool == "buildkit")
    #expect(pull.exitCode == nil)
    let legacy = try #require(
      Self.find(
        ["make: *** [all] Error 2"],
        error: "The command '/bin/sh -c make' returned a non-zero code: 2"))
    #expect(legacy.signature.text == "shell: make: *** [all] Error N (exit code N)")
    #expect(legacy.exitCode == 2)
    #expect(Self.find([], error: nil) == nil)
  }

  @Test func signaturesNormaliseNumbersPathsAndDigests() {
    #expect(
      FailureSignature.normalized(
        "failed to write to file `/root/.cache/uv/.tmppT25gF/lib/libnccl.so.2` (os error 28)")
        == "failed to write to file `…/libnccl.so.N` (os error N)")
    #expect(
      FailureSignature.normalized("image sha256:4322bb65a1f0c9d2e7 not found")
        == "image sha256:H not found")
    #expect(
      FailureSignature.normalized("No module named 'itsdangerous'")
        == "No module named 'itsdangerous'")
    #expect(FailureSignature.normalized("took   12   ms") == "took N ms")
    let long = FailureSignature(tool: "shell", message: String(repeating: "x", count: 5_000))
    #expect(long.message.count == FailureSignature.messageLimit)
  }

  @Test func boundedOnHostileOutput() throws {
    let huge = Array(repeating: String(repeating: "npm ERR! ", count: 10_000), count: 50)
    let found = try #require(Self.find(huge))
    #expect(found.lines.count <= FailureExtractor.lineLimit)
    #expect(found.lines.allSatisfy { $0.count <= FailureExtractor.lineLength })
  }

  // MARK: - Real logs

  static let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/BuildLogTests/Fixtures")
  static let corpus = CLI.repositoryRoot.deletingLastPathComponent().appendingPathComponent(
    "shared/corpus")

  /// The stored failure of every build of a log, as `record` computes it.
  static func failures(_ url: URL) throws -> [StoredFailure?] {
    let log = try LogParser.parse(fileAt: url.path)
    return log.builds.map {
      FailureExtractor.storedFailure(of: NewBuild(parsed: $0, logSHA256: "x"))
    }
  }

  @Test(
    arguments: [
      ("docker20-failing-run.log", "shell", "1 failed, 1 passed (exit code 3)"),
      ("uv-history/09-failing-run.log", "shell", "check failed: lint (exit code 2)"),
      (
        "pip-history/04-add-broken-dependency.log", "pip",
        "No matching distribution found for yarl-ng>=1.9"
      ),
      (
        "pip-history/07-undeclared-import.log", "python",
        "ModuleNotFoundError: No module named 'redis'"
      ),
      ("rawjson-failure.jsonl", "shell", "FAIL (exit code 1)"),
    ])
  func projectFixtures(_ name: String, _ tool: String, _ message: String) throws {
    let failure = try #require(
      try Self.failures(Self.fixtures.appendingPathComponent(name)).last ?? nil)
    #expect(failure.tool == tool)
    #expect(failure.message == message)
    #expect(failure.stepPosition != nil)
  }

  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: corpus.path), "../shared/corpus is missing"),
    arguments: [
      ("004-paas-nextjs-npm-ci-build-error", "next", "x Expected '}', got 'color'"),
      (
        "013-legacy-cmake-failure-nonzero-code", "cmake",
        "CMake Error at CMakeLists.txt:15 (add_executable): Cannot find source file:"
      ),
      ("023-tty-uv-pip-install-enospc-error", "uv", "No space left on device (os error 28)"),
      ("039-gitlab-failure-email-quoted-printable-trace-tail", "buildkit", "pull access denied"),
      ("040-gh-run-view-log-failed-tab-prefixed", "docker", "\"/frontend/dashboard\": not found"),
    ])
  func corpusFailures(_ name: String, _ tool: String, _ message: String) throws {
    let failures = try Self.failures(Self.corpus.appendingPathComponent(name + ".log"))
    let failure = try #require(failures.compactMap { $0 }.last)
    #expect(failure.tool == tool, "\(name): \(failure)")
    #expect(failure.message.hasPrefix(message), "\(name): \(failure.message)")
  }

  @Test(
    .enabled(if: FileManager.default.fileExists(atPath: corpus.path), "../shared/corpus is missing")
  )
  func aSuccessfulBuildWhoseLinesSayErrorHasNoFailure() throws {
    // sbt prefixes every BuildKit line with `[error] `, yet the build succeeds.
    let failures = try Self.failures(
      Self.corpus.appendingPathComponent("033-sbt-error-prefixed-2022-vertex-digests.log"))
    #expect(!failures.isEmpty)
    #expect(failures.allSatisfy { $0 == nil })
  }
}
