import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Stages, ARG expansion and the `[stage i/n]` numbering of BuildKit's dockerfile2llb `prefixCommand`.
struct DockerfileStageTests {
  /// The multi-stage example whose Docker 20.10 output is in the brief.
  static let multiStage = """
    FROM local/busybox:1 AS deps
    WORKDIR /deps
    COPY uv.lock ./
    RUN echo "resolving" && sleep 1
    RUN --mount=type=cache,target=/cache echo "cache"

    FROM deps AS build
    WORKDIR /src
    COPY app/ ./
    RUN echo "compiling app"

    FROM local/busybox:1
    WORKDIR /app
    COPY --from=deps /deps/READY ./
    COPY --from=build /out/ ./
    CMD ["sh", "/app/main.sh"]

    """

  static let uv = """
    FROM python:3.12-slim
    ENV UV_LINK_MODE=copy
    WORKDIR /app
    RUN --mount=type=cache,target=/root/.cache/uv \\
        --mount=type=bind,source=uv.lock,target=uv.lock \\
        --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\
        uv sync --frozen --no-install-project
    COPY . /app
    RUN --mount=type=cache,target=/root/.cache/uv uv sync

    """

  @Test func multiStageSteps() {
    let file = Dockerfile(text: Self.multiStage)
    #expect(file.problems.isEmpty)
    #expect(file.stages.map(\.displayName) == ["deps", "build", "stage-2"])
    #expect(file.stages.map(\.baseStage) == [nil, 0, nil])
    #expect(
      file.stages.flatMap { $0.steps.map(\.printedName) } == [
        "[deps 1/5] FROM docker.io/local/busybox:1",
        "[deps 2/5] WORKDIR /deps",
        "[deps 3/5] COPY uv.lock ./",
        "[deps 4/5] RUN echo \"resolving\" && sleep 1",
        "[deps 5/5] RUN --mount=type=cache,target=/cache echo \"cache\"",
        "[build 1/3] WORKDIR /src",
        "[build 2/3] COPY app/ ./",
        "[build 3/3] RUN echo \"compiling app\"",
        "[stage-2 1/4] FROM docker.io/local/busybox:1",
        "[stage-2 2/4] WORKDIR /app",
        "[stage-2 3/4] COPY --from=deps /deps/READY ./",
        "[stage-2 4/4] COPY --from=build /out/ ./",
      ])
    #expect(file.stages[2].steps.map(\.instruction.line) == [12, 13, 14, 15])
  }

  @Test func uvPattern() throws {
    let file = Dockerfile(text: Self.uv)
    let stage = try #require(file.stages.first)
    #expect(stage.steps.map(\.index) == [1, 2, 3, 4, 5])
    #expect(stage.steps.allSatisfy { $0.total == 5 })
    #expect(stage.steps.map(\.instruction.keyword) == ["FROM", "WORKDIR", "RUN", "COPY", "RUN"])
    let install = stage.steps[2].instruction
    #expect(
      install.mounts == [
        Mount(type: "cache", target: "/root/.cache/uv"),
        Mount(type: "bind", source: "uv.lock", target: "uv.lock"),
        Mount(type: "bind", source: "pyproject.toml", target: "pyproject.toml"),
      ])
    #expect(install.command == "uv sync --frozen --no-install-project")
    #expect([install.line, install.endLine] == [4, 7])
    // BuildKit keeps the character before the backslash and the next line's indentation.
    #expect(
      install.stepText
        == "RUN --mount=type=cache,target=/root/.cache/uv     --mount=type=bind,source=uv.lock,target=uv.lock"
        + "     --mount=type=bind,source=pyproject.toml,target=pyproject.toml     uv sync --frozen --no-install-project"
    )
    #expect(stage.steps[0].instruction.stepText == "FROM docker.io/library/python:3.12-slim")
    // A RUN --mount adds a build source, so BuildKit keeps `stage-0` even in a one-stage file.
    #expect(stage.printedStageName == "stage-0")
    #expect(stage.steps[3].printedName == "[stage-0 4/5] COPY . /app")
  }

  /// Names Docker 20.10 printed for this file (from the main project's uv-history fixtures): the one-stage file
  /// keeps `stage-0` because of its cache mounts, and the continued RUN keeps BuildKit's whitespace.
  @Test func docker2010UvNamesAreReproduced() {
    let text = """
      FROM local/uv-base:1
      ENV UV_LINK_MODE=copy
      WORKDIR /app
      COPY . /app
      RUN --mount=type=cache,target=/root/.cache/uv \\
          --mount=type=bind,source=uv.lock,target=uv.lock \\
          --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\
          uv sync --frozen --no-install-project
      RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen
      RUN echo "running checks" && echo "check failed: lint" && exit 2

      """
    #expect(
      Dockerfile(text: text).stages.first?.steps.map(\.printedName) == [
        "[stage-0 1/6] FROM docker.io/local/uv-base:1",
        "[stage-0 2/6] WORKDIR /app",
        "[stage-0 3/6] COPY . /app",
        "[stage-0 4/6] RUN --mount=type=cache,target=/root/.cache/uv     --mount=type=bind,source=uv.lock,"
          + "target=uv.lock     --mount=type=bind,source=pyproject.toml,target=pyproject.toml     uv sync --frozen "
          + "--no-install-project",
        "[stage-0 5/6] RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen",
        "[stage-0 6/6] RUN echo \"running checks\" && echo \"check failed: lint\" && exit 2",
      ])
  }

  struct CountCase: CustomTestStringConvertible, Sendable {
    let label: String
    let text: String
    /// printed names of the last stage
    let printed: [String]
    var testDescription: String { label }
  }

  static let countCases: [CountCase] = [
    .init(
      label: "single stage: no stage name, padded index",
      text:
        "FROM alpine\nRUN a\nRUN b\nRUN c\nRUN d\nRUN e\nRUN f\nRUN g\nRUN h\nRUN i\nENV X=1\nRUN j\nCMD x\n",
      printed: [
        "[ 1/11] FROM docker.io/library/alpine:latest", "[ 2/11] RUN a", "[ 3/11] RUN b",
        "[ 4/11] RUN c",
        "[ 5/11] RUN d", "[ 6/11] RUN e", "[ 7/11] RUN f", "[ 8/11] RUN g", "[ 9/11] RUN h",
        "[10/11] RUN i",
        "[11/11] RUN j",
      ]),
    .init(
      label: "scratch FROM is not counted", text: "FROM scratch\nCOPY a /\nENTRYPOINT [\"/a\"]\n",
      printed: ["[1/1] COPY a /"]),
    .init(
      label: "ENV ARG LABEL USER EXPOSE are not counted; ADD is",
      text:
        "FROM alpine\nARG V=1\nENV A=b\nLABEL x=y\nUSER me\nEXPOSE 80\nADD x /x\nSTOPSIGNAL TERM\n",
      printed: ["[1/2] FROM docker.io/library/alpine:latest", "[2/2] ADD x /x"]),
    .init(
      label: "WORKDIR / counts in n but is not printed", text: "FROM alpine\nWORKDIR /\nRUN a\n",
      printed: ["[1/3] FROM docker.io/library/alpine:latest", "[2/3] RUN a"]),
    .init(
      label: "COPY --from an image keeps stage-0",
      text: "FROM alpine\nCOPY --from=busybox:1 /bin/sh /sh\n",
      printed: [
        "[stage-0 1/2] FROM docker.io/library/alpine:latest",
        "[stage-0 2/2] COPY --from=busybox:1 /bin/sh /sh",
      ]),
    .init(
      label: "ONBUILD triggers of the base stage run first",
      text:
        "FROM alpine AS base\nONBUILD COPY . /src\nONBUILD ENV X=1\nONBUILD RUN make\n\nFROM base\nRUN test\n",
      printed: [
        "[stage-1 1/4] ONBUILD COPY . /src", "[stage-1 2/4] ONBUILD RUN make",
        "[stage-1 3/4] RUN test",
      ]),
    .init(
      label: "stage names are lowercased",
      text: "FROM alpine AS Builder\nRUN a\nFROM BUILDER\nFROM builder\nRUN b\n",
      printed: ["[stage-2 1/1] RUN b"]),
  ]

  @Test(arguments: countCases)
  func counting(_ c: CountCase) throws {
    let stage = try #require(Dockerfile(text: c.text).stages.last)
    #expect(stage.steps.map(\.printedName) == c.printed)
  }

  @Test func stageNamesAndBases() {
    let file = Dockerfile(
      text: "FROM alpine AS Builder\nRUN a\nFROM BUILDER\nFROM builder\nRUN b\n")
    #expect(file.stages.map(\.name) == ["builder", nil, nil])
    // `FROM BUILDER` is not a stage reference (BuildKit looks the base up case-sensitively): an image.
    #expect(file.stages.map(\.baseStage) == [nil, nil, 0])
    #expect(
      file.stages[1].steps.map(\.printedName) == [
        "[stage-1 1/1] FROM docker.io/library/BUILDER:latest"
      ])
    #expect(file.stage(named: "BUILDER")?.index == 0)
    #expect(file.stage(named: nil)?.index == 2)
    #expect(file.stage(named: "missing") == nil)
  }

  struct BaseCase: CustomTestStringConvertible, Sendable {
    let text: String
    let base: String
    let platform: String?
    var testDescription: String { text }
  }

  static let baseCases: [BaseCase] = [
    .init(
      text: "ARG PY_VERSION=3.12\nFROM python:${PY_VERSION}-slim\n", base: "python:3.12-slim",
      platform: nil),
    .init(
      text: "ARG PY_VERSION=3.12\nFROM python:$PY_VERSION\n", base: "python:3.12", platform: nil),
    .init(text: "FROM python:${PY:-3.11}\n", base: "python:3.11", platform: nil),
    .init(text: "ARG PY=\nFROM python:${PY:-3.11}\n", base: "python:3.11", platform: nil),
    .init(text: "ARG PY\nFROM python:${PY:-3.11}\n", base: "python:${PY:-3.11}", platform: nil),
    .init(text: "ARG A=3\nARG B=${A}.12\nFROM python:$B\n", base: "python:3.12", platform: nil),
    .init(
      text: "ARG REG=ghcr.io/acme\nFROM \"$REG/app\"\n", base: "ghcr.io/acme/app", platform: nil),
    .init(
      text: "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n", base: "golang:1.22",
      platform: "$BUILDPLATFORM"),
    .init(text: "ARG IMG=alpine\nFROM $IMG AS x\nARG IMG=ubuntu\n", base: "alpine", platform: nil),
  ]

  @Test(arguments: baseCases)
  func baseExpansion(_ c: BaseCase) throws {
    let stage = try #require(Dockerfile(text: c.text).stages.first)
    #expect(stage.base == c.base)
    #expect(stage.platform == c.platform)
  }

  @Test func globalArgsAreCollected() {
    let file = Dockerfile(text: "ARG A=1\nARG B\nFROM alpine\nARG A\n")
    #expect(file.globalArgs.map(\.line) == [1, 2])
    #expect(file.stages.first?.instructions.count == 2)
  }

  struct TextCase: CustomTestStringConvertible, Sendable {
    let label: String
    let text: String
    let stepText: String
    var testDescription: String { label }
  }

  /// The last instruction's step text.
  static let textCases: [TextCase] = [
    .init(
      label: "stage ENV expands in RUN", text: "FROM a\nENV DIR=/opt\nRUN ls $DIR ${DIR}/x\n",
      stepText: "RUN ls /opt /opt/x"),
    .init(
      label: "unknown variables stay", text: "FROM a\nRUN echo $HOME ${PATH:-x}\n",
      stepText: "RUN echo $HOME ${PATH:-x}"),
    .init(
      label: "ARG default expands in RUN", text: "FROM a\nARG V=1.2\nRUN curl -O x/$V.tgz\n",
      stepText: "RUN curl -O x/1.2.tgz"),
    .init(
      label: "stage ARG without default takes the global default",
      text: "ARG V=9\nFROM a\nARG V\nRUN echo $V\n",
      stepText: "RUN echo 9"),
    .init(
      label: "global ARG not redeclared is not visible", text: "ARG V=9\nFROM a\nRUN echo $V\n",
      stepText: "RUN echo $V"),
    .init(
      label: "RUN keeps quotes", text: "FROM a\nRUN echo \"a  b\" 'c'\n",
      stepText: "RUN echo \"a  b\" 'c'"),
    .init(
      label: "RUN drops escapes", text: "FROM a\nRUN echo \\$HOME\n", stepText: "RUN echo $HOME"),
    .init(
      label: "COPY drops quotes", text: "FROM a\nCOPY [\"a b\", \"/dst\"]\n",
      stepText: "COPY [a b, /dst]"),
    .init(
      label: "WORKDIR expands ENV", text: "FROM a\nENV APP=/srv/app\nWORKDIR $APP/src\n",
      stepText: "WORKDIR /srv/app/src"),
    .init(
      label: "keyword uppercased, rest kept", text: "from a\nrun   echo Hi\n",
      stepText: "RUN   echo Hi"),
    .init(
      label: "heredoc summary",
      text: "FROM a\nRUN <<EOF\n  apt-get update\n  apt-get install -y git\nEOF\n",
      stepText: "RUN <<EOF (apt-get update...)"),
    .init(
      label: "single-line heredoc summary",
      text: "FROM a\nRUN --mount=type=cache,target=/x <<EOF\nmake\nEOF\n",
      stepText: "RUN --mount=type=cache,target=/x <<EOF (make)"),
    .init(
      label: "no summary when a command follows", text: "FROM a\nRUN <<EOF bash\nmake\nEOF\n",
      stepText: "RUN <<EOF bash"),
    .init(
      label: "inherited ENV from the base stage",
      text: "FROM a AS base\nENV V=2\nFROM base\nRUN echo $V\n",
      stepText: "RUN echo 2"),
    .init(
      label: "ENV referring to an unknown value stays",
      text: "FROM a\nENV P=$HOME/bin\nRUN ls $P\n",
      stepText: "RUN ls $P"),
    .init(
      label: "ENV values see the env before the instruction",
      text: "FROM a\nENV A=1\nENV A=2 B=$A\nRUN echo $A $B\n",
      stepText: "RUN echo 2 1"),
    .init(
      label: "backtick escape keeps backslashes",
      text:
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  c:\\windows\n",
      stepText: "RUN dir   c:\\windows"),
    .init(
      label: "legacy ENV form", text: "FROM a\nENV GREETING hello world\nRUN echo $GREETING\n",
      stepText: "RUN echo hello world"),
  ]

  @Test(arguments: textCases)
  func stepTexts(_ c: TextCase) throws {
    let stage = try #require(Dockerfile(text: c.text).stages.last)
    #expect(stage.steps.last?.instruction.stepText == c.stepText)
  }

  @Test func dependencies() throws {
    let file = Dockerfile(
      text: """
        FROM alpine AS tools
        FROM golang AS mods
        FROM mods AS build
        COPY --from=tools /bin/x /x
        RUN --mount=type=cache,target=/c --mount=from=Assets,source=/a,target=/a make
        FROM alpine AS assets
        FROM alpine AS unused
        FROM scratch
        COPY --from=2 /out /out
        COPY --from=nginx:1 /etc/nginx /etc/nginx

        """)
    let final = try #require(file.stage(named: nil))
    #expect(
      file.dependencies(of: final).map(\.displayName) == ["tools", "mods", "build", "assets"])
    #expect(
      file.dependencies(of: file.stages[2]).map(\.displayName) == ["tools", "mods", "assets"])
    #expect(file.dependencies(of: file.stages[0]).isEmpty)
  }

  @Test func contextPaths() throws {
    let file = Dockerfile(
      text: Self.uv + "ADD https://example.com/x.tgz vendor/ /opt/\nCOPY --from=build /a /b\n")
    let stage = try #require(file.stages.first)
    #expect(
      stage.instructions.map(\.contextPaths) == [
        [], [], [], ["uv.lock", "pyproject.toml"], ["."], [], ["vendor/"], [],
      ])
    let bare = try #require(
      Dockerfile(text: "FROM a\nRUN --mount=type=bind make\n").stages.first?.instructions.last)
    #expect(bare.contextPaths == ["."])
  }

  @Test func copyOperandsExpandKnownVariables() throws {
    let instruction = try #require(
      Dockerfile(text: "FROM a\nARG APP=web\nCOPY $APP/ /srv/$APP/\n").stages.first?.instructions
        .last)
    #expect(instruction.sources == ["web/"])
    #expect(instruction.destination == "/srv/web/")
  }
}
