import BuildLog
import Foundation

/// A build as listed by `builds`: one row of the history.
public struct BuildSummary: Sendable, Equatable, Codable {
  public var id: Int64
  public var recordedAt: Date
  public var startedAt: Date?
  public var endedAt: Date?
  public var outcome: BuildOutcome
  public var exitCode: Int?
  public var wallSeconds: Double?
  public var stepSeconds: Double
  public var logFormat: LogFormat
  public var branch: String?
  public var commit: String?
  public var subject: String?
  public var target: String?
  public var imageName: String?
  /// Dockerfile steps other than FROM (the steps that can hit the layer cache).
  public var stepsTotal: Int
  public var stepsCached: Int
  public var stepsExecuted: Int
  public var stepsFailed: Int
  public var ciProvider: String?
  public var ciURL: String?
  /// The compose service (or bake target) the build is for.
  public var service: String?

  /// When the build happened: its start if known, else when it was recorded.
  public var when: Date { startedAt ?? recordedAt }
  /// Its duration: wall time if known, else the sum of its steps.
  public var seconds: Double { wallSeconds ?? stepSeconds }
  /// Share of cacheable steps that hit the cache, 0…1; nil when it had none.
  public var cacheHitRatio: Double? {
    stepsTotal == 0 ? nil : Double(stepsCached) / Double(stepsTotal)
  }
}

/// One stored step.
public struct StoredStep: Sendable, Equatable, Codable {
  public var position: Int
  public var vertex: Int
  public var name: String
  public var service: String?
  public var platform: String?
  public var stage: String?
  public var index: Int?
  public var total: Int?
  public var kind: StepKind
  public var key: String
  public var status: StepStatus
  public var durationSeconds: Double?
  public var startedAt: Date?
  public var completedAt: Date?
  public var outputLines: Int
  public var errorText: String?
  public var digest: String?
}

/// A FROM of the build: the image reference and the digest it resolved to.
public struct StoredBaseImage: Sendable, Equatable, Codable {
  public var stage: String?
  public var reference: String
  /// The registry digest from the log, or the local image ID read from the Docker daemon (see `source`).
  public var digest: String?
  /// `log` or `daemon`.
  public var source: String
  /// The position of the FROM step among the build's steps.
  public var position: Int?

  private enum CodingKeys: String, CodingKey {
    case stage, reference, digest, source
  }

  public init(
    stage: String?, reference: String, digest: String?, source: String = "log", position: Int? = nil
  ) {
    self.position = position
    self.stage = stage
    self.reference = reference
    self.digest = digest
    self.source = source
  }
}

/// A cache input recorded with the build (content kept in ``BuildStore/inputContent(sha256:)``).
public struct StoredInput: Sendable, Equatable, Codable {
  public var path: String
  public var role: InputFact.Role
  public var sha256: String
  public var bytes: Int
}

/// Everything stored about one build.
public struct BuildDetail: Sendable, Equatable, Codable {
  public var summary: BuildSummary
  public var logSHA256: String
  public var builderName: String?
  public var driver: String?
  public var imageDigest: String?
  public var errorMessage: String?
  public var contextTransferBytes: Int64?
  public var context: ContextFacts?
  public var unrecognizedLines: Int
  public var logPath: String?
  public var command: String?
  public var job: String?
  public var git: GitFacts?
  public var ci: CIFacts?
  public var labels: [String: String]
  public var steps: [StoredStep]
  public var baseImages: [StoredBaseImage]
  public var warnings: [String]
  public var inputs: [StoredInput]
  /// The build arguments recorded with it (schema 7).
  public var buildArguments: [BuildArgumentFact] = []
  /// Its cache plumbing (schema 7); nil for builds recorded before.
  public var cachePlumbing: CachePlumbingFact?
}

/// What recording one build did.
public enum RecordResult: Sendable, Equatable {
  /// The build was stored under this id.
  case recorded(id: Int64)
  /// The same build (same log, same position) was already stored under this id; nothing changed.
  case alreadyRecorded(id: Int64)

  public var id: Int64 {
    switch self {
    case .recorded(let id), .alreadyRecorded(let id): return id
    }
  }
}

/// Which builds `builds` lists.
public struct BuildFilter: Sendable, Equatable {
  public var branch: String?
  public var target: String?
  public var service: String?
  public var labels: [String: String]
  public var outcome: BuildOutcome?
  public var limit: Int

  public init(
    branch: String? = nil, target: String? = nil, labels: [String: String] = [:],
    outcome: BuildOutcome? = nil,
    limit: Int = 20, service: String? = nil
  ) {
    self.branch = branch
    self.target = target
    self.service = service
    self.labels = labels
    self.outcome = outcome
    self.limit = limit
  }
}
