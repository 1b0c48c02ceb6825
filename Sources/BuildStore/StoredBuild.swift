import BuildLog
import Foundation

/// A build as listed by `builds`: one row of the history.
public struct BuildSummary: Sendable, Equatable, Codable {
  /// The build's id in this history.
  public var id: Int64
  /// When buildtrail recorded it.
  public var recordedAt: Date
  /// When the build started, when known.
  public var startedAt: Date?
  /// When the build ended, when known.
  public var endedAt: Date?
  /// How it ended.
  public var outcome: BuildOutcome
  /// The wrapped build command's exit code, when `record --` ran it.
  public var exitCode: Int?
  /// End minus start, when both are known.
  public var wallSeconds: Double?
  /// The steps' durations summed.
  public var stepSeconds: Double
  /// The format its log was read as.
  public var logFormat: LogFormat
  /// The git branch it was built from; nil when unknown or detached.
  public var branch: String?
  /// The git commit it was built from (full hash).
  public var commit: String?
  /// That commit's subject line.
  public var subject: String?
  /// The build target (`--target`), when given.
  public var target: String?
  /// The first image name its log shows.
  public var imageName: String?
  /// Dockerfile steps other than FROM (the steps that can hit the layer cache).
  public var stepsTotal: Int
  /// Cacheable steps that were cached.
  public var stepsCached: Int
  /// Cacheable steps that ran or failed.
  public var stepsExecuted: Int
  /// Steps of any kind that failed.
  public var stepsFailed: Int
  /// The CI system it ran in (`github-actions`, …).
  public var ciProvider: String?
  /// A link to its CI run.
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
  /// The step's position among the build's steps, from 0, in order of first appearance in the log.
  public var position: Int
  /// The vertex number the log gave it (`#N`).
  public var vertex: Int
  /// The full name as printed.
  public var name: String
  /// The compose service (or bake target) in the name.
  public var service: String?
  /// The platform in the name (`linux/arm64`).
  public var platform: String?
  /// The stage name; nil for single-stage Dockerfiles.
  public var stage: String?
  /// `i` of `[i/n]`.
  public var index: Int?
  /// `n` of `[i/n]`.
  public var total: Int?
  /// What the step does: an instruction or BuildKit's own work.
  public var kind: StepKind
  /// The key that names the same step across builds (StepName/key).
  public var key: String
  /// How it ended.
  public var status: StepStatus
  /// Seconds it took; nil when the log printed none.
  public var durationSeconds: Double?
  /// When it started, when the log has timestamps.
  public var startedAt: Date?
  /// When it ended, when the log has timestamps.
  public var completedAt: Date?
  /// Output lines it printed (more than are kept).
  public var outputLines: Int
  /// Its error text, when it failed.
  public var errorText: String?
  /// The LLB digest, when the log shows it (BuildKit v0.8 `#N sha256:` lines, rawjson).
  public var digest: String?
}

/// A FROM of the build: the image reference and the digest it resolved to.
public struct StoredBaseImage: Sendable, Equatable, Codable {
  /// The stage the FROM starts; nil when unnamed.
  public var stage: String?
  /// The image reference as written after FROM.
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

  /// A base image; its digest is from the log unless `source` says `daemon`.
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
  /// The file's path, relative to the repository (or context) when inside it.
  public var path: String
  /// What the file is to the build.
  public var role: InputFact.Role
  /// Lowercase hex SHA-256 of the content.
  public var sha256: String
  /// The file's size in bytes.
  public var bytes: Int
}

/// Everything stored about one build.
public struct BuildDetail: Sendable, Equatable, Codable {
  /// The build's row as `builds` lists it.
  public var summary: BuildSummary
  /// SHA-256 of the whole log.
  public var logSHA256: String
  /// The builder instance named in the log.
  public var builderName: String?
  /// The builder's driver named in the log.
  public var driver: String?
  /// The image digest the log shows.
  public var imageDigest: String?
  /// The final error line, without `ERROR: `.
  public var errorMessage: String?
  /// Bytes the log says were sent for the build context.
  public var contextTransferBytes: Int64?
  /// The build context as measured when recorded.
  public var context: ContextFacts?
  /// Lines of the build that no reader recognised.
  public var unrecognizedLines: Int
  /// The log file's path as given to `record`.
  public var logPath: String?
  /// The build command `record --` wrapped.
  public var command: String?
  /// The CI job the build came from, when the log interleaves jobs.
  public var job: String?
  /// The git state it was built from.
  public var git: GitFacts?
  /// The CI run it was made in.
  public var ci: CIFacts?
  /// Its `--label` pairs.
  public var labels: [String: String]
  /// Its steps, by position.
  public var steps: [StoredStep]
  /// Its FROMs with the digests they resolved to.
  public var baseImages: [StoredBaseImage]
  /// The Dockerfile warnings the log printed.
  public var warnings: [String]
  /// The cache inputs recorded with it.
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

  /// The id the build has in the history, recorded now or before.
  public var id: Int64 {
    switch self {
    case .recorded(let id), .alreadyRecorded(let id): return id
    }
  }
}

/// Which builds `builds` lists.
public struct BuildFilter: Sendable, Equatable {
  /// Only builds of this branch.
  public var branch: String?
  /// Only builds of this target.
  public var target: String?
  /// Only builds of this compose service (or bake target).
  public var service: String?
  /// Only builds with all these labels.
  public var labels: [String: String]
  /// Only builds that ended so.
  public var outcome: BuildOutcome?
  /// At most this many, newest first.
  public var limit: Int

  /// A filter; nil and empty mean any, and at most `limit` builds.
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
