import Foundation

/// The preset dictionary input contents are compressed against when stored on their own: the
/// common idioms of Dockerfiles, `.dockerignore` files, and the manifests and lockfiles of pip, uv,
/// poetry, npm, Go and Cargo. The stream names it by its Adler-32, so contents stored before schema
/// 10 read back as they are. Never change it: stored contents are compressed against it.
enum InputDictionary {
  static let bytes = Data(
    """
    # syntax=docker/dockerfile:1
    FROM golang:1.22 AS build
    FROM node:20-alpine AS deps
    FROM python:3.12-slim AS base
    FROM gcr.io/distroless/static-debian12
    ARG TARGETOS
    ARG TARGETARCH
    ENV PYTHONDONTWRITEBYTECODE=1
    ENV PYTHONUNBUFFERED=1
    ENV NODE_ENV=production
    ENV UV_COMPILE_BYTECODE=1
    ENV UV_LINK_MODE=copy
    WORKDIR /app
    RUN apt-get update && apt-get install -y --no-install-recommends \\
        ca-certificates curl git \\
        && rm -rf /var/lib/apt/lists/*
    RUN apk add --no-cache
    COPY package.json package-lock.json ./
    RUN --mount=type=cache,target=/root/.npm npm ci
    COPY requirements.txt .
    RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r requirements.txt
    COPY go.mod go.sum ./
    RUN --mount=type=cache,target=/go/pkg/mod go mod download
    RUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /out/app ./cmd/app
    COPY --from=build /out/app /usr/local/bin/app
    COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/
    RUN --mount=type=cache,target=/root/.cache/uv \\
        --mount=type=bind,source=uv.lock,target=uv.lock \\
        --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\
        uv sync --frozen --no-install-project
    COPY . /app
    COPY . .
    RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen
    EXPOSE 8080
    USER nonroot:nonroot
    ENTRYPOINT ["/usr/local/bin/app"]
    CMD ["python", "-m", "app"]
    CMD ["npm", "start"]
    .git
    .gitignore
    .venv/
    venv/
    __pycache__/
    *.pyc
    node_modules
    npm-debug.log
    Dockerfile
    .dockerignore
    .env
    dist/
    build/
    target/
    [project]
    name = "app"
    version = "0.1.0"
    description = ""
    readme = "README.md"
    requires-python = ">=3.12"
    dependencies = [
    ]

    [build-system]
    requires = ["hatchling"]
    build-backend = "hatchling.build"

    [tool.poetry]
    [tool.poetry.dependencies]
    python = "^3.12"
    [[package]]
    name = ""
    version = ""
    optional = false
    python-versions = ">=3.8"
    files = [
        {file = "", hash = "sha256:"},
    ]
    version = 1
    requires-python = ">=3.12"

    [[package]]
    name = ""
    version = ""
    source = { registry = "https://pypi.org/simple" }
    source = { editable = "." }
    dependencies = [
        { name = "" },
    ]
    sdist = { url = "https://files.pythonhosted.org/packages/", hash = "sha256:", size = }
    wheels = [
        { url = "https://files.pythonhosted.org/packages/", hash = "sha256:", size = },
    ]

    [package.metadata]
    requires-dist = [
        { name = "" },
    ]
    module github.com/
    go 1.22
    require (
    )
    golang.org/x/ h1: /go.mod h1:
    [[package]]
    name = ""
    version = ""
    source = "registry+https://github.com/rust-lang/crates.io-index"
    checksum = ""
    dependencies = [
    ]
    {
      "name": "",
      "version": "1.0.0",
      "lockfileVersion": 3,
      "requires": true,
      "packages": {
        "": {
          "name": "",
          "version": "",
          "dependencies": {
          },
          "devDependencies": {
          }
        },
        "node_modules/": {
          "version": "",
          "resolved": "https://registry.npmjs.org/",
          "integrity": "sha512-",
          "dev": true,
          "license": "MIT",
          "engines": {
            "node": ">=
          }
        },
      "scripts": {
        "build": "",
        "start": "",
        "test": ""
      },
    """.utf8)
}
