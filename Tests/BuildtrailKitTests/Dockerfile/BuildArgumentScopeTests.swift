import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Which `ARG`s are part of a step's cache key: those declared earlier in its stage (a global one only when
/// the stage declares it again), all of them for a RUN, the ones it names for other steps.
struct BuildArgumentScopeTests {
  static let dockerfile = Dockerfile(
    text: """
      ARG BASE=1.0
      ARG GIT_SHA=dev
      FROM local/busybox:1 AS build
      ARG GIT_SHA
      ARG BUILD_DATE=today TARGETARCH
      COPY app.sh .
      RUN make
      COPY ${GIT_SHA}.txt /stamp/
      FROM local/busybox:1
      COPY --from=build /stamp /stamp
      RUN echo done
      """)

  static func names(stage: Int, step: Int) -> [String] {
    let s = dockerfile.stages[stage]
    return BuildArgumentCause.declarations(before: s.steps[step], in: s, of: dockerfile).map(\.name)
  }

  @Test func aRunDependsOnEveryArgOfItsStageDeclaredBeforeIt() throws {
    #expect(Self.names(stage: 0, step: 2) == ["GIT_SHA", "BUILD_DATE"])
    let s = Self.dockerfile.stages[0]
    let declared = BuildArgumentCause.declarations(before: s.steps[2], in: s, of: Self.dockerfile)
    #expect(declared.map(\.line) == [4, 5])
    #expect(declared[0].global && declared[0].defaultValue == "dev")
    #expect(!declared[1].global && declared[1].defaultValue == "today")
  }

  @Test func otherStepsDependOnlyOnTheArgsTheyName() {
    #expect(Self.names(stage: 0, step: 1) == [])
    #expect(Self.names(stage: 0, step: 3) == ["GIT_SHA"])
  }

  @Test func argsDoNotCrossStagesAndGlobalsNeedADeclarationInTheStage() {
    #expect(Self.names(stage: 1, step: 2) == [])
  }
}
