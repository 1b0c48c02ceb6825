import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// RUN flags folded so the command shows at 80 columns.
@Suite struct StepLabelTests {
  @Test(arguments: [
    (
      "[stage-0 4/5] RUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=uv.lock,target=uv.lock --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --frozen --no-install-project",
      "[stage-0 4/5] RUN [cache /root/.cache/uv, bind uv.lock, bind pyproject.toml] uv sync --frozen --no-install-project"
    ),
    (
      "[build 2/3] RUN --network=none --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci",
      "[build 2/3] RUN [network none, secret npmrc] npm ci"
    ),
    ("[deps 3/5] COPY uv.lock ./", "[deps 3/5] COPY uv.lock ./"),
    ("[a 1/2] RUN   echo  --mount=x", "[a 1/2] RUN echo --mount=x"),
    ("[a 1/2] RUN --mount=type=tmpfs,dst=/tmp make", "[a 1/2] RUN [tmpfs /tmp] make"),
    ("[a 1/2] RUN --mount=type=ssh git clone x", "[a 1/2] RUN [ssh] git clone x"),
  ])
  func folded(_ name: String, _ expected: String) {
    #expect(StepLabel.folded(name) == expected)
  }
}
