import BuildLog
import BuildStore
import BuildtrailKit
import Foundation

/// One build in `builds --format json` (and the head of `show --format json`).
struct BuildSummaryJSON: Encodable {
  var id: Int64
  var recordedAt: Date
  var startedAt: Date?
  var endedAt: Date?
  var outcome: String
  var exitCode: Int?
  var durationSeconds: Double
  var wallSeconds: Double?
  var stepSeconds: Double
  var logFormat: String
  var branch: String?
  var commit: String?
  var subject: String?
  var target: String?
  var service: String?
  var image: String?
  var stepsTotal: Int
  var stepsCached: Int
  var stepsExecuted: Int
  var stepsFailed: Int
  var cacheHitRatio: Double?
  var ciProvider: String?
  var ciUrl: String?

  init(_ b: BuildSummary) {
    id = b.id
    recordedAt = b.recordedAt
    startedAt = b.startedAt
    endedAt = b.endedAt
    outcome = b.outcome.rawValue
    exitCode = b.exitCode
    durationSeconds = (b.seconds * 1000).rounded() / 1000
    wallSeconds = b.wallSeconds.map { ($0 * 1000).rounded() / 1000 }
    stepSeconds = (b.stepSeconds * 1000).rounded() / 1000
    logFormat = b.logFormat.rawValue
    branch = b.branch
    commit = b.commit
    subject = b.subject
    target = b.target
    service = b.service
    image = b.imageName
    stepsTotal = b.stepsTotal
    stepsCached = b.stepsCached
    stepsExecuted = b.stepsExecuted
    stepsFailed = b.stepsFailed
    cacheHitRatio = b.cacheHitRatio.map { ($0 * 1000).rounded() / 1000 }
    ciProvider = b.ciProvider
    ciUrl = b.ciURL
  }
}

/// `builds --format json`.
struct BuildListJSON: Encodable {
  var builds: [BuildSummaryJSON]
}

/// `show --format json`.
struct BuildDetailJSON: Encodable {
  struct Step: Encodable {
    var position: Int
    var vertex: Int
    var name: String
    var key: String
    var kind: String
    var service: String?
    var platform: String?
    var stage: String?
    var index: Int?
    var total: Int?
    var status: String
    var durationSeconds: Double?
    var startedAt: Date?
    var completedAt: Date?
    var outputLines: Int
    var errorText: String?
    var digest: String?
  }
  struct Context: Encodable {
    var path: String?
    var dockerfile: String?
    var files: Int?
    var bytes: Int64?
    var transferBytes: Int64?
    var entries: [ContextEntry]
  }
  struct Detail: Encodable {
    var build: BuildSummaryJSON
    var logSha256: String
    var builder: String?
    var driver: String?
    var imageDigest: String?
    var errorMessage: String?
    var context: Context
    var git: GitFacts?
    var ci: CIFacts?
    var labels: [String: String]
    var baseImages: [StoredBaseImage]
    var warnings: [String]
    var inputs: [StoredInput]
    var unrecognizedLines: Int
    var steps: [Step]
    var buildArguments: [InvocationLines.ArgumentJSON]
    var cachePlumbing: CachePlumbingFact?
  }
  var build: Detail

  init(_ d: BuildDetail) {
    build = Detail(
      build: BuildSummaryJSON(d.summary), logSha256: d.logSHA256, builder: d.builderName,
      driver: d.driver,
      imageDigest: d.imageDigest, errorMessage: d.errorMessage,
      context: Context(
        path: d.context?.path, dockerfile: d.context?.dockerfilePath, files: d.context?.files,
        bytes: d.context?.bytes, transferBytes: d.contextTransferBytes,
        entries: d.context?.entries ?? []),
      git: d.git, ci: d.ci, labels: d.labels, baseImages: d.baseImages, warnings: d.warnings,
      inputs: d.inputs,
      unrecognizedLines: d.unrecognizedLines,
      steps: d.steps.map {
        Step(
          position: $0.position, vertex: $0.vertex, name: $0.name, key: $0.key,
          kind: $0.kind.rawValue,
          service: $0.service, platform: $0.platform, stage: $0.stage, index: $0.index,
          total: $0.total,
          status: $0.status.rawValue, durationSeconds: $0.durationSeconds, startedAt: $0.startedAt,
          completedAt: $0.completedAt, outputLines: $0.outputLines, errorText: $0.errorText,
          digest: $0.digest)
      },
      buildArguments: d.buildArguments.map(InvocationLines.ArgumentJSON.init),
      cachePlumbing: d.cachePlumbing)
  }
}
