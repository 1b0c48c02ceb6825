import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// DockerfileDiff: added, removed, changed and moved instructions per stage.
struct DockerfileDiffTests {
  /// A compact view of a change: kind, stage, old line, new line, keyword.
  struct Row: Equatable, CustomStringConvertible {
    var kind: DockerfileDiff.Change.Kind
    var stage: String
    var oldLine: Int?
    var newLine: Int?
    var keyword: String
    var description: String {
      "\(kind.rawValue) \(stage) \(oldLine ?? 0)->\(newLine ?? 0) \(keyword)"
    }
  }

  static func rows(_ old: String, _ new: String) -> [Row] {
    DockerfileDiff.changes(from: Dockerfile(text: old), to: Dockerfile(text: new)).map {
      Row(
        kind: $0.kind, stage: $0.stage, oldLine: $0.old?.line, newLine: $0.new?.line,
        keyword: ($0.new ?? $0.old)?.keyword ?? "")
    }
  }

  @Test func identicalFilesHaveNoChanges() {
    #expect(Self.rows(DockerfileStageTests.uv, DockerfileStageTests.uv).isEmpty)
    // Comments and blank lines are not instructions.
    #expect(Self.rows("FROM a\nRUN x\n", "# hi\nFROM a\n\n# note\nRUN x\n").isEmpty)
  }

  @Test func reorderIsAMove() throws {
    let reordered = """
      FROM python:3.12-slim
      ENV UV_LINK_MODE=copy
      WORKDIR /app
      COPY . /app
      RUN --mount=type=cache,target=/root/.cache/uv \\
          --mount=type=bind,source=uv.lock,target=uv.lock \\
          --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\
          uv sync --frozen --no-install-project
      RUN --mount=type=cache,target=/root/.cache/uv uv sync

      """
    let changes = DockerfileDiff.changes(
      from: Dockerfile(text: DockerfileStageTests.uv), to: Dockerfile(text: reordered))
    #expect(changes.count == 1)
    let move = try #require(changes.first)
    #expect(move.kind == .moved)
    #expect(move.stage == "stage-0")
    #expect(move.old?.stepText == "COPY . /app")
    #expect(move.old?.line == 8)
    #expect(move.new?.line == 4)
  }

  @Test func editedRunIsAChange() throws {
    let edited = DockerfileStageTests.uv.replacingOccurrences(
      of: "uv sync --frozen", with: "uv sync --locked")
    let changes = DockerfileDiff.changes(
      from: Dockerfile(text: DockerfileStageTests.uv), to: Dockerfile(text: edited))
    #expect(changes.map(\.kind) == [.changed])
    #expect(changes.first?.old?.command == "uv sync --frozen --no-install-project")
    #expect(changes.first?.new?.command == "uv sync --locked --no-install-project")
  }

  @Test func addedStage() {
    let old =
      "FROM golang:1.22 AS build\nRUN go build -o /app\n\nFROM alpine\nCOPY --from=build /app /app\n"
    let new =
      "FROM golang:1.22 AS build\nRUN go build -o /app\n\nFROM build AS test\nRUN go test ./...\n\n"
      + "FROM alpine\nCOPY --from=build /app /app\n"
    #expect(
      Self.rows(old, new) == [
        Row(kind: .added, stage: "test", oldLine: nil, newLine: 4, keyword: "FROM"),
        Row(kind: .added, stage: "test", oldLine: nil, newLine: 5, keyword: "RUN"),
      ])
  }

  struct DiffCase: CustomTestStringConvertible, Sendable {
    let label: String
    let old: String
    let new: String
    let expected: [String]
    var testDescription: String { label }
  }

  static let cases: [DiffCase] = [
    .init(
      label: "added instruction", old: "FROM a\nRUN x\n", new: "FROM a\nRUN x\nRUN y\n",
      expected: ["added stage-0 0->3 RUN"]),
    .init(
      label: "removed instruction", old: "FROM a\nRUN x\nRUN y\n", new: "FROM a\nRUN y\n",
      expected: ["removed stage-0 2->0 RUN"]),
    .init(
      label: "changed base image", old: "FROM python:3.11\nRUN x\n",
      new: "FROM python:3.12\nRUN x\n",
      expected: ["changed stage-0 1->1 FROM"]),
    .init(
      label: "continuation reflow changes the command BuildKit runs",
      old: "FROM a\nRUN a && \\\n    b\n",
      new: "FROM a\nRUN a && b\n", expected: ["changed stage-0 2->2 RUN"]),
    .init(
      label: "heredoc body edit", old: "FROM a\nRUN <<EOF\nmake\nEOF\n",
      new: "FROM a\nRUN <<EOF\nmake all\nEOF\n",
      expected: ["changed stage-0 2->2 RUN"]),
    .init(
      label: "replaced with another keyword", old: "FROM a\nRUN x\nCMD y\n",
      new: "FROM a\nCOPY x /\nCMD y\n",
      expected: ["removed stage-0 2->0 RUN", "added stage-0 0->2 COPY"]),
    .init(
      label: "removed stage", old: "FROM a AS one\nRUN x\nFROM b\nRUN y\n", new: "FROM b\nRUN y\n",
      expected: ["removed one 1->0 FROM", "removed one 2->0 RUN"]),
    .init(
      label: "unnamed stages pair by order", old: "FROM a\nRUN x\nFROM b\nRUN y\n",
      new: "FROM z AS named\nFROM a\nRUN x\nFROM b\nRUN y 2\n",
      expected: ["added named 0->1 FROM", "changed stage-2 4->5 RUN"]),
    .init(
      label: "global ARG default", old: "ARG V=1\nFROM a:$V\n", new: "ARG V=2\nFROM a:$V\n",
      expected: ["changed  1->1 ARG"]),
  ]

  @Test(arguments: cases)
  func diffs(_ c: DiffCase) {
    #expect(Self.rows(c.old, c.new).map(\.description) == c.expected)
  }
}
