import Foundation

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// A fixed history of 40 builds for the HTML report: a regression at #405 (uv.lock changed), a few failures, a
/// canceled build, a feature branch, cold-cache builds, and one subject full of markup.
enum ReportFixture {
  typealias Build = HTMLReportData.Build

  static let subjects = [
    "Bump ruff to 0.8.1", "Add healthcheck endpoint", "Split runtime stage", "Pin uv to 0.5.4",
    "Cache apt lists in a mount", "Refactor settings loading", "Update README", "Add /metrics",
    "Fix \"quoting\" of <script>alert('x')</script> & friends", "Drop Python 3.11 wheels",
  ]

  static let builds: [Build] = (0..<40).map { index in
    let id = Int64(381 + index)
    let day = 1 + index / 2
    let time =
      index % 2 == 0
      ? String(format: "09:%02d", 10 + index % 37) : String(format: "16:%02d", 5 + index % 41)
    let wobble = sin(Double(index) * 1.3) * 7 + sin(Double(index) * 0.4) * 4
    let regressed = id >= 405
    var seconds = (regressed ? 188 : 132) + wobble
    var outcome = "success"
    if [388, 399, 411].contains(id) {
      outcome = "failed"
      seconds *= 0.45
    }
    if id == 416 {
      outcome = "canceled"
      seconds = 61.7
    }
    let cold = [381, 393, 405].contains(id)
    let total = id >= 400 ? 16 : 15
    let cached = cold ? 2 : total - 3 - index % 3
    let branch = (396...398).contains(id) ? "feature/cache-mounts" : "main"
    let hash = String((index &* 2_654_435_761 &+ 0x3fa9c1e) & 0xfff_ffff, radix: 16)
    let commit =
      String(repeating: "0", count: max(0, 7 - hash.count)) + hash
      + "d41d8cd98f00b204e9800998ecf8427e"
    return Build(
      id: id, when: String(format: "2025-11-%02d ", day) + time, branch: branch, commit: commit,
      subject: subjects[index % subjects.count], outcome: outcome, seconds: seconds.rounded() + 0.3,
      cached: cached, total: total)
  }

  static let latestSteps: [HTMLReportData.Step] = [
    .init(
      name: "[internal] load build definition from Dockerfile", status: "done", start: 0,
      seconds: 0.1),
    .init(
      name: "[internal] load metadata for docker.io/library/python:3.12-slim", status: "done",
      start: 0.1,
      seconds: 1.4),
    .init(name: "[internal] load .dockerignore", status: "done", start: 0.1, seconds: 0.0),
    .init(name: "[internal] load build context", status: "done", start: 1.5, seconds: 0.8),
    .init(
      name: "[builder 1/7] FROM docker.io/library/python:3.12-slim@sha256:"
        + "2b0079146a74e23bf4ae8f6a28e1b484c6292f6fb904cbb51825b4a19812fcd8",
      status: "cached", start: 1.5, seconds: 0),
    .init(
      name:
        "[builder 2/7] RUN apt-get update && apt-get install -y --no-install-recommends build-essential git",
      status: "cached", start: 1.6, seconds: 0),
    .init(
      name: "[builder 3/7] COPY pyproject.toml uv.lock ./", status: "done", start: 2.3, seconds: 0.2
    ),
    .init(
      name:
        "[builder 4/7] RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-install-project",
      status: "done", start: 2.5, seconds: 155.9),
    .init(name: "[builder 5/7] COPY src/ ./src/", status: "done", start: 158.4, seconds: 0.3),
    .init(name: "[builder 6/7] RUN uv sync --frozen", status: "done", start: 158.7, seconds: 14.8),
    .init(
      name: "[builder 7/7] RUN python -m compileall -q src", status: "done", start: 173.5,
      seconds: 6.1),
    .init(
      name: "[runtime 1/4] FROM docker.io/library/python:3.12-slim", status: "cached", start: 1.5,
      seconds: 0),
    .init(
      name: "[runtime 2/4] COPY --from=builder /app/.venv /app/.venv", status: "done", start: 179.6,
      seconds: 4.2),
    .init(
      name: "[runtime 3/4] COPY --from=builder /app/src /app/src", status: "done", start: 183.8,
      seconds: 0.5),
    .init(
      name: "[runtime 4/4] RUN useradd --create-home app", status: "cached", start: 1.6, seconds: 0),
    .init(name: "exporting to image", status: "done", start: 184.3, seconds: 3.9),
  ]

  static let regressions: [HTMLReportData.Regression] = [
    .init(
      series: "build", build: 405, before: 132.5, after: 188.0, change: 0.419, confidence: 0.97,
      cause: "step [builder 4/7] RUN … uv sync --frozen --no-install-project (+55s)"),
    .init(
      series:
        "[builder 4/7] RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-install-project",
      build: 405, before: 98.6, after: 154.2, change: 0.564, confidence: 0.99,
      cause: "uv.lock changed in 05cd6b9: 12 packages upgraded (torch 2.4.1 → 2.5.0)"),
    .init(
      series: "exporting to image", build: 412, before: 2.1, after: 3.9, change: 0.857,
      confidence: 0.81, cause: nil),
  ]

  static let slowestSteps: [HTMLReportData.SlowStep] = [
    .init(
      name:
        "[builder 4/7] RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-install-project",
      medianSeconds: 101.3, p90Seconds: 155.1, executions: 40, cacheHitRatio: 0.35),
    .init(
      name: "[builder 6/7] RUN uv sync --frozen", medianSeconds: 14.2, p90Seconds: 16.0,
      executions: 40,
      cacheHitRatio: 0.1),
    .init(
      name:
        "[builder 2/7] RUN apt-get update && apt-get install -y --no-install-recommends build-essential git",
      medianSeconds: 0, p90Seconds: 38.5, executions: 40, cacheHitRatio: 0.925),
    .init(
      name: "[builder 7/7] RUN python -m compileall -q src", medianSeconds: 6.0, p90Seconds: 6.6,
      executions: 38,
      cacheHitRatio: 0.05),
    .init(
      name: "[runtime 2/4] COPY --from=builder /app/.venv /app/.venv", medianSeconds: 4.1,
      p90Seconds: 4.9,
      executions: 40, cacheHitRatio: 0.2),
    .init(
      name: "exporting to image", medianSeconds: 2.4, p90Seconds: 3.9, executions: 40,
      cacheHitRatio: 0),
  ]

  static let data = HTMLReportData(
    title: "buildtrail report: acme/api",
    generatedAt: "2025-11-21 18:00 UTC",
    version: "0.4.0",
    builds: builds,
    latest: builds.last,
    latestSteps: latestSteps,
    regressions: regressions,
    slowestSteps: slowestSteps)
}
