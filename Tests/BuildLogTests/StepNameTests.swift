import Testing

@testable import BuildLog

@Suite struct StepNameTests {
  struct Case: Sendable, CustomStringConvertible {
    var name: String
    var services: Set<String> = []
    var service: String?
    var platform: String?
    var stage: String?
    var index: Int?
    var total: Int?
    var kind: StepKind
    var key: String
    var description: String { name }
  }

  static let cases: [Case] = [
    Case(name: "[2/4] RUN make", index: 2, total: 4, kind: .run, key: "|||RUN make"),
    Case(name: "[ 3/12] COPY . /app", index: 3, total: 12, kind: .copy, key: "|||COPY . /app"),
    Case(
      name: "[builder 3/5] RUN go build ./...", stage: "builder", index: 3, total: 5, kind: .run,
      key: "||builder|RUN go build ./..."),
    Case(
      name: "[app  3/12] WORKDIR /app", stage: "app", index: 3, total: 12, kind: .workdir,
      key: "||app|WORKDIR /app"),
    Case(
      name: "[linux/arm64 builder 2/5] RUN go mod download", platform: "linux/arm64",
      stage: "builder", index: 2, total: 5,
      kind: .run, key: "|linux/arm64|builder|RUN go mod download"),
    Case(
      name: "[web linux/arm64 builder 2/5] RUN go mod download", service: "web",
      platform: "linux/arm64", stage: "builder",
      index: 2, total: 5, kind: .run, key: "web|linux/arm64|builder|RUN go mod download"),
    Case(
      name: "[worker 2/6] WORKDIR /app", services: ["worker"], service: "worker", index: 2,
      total: 6, kind: .workdir, key: "worker|||WORKDIR /app"),
    Case(
      name: "[web base 1/3] FROM docker.io/library/python:3.12@sha256:abc123", service: "web",
      stage: "base", index: 1, total: 3, kind: .from,
      key: "web||base|FROM docker.io/library/python:3.12"),
    Case(
      name: "[internal] load .dockerignore", kind: .internal, key: "|||internal: load .dockerignore"
    ),
    Case(
      name: "[web internal] load build definition from Dockerfile", service: "web", kind: .internal,
      key: "web|||internal: load build definition from Dockerfile"),
    Case(
      name: "[linux/amd64 internal] load metadata for docker.io/library/node:13-alpine",
      platform: "linux/amd64", kind: .internal,
      key: "|linux/amd64||internal: load metadata for docker.io/library/node:13-alpine"),
    Case(
      name: "[auth] library/node:pull token for registry-1.docker.io", kind: .auth,
      key: "|||auth: library/node:pull token for registry-1.docker.io"),
    Case(name: "exporting to image", kind: .export, key: "|||export: exporting to image"),
    Case(
      name: "[worker] exporting to image", service: "worker", kind: .export,
      key: "worker|||export: exporting to image"),
    Case(
      name: "exporting cache to registry", kind: .cacheExport,
      key: "|||cache-export: exporting cache to registry"),
    Case(
      name: "importing cache manifest from ghcr.io/acme/app:cache", kind: .cacheImport,
      key: "|||cache-import: importing cache manifest from ghcr.io/acme/app:cache"),
    Case(
      name: "resolve image config for docker-image://docker.io/docker/dockerfile:1",
      kind: .frontend,
      key: "|||frontend: resolve image config for docker-image://docker.io/docker/dockerfile:1"),
    Case(
      name: "[internal] booting buildkit", kind: .internal, key: "|||internal: booting buildkit"),
  ]

  @Test(arguments: cases)
  func readsTheParts(_ c: Case) {
    let n = StepName(c.name, services: c.services)
    #expect(n.service == c.service)
    #expect(n.platform == c.platform)
    #expect(n.stage == c.stage)
    #expect(n.index == c.index)
    #expect(n.total == c.total)
    #expect(n.kind == c.kind)
    #expect(n.stableKey == c.key)
  }

  @Test func keyIgnoresPositionAndDigest() {
    #expect(
      StepName("[base 2/5] RUN uv sync").stableKey == StepName("[base  3/12] RUN uv sync").stableKey
    )
    #expect(
      StepName("[1/3] FROM python:3.12@sha256:aaaa").stableKey
        == StepName("[1/3] FROM python:3.12@sha256:bbbb").stableKey)
  }

  @Test func baseImageOfAFromStep() {
    let image = StepName("[base 1/3] FROM docker.io/library/python:3.12-slim@sha256:abcd").baseImage
    #expect(image?.reference == "docker.io/library/python:3.12-slim")
    #expect(image?.digest == "sha256:abcd")
    #expect(StepName("[2/3] RUN x").baseImage == nil)
  }
}
