import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Printed step names back to instructions.
struct DockerfileStepMatchingTests {
  struct MatchCase: CustomTestStringConvertible, Sendable {
    let printed: String
    let stage: String
    let index: Int
    let line: Int
    var testDescription: String { printed }
  }

  /// The twelve names Docker 20.10 printed for `DockerfileStageTests.multiStage`.
  static let docker2010: [MatchCase] = [
    .init(printed: "[deps 1/5] FROM docker.io/local/busybox:1", stage: "deps", index: 1, line: 1),
    .init(printed: "[deps 2/5] WORKDIR /deps", stage: "deps", index: 2, line: 2),
    .init(printed: "[deps 3/5] COPY uv.lock ./", stage: "deps", index: 3, line: 3),
    .init(
      printed: "[deps 4/5] RUN echo \"resolving\" && sleep 1", stage: "deps", index: 4, line: 4),
    .init(
      printed: "[deps 5/5] RUN --mount=type=cache,target=/cache echo \"cache\"", stage: "deps",
      index: 5, line: 5),
    .init(printed: "[build 1/3] WORKDIR /src", stage: "build", index: 1, line: 8),
    .init(printed: "[build 2/3] COPY app/ ./", stage: "build", index: 2, line: 9),
    .init(printed: "[build 3/3] RUN echo \"compiling app\"", stage: "build", index: 3, line: 10),
    .init(
      printed: "[stage-2 1/4] FROM docker.io/local/busybox:1", stage: "stage-2", index: 1, line: 12),
    .init(printed: "[stage-2 2/4] WORKDIR /app", stage: "stage-2", index: 2, line: 13),
    .init(
      printed: "[stage-2 3/4] COPY --from=deps /deps/READY ./", stage: "stage-2", index: 3, line: 14
    ),
    .init(
      printed: "[stage-2 4/4] COPY --from=build /out/ ./", stage: "stage-2", index: 4, line: 15),
  ]

  @Test(arguments: docker2010)
  func docker2010Names(_ c: MatchCase) throws {
    let file = Dockerfile(text: DockerfileStageTests.multiStage)
    let hit = try #require(file.step(matching: c.printed))
    #expect(hit.stage.displayName == c.stage)
    #expect(hit.step.index == c.index)
    #expect(hit.step.instruction.line == c.line)
  }

  static let prefixed: [MatchCase] = [
    .init(printed: "#7 [build 2/3] COPY app/ ./", stage: "build", index: 2, line: 9),
    .init(
      printed: "[linux/arm64 build 3/3] RUN echo \"compiling app\"", stage: "build", index: 3,
      line: 10),
    .init(printed: "[linux/amd64->arm64 deps 2/5] WORKDIR /deps", stage: "deps", index: 2, line: 2),
    .init(
      printed: "[web deps 1/5] FROM docker.io/local/busybox:1@sha256:abcdef0123", stage: "deps",
      index: 1, line: 1),
    .init(
      printed: "[web linux/arm64 stage-2 4/4] COPY --from=build /out/ ./", stage: "stage-2",
      index: 4, line: 15),
    // The file changed since: index and total no longer agree, the text still does.
    .init(
      printed: "[deps 3/6] RUN echo \"resolving\" && sleep 1", stage: "deps", index: 4, line: 4),
    // Truncated names (PROGRESS_NO_TRUNC=0).
    .init(
      printed: "[deps 9/9] RUN --mount=type=cache,target=/cache ec...", stage: "deps", index: 5,
      line: 5),
  ]

  @Test(arguments: prefixed)
  func prefixedNames(_ c: MatchCase) throws {
    let file = Dockerfile(text: DockerfileStageTests.multiStage)
    let hit = try #require(file.step(matching: c.printed))
    #expect(hit.stage.displayName == c.stage)
    #expect(hit.step.index == c.index)
    #expect(hit.step.instruction.line == c.line)
  }

  static let singleStage: [MatchCase] = [
    .init(
      printed: "[1/5] FROM docker.io/library/python:3.12-slim@sha256:0123abcd", stage: "stage-0",
      index: 1, line: 1),
    .init(printed: "[stage-0 2/5] WORKDIR /app", stage: "stage-0", index: 2, line: 3),
    .init(
      printed:
        "[stage-0 3/5] RUN --mount=type=cache,target=/root/.cache/uv     --mount=type=bind,source=uv.lock,"
        + "target=uv.lock     --mount=type=bind,source=pyproject.toml,target=pyproject.toml     uv sync --frozen "
        + "--no-install-project",
      stage: "stage-0", index: 3, line: 4),
    .init(printed: "[api 4/5] COPY . /app", stage: "stage-0", index: 4, line: 8),
    .init(
      printed: "[5/5] RUN --mount=type=cache,target=/root/.cache/uv uv sync", stage: "stage-0",
      index: 5, line: 9),
  ]

  @Test(arguments: singleStage)
  func singleStageNames(_ c: MatchCase) throws {
    let file = Dockerfile(text: DockerfileStageTests.uv)
    let hit = try #require(file.step(matching: c.printed))
    #expect(hit.stage.displayName == c.stage)
    #expect(hit.step.index == c.index)
    #expect(hit.step.instruction.line == c.line)
  }

  @Test func everyPrintedNameMapsBack() {
    for text in [DockerfileStageTests.multiStage, DockerfileStageTests.uv] {
      let file = Dockerfile(text: text)
      for stage in file.stages {
        for step in stage.steps {
          let hit = file.step(matching: step.printedName)
          #expect(hit?.stage.index == stage.index)
          #expect(hit?.step == step)
        }
      }
    }
  }

  @Test func expandedVariablesMatchByText() throws {
    let file = Dockerfile(
      text: "FROM alpine AS a\nRUN echo $HOME/x\nRUN true\nFROM alpine AS b\nRUN other\n")
    let hit = try #require(file.step(matching: "[a 9/9] RUN echo /root/x"))
    #expect(hit.step.instruction.line == 2)
  }

  @Test func onbuildAndLinkNames() throws {
    let file = Dockerfile(
      text: "FROM alpine AS base\nONBUILD RUN make\nFROM base AS app\nCOPY --link . /src\n")
    let trigger = try #require(file.step(matching: "[app 1/2] ONBUILD RUN make"))
    #expect(trigger.step.isOnBuildTrigger)
    #expect(trigger.step.instruction.line == 2)
    let link = try #require(file.step(matching: "[app 2/2] LINK COPY --link . /src"))
    #expect(link.step.instruction.line == 4)
  }

  @Test func nonSteps() {
    let file = Dockerfile(text: DockerfileStageTests.multiStage)
    #expect(file.step(matching: "[internal] load build definition from Dockerfile") == nil)
    #expect(file.step(matching: "exporting to image") == nil)
    #expect(file.step(matching: "[deps 2/5] RUN something else") == nil)
    #expect(file.step(matching: "[nosuch 1/1] RUN nothing") == nil)
  }

  struct ReferenceCase: CustomTestStringConvertible, Sendable {
    let input: String
    let output: String
    var testDescription: String { input }
  }

  static let references: [ReferenceCase] = [
    .init(input: "alpine", output: "docker.io/library/alpine:latest"),
    .init(input: "alpine:3.20", output: "docker.io/library/alpine:3.20"),
    .init(input: "local/busybox:1", output: "docker.io/local/busybox:1"),
    .init(input: "docker.io/python:3.12", output: "docker.io/library/python:3.12"),
    .init(input: "index.docker.io/library/python", output: "docker.io/library/python:latest"),
    .init(input: "ghcr.io/acme/app", output: "ghcr.io/acme/app:latest"),
    .init(input: "localhost/app:dev", output: "localhost/app:dev"),
    .init(input: "localhost:5000/app", output: "localhost:5000/app:latest"),
    .init(input: "registry:5000/team/app:1.0", output: "registry:5000/team/app:1.0"),
    .init(input: "alpine@sha256:abc", output: "docker.io/library/alpine@sha256:abc"),
    .init(input: "alpine:3@sha256:abc", output: "docker.io/library/alpine:3@sha256:abc"),
    .init(input: "Example/app", output: "Example/app:latest"),
  ]

  @Test(arguments: references)
  func normalizedReference(_ c: ReferenceCase) {
    #expect(Dockerfile.normalizedReference(c.input) == c.output)
  }
}
