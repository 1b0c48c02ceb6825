import BuildLog
import BuildStore
import Foundation

/// Why a build's steps ran instead of hitting the cache, against a baseline build.
public struct CacheExplanation: Sendable, Codable {
  /// Where the evidence about changed inputs came from.
  public enum EvidenceSource: String, Sendable, Codable {
    /// `git diff` / `git log` between the two builds' commits.
    case git
    /// The input snapshots and context file lists recorded with the builds (a depth-1 clone, or no git).
    case snapshots
    /// Neither: only the logs.
    case none
  }

  /// The build explained.
  public var build: BuildDetail
  /// The build it is compared with; nil when there is none.
  public var baseline: BuildDetail?
  /// How the baseline was chosen, in words.
  public var baselineReason: String
  /// Where the evidence of changed inputs came from.
  public var evidence: EvidenceSource
  /// The commits after the baseline's up to the build's (git evidence only).
  public var commits: [GitHistory.Commit]
  /// The steps that missed on their own account, each with its cascade.
  public var rootMisses: [RootMiss]
  /// Things that limited the explanation (no Dockerfile, a lockfile that does not parse, …).
  public var notes: [String]

  /// Seconds spent in steps that missed the cache.
  public var costSeconds: Double { rootMisses.reduce(0) { $0 + $1.costSeconds } }
  /// Steps that missed the cache, root misses and cascades.
  public var rebuiltSteps: Int { rootMisses.reduce(0) { $0 + 1 + $1.cascade.count } }
  /// The failing step's decisive lines, and the change they point to (failed builds only).
  public var failure: FailureExplanation? = nil
  /// The failing step, if the build failed.
  public var failedStep: StoredStep? {
    build.steps.first { $0.status == .error && $0.kind != .cacheImport }
  }

}

/// A step that missed the cache on its own account, with what it invalidated after it.
public struct RootMiss: Sendable, Codable {
  /// The step that missed.
  public var step: StoredStep
  /// Why it missed.
  public var cause: MissCause
  /// The steps that ran only because this one did (later in its stage, or in stages built on it).
  public var cascade: [StoredStep]
  /// Set when the changed input belongs to an earlier step of its chain that stayed cached in this build.
  public var upstream: UpstreamChange? = nil
  /// For a broad `COPY`: the steps of its cascade that a Dockerfile change put after it in an earlier build.
  public var structuralBreaks: [StructuralBreak] = []
  /// Its time plus its cascade's.
  public var costSeconds: Double {
    (step.durationSeconds ?? 0) + cascade.reduce(0) { $0 + ($1.durationSeconds ?? 0) }
  }
}

/// Why a step missed the cache.
public enum MissCause: Sendable, Codable {
  /// A lockfile or manifest the step reads changed; the package-level changes.
  case dependencies(file: String, changes: [DependencyChange])
  /// A lockfile or manifest the step reads changed, but no package or version did: how it changed
  /// (`reordered`, `regrouped`, `comments`, `hashes`, `rewritten`).
  case dependenciesUnchanged(file: String, rewrite: [String])
  /// `.dockerignore` changed: patterns added and removed, and the context size before and after.
  case dockerignore(
    file: String, added: [String], removed: [String], contextBefore: Int64?, contextAfter: Int64?)
  /// The Dockerfile changed at this step (or an ENV/ARG before it): the instruction before and after.
  case dockerfile(file: String, change: String, before: String?, after: String?, line: Int?)
  /// Files the step copies or mounts changed (the first few, and how many in all).
  case files(source: String, paths: [String], count: Int)
  /// The FROM image's digest moved.
  case baseImage(reference: String, before: String?, after: String?)
  /// No input changed: the builder's cache was lost; for RUN steps with cache mounts, their warmth.
  case cacheLost(mounts: [MountWarmth])
  /// Inferred, the log showing no image digest: a stage missed from its first step, no input changed,
  /// and no cache mount was cold, so the FROM image (or the builder) changed. See ``BaseImageInference``.
  case baseImageInferred(references: [String], mounts: [MountWarmth])
  /// Nothing was recorded to compare (no git, no input snapshots): what would make it known.
  case unknown(String)
  /// Nothing to compare with (no baseline, or the step is new).
  case noBaseline(String)
  /// The step failed in a build after the baseline, and a failed step leaves nothing in the cache.
  case failedEarlier(build: Int64, commit: String?)
  /// An `ARG` in the step's cache key changed (or, inferred, changes on nearly every build).
  case buildArgument(BuildArgumentChange)
  /// No input changed and the cache plumbing says why: `--no-cache`, a new builder, a failed import.
  case cachePlumbing(CachePlumbingFinding)

  /// A stable name for scripts: `dependencies`, `dockerignore`, `dockerfile`, `files`, `base-image` (also when
  /// inferred), `cache-lost`, `unknown`, `no-baseline`, `failed-earlier`, `build-arg`, `no-cache`, `new-builder`,
  /// `cache-import-failed`, `cache-import-missed`.
  public var kind: String {
    switch self {
    case .dependencies, .dependenciesUnchanged: return "dependencies"
    case .dockerignore: return "dockerignore"
    case .dockerfile: return "dockerfile"
    case .files: return "files"
    case .baseImage, .baseImageInferred: return "base-image"
    case .cacheLost: return "cache-lost"
    case .unknown: return "unknown"
    case .noBaseline: return "no-baseline"
    case .failedEarlier: return "failed-earlier"
    case .buildArgument: return "build-arg"
    case .cachePlumbing(let finding): return finding.kind.rawValue
    }
  }
}

/// How warm a RUN step's cache mount was, read from the tool's own output.
public struct MountWarmth: Sendable, Codable, Equatable {
  /// Warm (all from the cache), partly warm, cold (all fetched), or not told by the output.
  public enum State: String, Sendable, Codable { case warm, partial, cold, unknown }
  /// The cache mount's target folder.
  public var target: String
  /// The tool whose output it was read from (`uv`, `pip`, …).
  public var tool: String
  /// How warm the mount was.
  public var state: State
  /// uv: packages prepared (downloaded or built) and installed; pip: downloaded and taken from the cache.
  public var fetched: Int?
  /// Packages in all (see `fetched`).
  public var total: Int?
  /// The output lines it was read from.
  public var evidence: [String]

  /// Whether this reading comes from the step that installs the dependencies rather than `other`'s: it
  /// installed more packages. The step that installs the project itself always prepares its one local
  /// package, so its mount looks cold however warm the dependencies' were.
  public func installsMoreThan(_ other: MountWarmth) -> Bool {
    ((total ?? 0), (fetched ?? 0)) > ((other.total ?? 0), (other.fetched ?? 0))
  }

  /// Reads uv (`Prepared P packages`, `Installed I packages`) or pip (`Downloading`, `Using cached`) output.
  public static func read(output: [String], target: String) -> MountWarmth? {
    func count(_ line: String, after word: String) -> Int? {
      guard let range = line.range(of: word + " ") else { return nil }
      return Int(line[range.upperBound...].prefix { $0.isNumber })
    }
    var prepared: Int?
    var installed: Int?
    var evidence: [String] = []
    var downloading = 0
    var cached = 0
    for line in output {
      let t = line.trimmingCharacters(in: .whitespaces)
      if t.hasPrefix("Prepared "), let n = count(t, after: "Prepared") {
        prepared = n
        evidence.append(t)
      } else if t.hasPrefix("Installed "), let n = count(t, after: "Installed") {
        installed = n
        evidence.append(t)
      } else if t.hasPrefix("Using cached ") {
        cached += 1
      } else if t.hasPrefix("Downloading ")
        && (t.hasSuffix(".whl") || t.hasSuffix(".tar.gz") || t.contains(".whl "))
      {
        downloading += 1
      }
    }
    if let installed {
      let p = prepared ?? 0
      let state: State =
        installed == 0 ? .unknown : p == 0 ? .warm : p >= installed ? .cold : .partial
      return MountWarmth(
        target: target, tool: "uv", state: state, fetched: p, total: installed, evidence: evidence)
    }
    if downloading + cached > 0 {
      let state: State = downloading == 0 ? .warm : cached == 0 ? .cold : .partial
      return MountWarmth(
        target: target, tool: "pip", state: state, fetched: downloading,
        total: downloading + cached,
        evidence: ["\(downloading) Downloading, \(cached) Using cached"])
    }
    return nil
  }
}
