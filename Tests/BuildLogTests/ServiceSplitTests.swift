import Foundation
import Testing

@testable import BuildLog

/// Compose logs split into one build per service: compose v1 (`Building NAME` then a build per
/// service) and compose v2 / bake (one session whose steps carry `[service …]` prefixes).
struct ServiceSplitTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/compose")

  static func parse(_ name: String) throws -> ParsedLog {
    try LogParser.parse(fileAt: fixtures.appendingPathComponent(name).path)
  }

  @Test func composeV1BuildKitStartsABuildAtEachBuildingLineWithItsService() throws {
    let log = try Self.parse("compose-v1-buildkit-two-services.log")
    #expect(log.builds.map(\.service) == ["backend", "worker"])
    #expect(log.builds.map(\.format) == [.plain, .plain])
    #expect(log.builds.map(\.outcome) == [.success, .success])
    #expect(log.builds.map(\.steps.count) == [11, 9])
    #expect(log.builds[0].imageNames == ["docker.io/library/compose-fx-backend:1"])
    #expect(log.builds[1].steps.last?.name == "exporting to image")
    #expect(log.builds[1].steps.filter { $0.status == .cached }.map(\.vertex) == [4])
    #expect(log.builds.map(\.contextTransferBytes) == [101, 83])
    #expect(log.splitByService(services: ["backend", "worker"]) == log)
  }

  @Test func composeV1BuildKitAfterARequirementsChangeAndAFailingWorker() throws {
    let changed = try Self.parse("compose-v1-buildkit-backend-requirements-changed.log")
    #expect(changed.builds.map(\.service) == ["backend", "worker"])
    let backend = changed.builds[0]
    #expect(
      backend.steps.first { $0.name == "[base 3/4] COPY requirements.txt ." }?.status == .done)
    #expect(backend.steps.first { $0.name == "[base 2/4] WORKDIR /app" }?.status == .cached)
    #expect(
      changed.builds[1].steps.filter { StepName($0.name).kind.isCacheable }
        .allSatisfy { $0.status == .cached })
    let failing = try Self.parse("compose-v1-buildkit-worker-fails.log")
    #expect(failing.builds.map(\.service) == ["backend", "worker"])
    #expect(failing.builds.map(\.outcome) == [.success, .failed])
    #expect(
      failing.builds[1].errorMessage
        == "executor failed running [/bin/sh -c sh job.sh]: exit code: 3")
  }

  @Test func composeV1WithoutBuildingLinesStaysUnnamed() throws {
    var text = try String(
      contentsOf: Self.fixtures.appendingPathComponent("compose-v1-buildkit-two-services.log"),
      encoding: .utf8)
    text = text.replacingOccurrences(of: "Building backend\n", with: "")
      .replacingOccurrences(of: "Building worker\n", with: "")
    let log = LogParser.parse(Array(text.utf8))
    #expect(log.builds.count == 2)
    #expect(log.builds.map(\.service) == [nil, nil])
  }

  @Test func aBuildingLineFarFromTheNextBuildNamesNothing() {
    let filler = (1...30).map { "note \($0)" }.joined(separator: "\n")
    let text =
      "Building api\n\(filler)\n#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n"
    let log = LogParser.parse(Array(text.utf8))
    #expect(log.builds.count == 1)
    #expect(log.builds.first?.service == nil)
  }

  @Test func composeV1LegacyCapturedLogsNameTheirServices() throws {
    let cold = try Self.parse("compose-v1-legacy-cold.log")
    #expect(cold.builds.map(\.service) == ["backend", "worker"])
    #expect(cold.builds.map(\.steps.count) == [8, 4])
    #expect(cold.builds.map(\.outcome) == [.success, .success])
    let failing = try Self.parse("compose-v1-legacy-worker-fails.log")
    #expect(failing.builds.map(\.service) == ["backend", "worker"])
    #expect(failing.builds.map(\.outcome) == [.success, .failed])
    #expect(failing.builds[1].steps.last?.status == .error)
  }

  @Test func composeV2SharedVertexGoesToEachServiceUnderItsOwnName() throws {
    let raw = try Self.parse("compose-v2-bake-shared-vertex-one-fails.log")
    #expect(raw.builds.count == 1)
    let shared = try #require(raw.builds[0].steps.first { $0.vertex == 8 })
    #expect(shared.name == "[api base 2/3] WORKDIR /srv")
    #expect(shared.otherNames == ["[web 2/4] WORKDIR /srv"])

    let split = raw.splitByService()
    #expect(split.builds.map(\.service) == ["api", "web"])
    let api = try #require(split.builds(forService: "api").first)
    let web = try #require(split.builds(forService: "web").first)
    #expect(api.steps.contains { $0.vertex == 8 && $0.name == "[api base 2/3] WORKDIR /srv" })
    #expect(web.steps.contains { $0.vertex == 8 && $0.name == "[web 2/4] WORKDIR /srv" })
    #expect(
      web.steps.contains { $0.vertex == 7 && $0.name == "[web 1/4] FROM docker.io/local/busybox:1" }
    )
    #expect(web.steps.allSatisfy { $0.otherNames.isEmpty })
    #expect(!web.steps.contains { $0.name.hasPrefix("[api") })
    #expect(!api.steps.contains { $0.name.hasPrefix("[web") })
  }

  @Test func composeV2FailureStaysWithTheFailingService() throws {
    let split = try Self.parse("compose-v2-bake-shared-vertex-one-fails.log").splitByService()
    let api = try #require(split.builds(forService: "api").first)
    let web = try #require(split.builds(forService: "web").first)
    #expect(api.outcome == .failed)
    #expect(api.errorMessage?.hasPrefix("target api: failed to solve: process") == true)
    #expect(api.steps.filter { $0.status == .error }.map(\.vertex) == [13])
    #expect(web.outcome == .success)
    #expect(web.errorMessage == nil)
    #expect(web.imageNames == ["docker.io/library/fx-web"])
    #expect(web.contextTransferBytes == 1200)
    #expect(api.contextTransferBytes == 310)
    #expect(api.imageNames.isEmpty)
  }

  @Test func unprefixedSessionVerticesGoToEveryService() throws {
    let split = try Self.parse("compose-v2-bake-shared-vertex-one-fails.log").splitByService()
    for build in split.builds {
      #expect(build.steps.first?.name == "[internal] load local bake definitions")
    }
  }

  @Test func theFinalErrorOfComposeWithoutErrorPrefixIsRead() {
    let line = "target api: failed to solve: process \"/bin/sh -c x\" did not complete successfully"
    #expect(FinalErrorLine.message(Substring(line)) == line)
    #expect(FinalErrorLine.message("target of the day: failed to solve") == nil)
    #expect(FinalErrorLine.message("target api: all good") == nil)
  }

  @Test func stagesOfOneBuildAreNotServices() throws {
    let log = try LogParser.parse(
      fileAt: Self.fixtures.deletingLastPathComponent()
        .appendingPathComponent("docker20-multistage-cold.log").path)
    #expect(log.splitByService() == log)
    let named = log.splitByService(services: ["app"])
    #expect(named.builds.map(\.service) == ["app"])
    #expect(named.builds[0].steps == log.builds[0].steps)
  }

  @Test func aStageNamedLikeAServiceIsReadAsTheServiceOnlyWhenKnown() {
    let text = """
      #1 [api internal] load build definition from Dockerfile
      #1 DONE 0.0s

      #2 [web 2/3] RUN make
      #2 DONE 1.0s

      #3 [api 2/3] RUN make
      #3 DONE 1.0s

      """
    let log = LogParser.parse(Array(text.utf8))
    #expect(log.splitByService().builds.map(\.service) == ["api"])
    #expect(log.splitByService().builds[0].steps.map(\.vertex) == [1, 2, 3])
    #expect(log.splitByService(services: ["web"]).builds.map(\.service) == ["api", "web"])
  }

  @Test func bakeTargetsWithDotsMapBackToTheirServices() {
    let text = """
      #1 [api_v2 internal] load build definition from Dockerfile
      #1 DONE 0.0s

      #2 [api_v2 2/3] RUN make
      #2 DONE 1.0s

      """
    let log = LogParser.parse(Array(text.utf8))
    #expect(log.splitByService(services: ["api.v2"]).builds.map(\.service) == ["api.v2"])
    #expect(log.splitByService().builds.map(\.service) == ["api_v2"])
  }

  @Test func aCanceledServiceIsCanceledAndAnUnfinishedOneUnknown() {
    let text = """
      #1 [api internal] load build definition from Dockerfile
      #1 DONE 0.0s

      #2 [web internal] load build definition from Dockerfile
      #2 DONE 0.0s

      #3 [db internal] load build definition from Dockerfile
      #3 DONE 0.0s

      #4 [api 2/3] RUN make
      #4 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2

      #5 [web 2/3] RUN sleep 100
      #5 CANCELED

      #6 [db 2/3] RUN sleep 100

      target api: failed to solve: process "/bin/sh -c make" did not complete successfully: exit code: 2
      """
    let split = LogParser.parse(Array(text.utf8)).splitByService()
    #expect(split.builds.map(\.service) == ["api", "web", "db"])
    #expect(split.builds.map(\.outcome) == [.failed, .canceled, .unknown])
    #expect(split.builds.map { $0.errorMessage != nil } == [true, false, false])
  }

  @Suite(.enabled(if: Corpus.isAvailable, Corpus.missing)) struct CorpusSplits {
    @Test func corpus008ThreeServicesWithTheSharedWorkdirInEach() throws {
      let raw = try Corpus.parse("008-compose-bake-three-services-shared-vertex")
      let split = raw.splitByService()
      #expect(split.builds.map(\.service) == ["frontend", "worker", "api"])
      #expect(split.builds.allSatisfy { $0.outcome == .success })
      for service in ["worker", "api", "frontend"] {
        let build = try #require(split.builds(forService: service).first)
        let workdir = try #require(build.steps.first { $0.vertex == 12 })
        #expect(workdir.name == "[\(service) 2/6] WORKDIR /app")
        #expect(workdir.status == .cached)
        #expect(build.steps.contains { $0.name == "[\(service)] exporting to image" })
        #expect(build.imageNames == ["docker.io/library/refnet-\(service):latest"])
        #expect(
          build.contextTransferBytes
            == ["worker": 379, "api": 163_670, "frontend": 40_680_000][service])
      }
      let worker = try #require(split.builds(forService: "worker").first)
      #expect(
        worker.steps.filter { $0.name.hasPrefix("[worker ") && $0.name.contains("/6]") }.count == 6)
      let api = try #require(split.builds(forService: "api").first)
      #expect(api.steps.filter { $0.status == .done && $0.name.hasPrefix("[api ") }.count >= 2)
      let vertices = Set(split.builds.flatMap { $0.steps.map(\.vertex) })
      #expect(vertices == Set(raw.builds[0].steps.map(\.vertex)))
    }

    @Test func corpus014TTYTwoServices() throws {
      let split = try Corpus.parse("014-tty-compose-windows-two-services").splitByService()
      #expect(split.builds.map(\.service) == ["frontend", "backend"])
      #expect(split.builds.map(\.outcome) == [.success, .success])
      let backend = try #require(split.builds(forService: "backend").first)
      #expect(backend.steps.filter { $0.name.hasPrefix("[backend stage-0 ") }.count == 8)
      #expect(!backend.steps.contains { $0.name.hasPrefix("[frontend") })
      #expect(
        backend.steps.contains { $0.name.hasPrefix("[backend] FROM docker.io/library/composer") })
    }

    @Test func corpus022LegacyKeepsItsServices() throws {
      let log = try Corpus.parse("022-compose-v1-legacy-two-services")
      #expect(log.builds.map(\.service) == ["db", "web"])
      #expect(log.splitByService() == log)
    }
  }
}
