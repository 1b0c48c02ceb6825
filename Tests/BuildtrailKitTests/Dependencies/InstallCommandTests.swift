import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

struct InstallCommandTests {
  static func files(_ command: String) -> [String] {
    InstallCommand.files(in: command).map {
      "\($0.path) \($0.kind.rawValue)\($0.isNamed ? "" : " implied")"
    }
  }

  @Test(
    arguments: [
      ("pip install -r requirements/worker.txt", ["requirements/worker.txt requirements.txt"]),
      (
        "pip install --no-cache-dir -r /tmp/api.txt -c /tmp/constraints.txt",
        ["/tmp/api.txt requirements.txt", "/tmp/constraints.txt requirements.txt"]
      ),
      ("python3 -m pip install --requirement=base.in", ["base.in requirements.txt"]),
      (
        "pip3 install -rreq.txt --constraint c.txt",
        ["req.txt requirements.txt", "c.txt requirements.txt"]
      ),
      ("uv pip install -r requirements/dev.txt", ["requirements/dev.txt requirements.txt"]),
      ("uv pip sync requirements.lock", ["requirements.lock requirements.txt"]),
      (
        "uv sync --frozen --no-install-project",
        ["uv.lock uv.lock implied", "pyproject.toml pyproject.toml implied"]
      ),
      (
        "cd backend && poetry install --no-root",
        [
          "backend/poetry.lock poetry.lock implied",
          "backend/pyproject.toml pyproject.toml implied",
        ]
      ),
      (
        "npm ci --omit=dev",
        ["package-lock.json package-lock.json implied", "package.json package.json implied"]
      ),
      ("npm install express", []),
      (
        "pnpm install --frozen-lockfile",
        ["pnpm-lock.yaml pnpm-lock.yaml implied", "package.json package.json implied"]
      ),
      (
        "yarn install --immutable",
        ["yarn.lock yarn.lock implied", "package.json package.json implied"]
      ),
      ("yarn build", []),
      ("cargo build --release --locked", ["Cargo.lock Cargo.lock implied"]),
      ("cargo build --release", []),
      ("go mod download && go build ./...", ["go.mod go.mod implied", "go.sum go.sum implied"]),
      ("bundle install --jobs 4", ["Gemfile.lock Gemfile.lock implied"]),
      ("apt-get update && apt-get install -y curl", []),
      ("pip install flask", []),
      ("set -eux; \\\n  pip install -r a.txt; echo done", ["a.txt requirements.txt"]),
    ] as [(String, [String])])
  func readsTheFilesACommandInstallsFrom(_ command: String, _ expected: [String]) {
    #expect(Self.files(command) == expected, "\(command)")
  }

  @Test func followsWorkdirCopyAndBindMountsToTheContext() {
    let dockerfile = Dockerfile(
      text: """
        FROM python:3.12 AS base
        WORKDIR /app
        COPY requirements/base.txt requirements/base.txt
        RUN pip install -r requirements/base.txt
        FROM base AS api
        RUN --mount=type=bind,source=requirements/api.txt,target=/tmp/api.txt \\
            --mount=type=bind,source=constraints.txt,target=/tmp/constraints.txt \\
            pip install -r /tmp/api.txt -c /tmp/constraints.txt
        FROM base AS worker
        COPY requirements/ ./reqs/
        RUN pip install -r reqs/worker.txt
        FROM base AS web
        WORKDIR /srv
        COPY . .
        RUN cd frontend && npm ci
        FROM base AS generated
        RUN pip install -r /generated.txt
        """)
    let found = dockerfile.installedFiles().map {
      "\($0.stage) \($0.stepIndex) \($0.imagePath) \($0.contextPaths)"
    }
    #expect(
      found == [
        "base 4 /app/requirements/base.txt [\"requirements/base.txt\"]",
        "api 1 /tmp/api.txt [\"requirements/api.txt\"]",
        "api 1 /tmp/constraints.txt [\"constraints.txt\"]",
        "worker 2 /app/reqs/worker.txt [\"requirements/worker.txt\"]",
        "web 3 /srv/frontend/package-lock.json [\"frontend/package-lock.json\"]",
        "web 3 /srv/frontend/package.json [\"frontend/package.json\"]",
        "generated 1 /generated.txt []",
      ])
  }

  @Test func recordsTheFilesStepsInstallFromWhateverTheirNames() throws {
    let dir = try InputsScratchDirectory()
    try dir.write(
      "Dockerfile",
      """
      FROM python:3.12
      WORKDIR /app
      COPY requirements/ requirements/
      RUN --mount=type=bind,source=constraints.txt,target=/c.txt pip install -r requirements/worker.txt -c /c.txt
      RUN pip install -r requirements/ignored.txt
      """)
    try dir.write(".dockerignore", "requirements/ignored.txt\n")
    try dir.write("requirements/worker.txt", "celery==5.4.0\n")
    try dir.write("requirements/ignored.txt", "x==1\n")
    try dir.write("requirements/other.txt", "not installed\n")
    try dir.write("constraints.txt", "pydantic==2.7.1\n")
    try dir.write("requirements.txt", "flask\n")
    let inputs = try CacheInputSnapshot.collect(
      contextDirectory: dir.url, dockerfile: dir.url.appendingPathComponent("Dockerfile"))
    #expect(
      inputs.map { "\($0.path) \($0.role.rawValue)" } == [
        ".dockerignore dockerignore", "Dockerfile dockerfile", "constraints.txt lockfile",
        "requirements.txt manifest", "requirements/worker.txt lockfile",
      ])
  }
}
