import Foundation

/// The log shape a build was read from.
public enum LogFormat: String, Codable, Sendable, CaseIterable {
  /// BuildKit `--progress=plain`, any version.
  case plain
  /// BuildKit `--progress=rawjson`: one JSON `SolveStatus` per line.
  case rawjson
  /// The last frame of BuildKit's tty display (`[+] Building …` with ` => ` rows).
  case tty
  /// The legacy (non-BuildKit) builder: `Step 3/10 : RUN …`.
  case legacy
}

/// How a build ended.
public enum BuildOutcome: String, Codable, Sendable, CaseIterable {
  case success
  case failed
  case canceled
  /// The log ended before the build said how it ended (truncated or cut).
  case unknown
}

/// How one step (vertex) ended.
public enum StepStatus: String, Codable, Sendable, CaseIterable {
  /// It ran and finished (`DONE`).
  case done
  /// It was a cache hit (`CACHED`).
  case cached
  /// It failed (`ERROR`).
  case error
  /// It was stopped because another step failed (`CANCELED`).
  case canceled
  /// The log never said how it ended.
  case unfinished

  /// The step did its work (or tried to): it was not a cache hit.
  public var ranOrFailed: Bool { self == .done || self == .error }
}

/// One step of a build as the log tells it: a BuildKit vertex, a tty row or a legacy `Step`.
public struct ParsedStep: Sendable, Equatable {
  /// `#N` for BuildKit, the row index (from 1) for tty, the step number for the legacy builder.
  public var vertex: Int
  /// The full name as printed, e.g. `[builder 3/5] RUN go build ./...`.
  public var name: String
  /// Done, cached, failed, canceled or unfinished, as the log last said.
  public var status: StepStatus
  /// Seconds from the last `DONE x.ys` (or the tty/rawjson duration); nil when none was printed.
  public var duration: Double?
  /// How many output lines the step printed.
  public var outputLineCount: Int
  /// The `ERROR:` text, when the step failed.
  public var errorText: String?
  /// The LLB digest, when the log shows it (BuildKit v0.8 `#N sha256:` lines, rawjson).
  public var digest: String?
  /// The last output lines (at most ``ParsedStep/outputTailLimit``), oldest first.
  public var outputTail: [String]
  /// When the step started, when the log has timestamps (rawjson, CI prefixes).
  public var startedAt: Date?
  /// When the step ended, when the log has timestamps.
  public var completedAt: Date?
  /// Every `DONE` value in order, when a vertex reports more than one.
  public var doneDurations: [Double]
  /// The image reference a FROM step resolved to (`resolve docker.io/library/alpine:3.20@sha256:…`).
  public var resolvedReference: String?
  /// The other names the vertex was printed under, when bake targets (compose services) share it:
  /// `[api 2/6] WORKDIR /app` for a vertex first named `[worker 2/6] WORKDIR /app`.
  public var otherNames: [String]
  /// The bytes a `load build context` vertex transferred (`transferring context: 48.20kB`), when shown.
  public var transferredBytes: Int64?

  /// How many output lines per step are kept.
  public static let outputTailLimit = 200

  /// A step; only the vertex and name are required, the rest defaults to "not seen".
  public init(
    vertex: Int, name: String, status: StepStatus = .unfinished, duration: Double? = nil,
    outputLineCount: Int = 0, errorText: String? = nil, digest: String? = nil,
    outputTail: [String] = [], startedAt: Date? = nil, completedAt: Date? = nil,
    doneDurations: [Double] = [], resolvedReference: String? = nil, otherNames: [String] = [],
    transferredBytes: Int64? = nil
  ) {
    self.vertex = vertex
    self.name = name
    self.status = status
    self.duration = duration
    self.outputLineCount = outputLineCount
    self.errorText = errorText
    self.digest = digest
    self.outputTail = outputTail
    self.startedAt = startedAt
    self.completedAt = completedAt
    self.doneDurations = doneDurations
    self.resolvedReference = resolvedReference
    self.otherNames = otherNames
    self.transferredBytes = transferredBytes
  }

  /// The name read into its parts (service, platform, stage, i/n, instruction, stable key).
  public var parsedName: StepName { StepName(name) }
}

/// A build read from a log: its steps in order of first appearance and what the log says of it.
public struct ParsedBuild: Sendable, Equatable {
  /// The log format the build was read from (plain, tty, rawjson, legacy).
  public var format: LogFormat
  /// The steps in order of first appearance.
  public var steps: [ParsedStep]
  /// How the build ended, as far as the log tells; `unknown` when it does not say.
  public var outcome: BuildOutcome
  /// The builder instance from `#0 building with "X" instance using Y driver`.
  public var builderName: String?
  /// The builder's driver (`docker`, `docker-container`, …).
  public var driver: String?
  /// The final error line (`ERROR: failed to solve: …`), without the `ERROR: ` prefix.
  public var errorMessage: String?
  /// Dockerfile warnings (`WARN:` lines and the warnings summary).
  public var warnings: [String]
  /// Image names from `naming to …` and pushes.
  public var imageNames: [String]
  /// The image digest (`writing image sha256:…`, `exporting manifest list sha256:…`).
  public var imageDigest: String?
  /// Bytes sent for `[internal] load build context` (`transferring context: 48.20kB`).
  public var contextTransferBytes: Int64?
  /// When the build started, when the log has timestamps.
  public var startedAt: Date?
  /// When the build ended, when the log has timestamps.
  public var endedAt: Date?
  /// The CI job this build came from, when the log interleaves jobs (`gh run view --log`).
  public var job: String?
  /// The compose service (or bake target) this build is for, when the log names one.
  public var service: String?
  /// Lines inside this build that no reader recognised.
  public var unrecognizedLineCount: Int
  /// The first physical line number (from 1) of this build in the log.
  public var firstLine: Int
  /// The last physical line number (from 1) of this build in the log.
  public var lastLine: Int

  /// A build in `format`; the rest defaults to "not seen".
  public init(
    format: LogFormat, steps: [ParsedStep] = [], outcome: BuildOutcome = .unknown,
    builderName: String? = nil, driver: String? = nil, errorMessage: String? = nil,
    warnings: [String] = [], imageNames: [String] = [], imageDigest: String? = nil,
    contextTransferBytes: Int64? = nil, startedAt: Date? = nil, endedAt: Date? = nil,
    job: String? = nil, service: String? = nil, unrecognizedLineCount: Int = 0, firstLine: Int = 0,
    lastLine: Int = 0
  ) {
    self.format = format
    self.steps = steps
    self.outcome = outcome
    self.builderName = builderName
    self.driver = driver
    self.errorMessage = errorMessage
    self.warnings = warnings
    self.imageNames = imageNames
    self.imageDigest = imageDigest
    self.contextTransferBytes = contextTransferBytes
    self.startedAt = startedAt
    self.endedAt = endedAt
    self.job = job
    self.service = service
    self.unrecognizedLineCount = unrecognizedLineCount
    self.firstLine = firstLine
    self.lastLine = lastLine
  }

  /// Sum of the steps' durations, in seconds.
  public var summedStepSeconds: Double { steps.reduce(0) { $0 + ($1.duration ?? 0) } }
  /// Wall time when the log has timestamps, else nil.
  public var wallSeconds: Double? {
    guard let s = startedAt, let e = endedAt else { return nil }
    return e.timeIntervalSince(s)
  }
}

/// Everything a log yielded: its builds and the lines outside any build.
public struct ParsedLog: Sendable, Equatable {
  /// The builds found, in log order.
  public var builds: [ParsedBuild]
  /// Physical lines read.
  public var lineCount: Int
  /// Bytes read.
  public var byteCount: Int64
  /// Lines that no reader recognised, inside builds or not.
  public var unrecognizedLineCount: Int
  /// Lines that were not valid UTF-8 (decoded with U+FFFD).
  public var invalidUTF8LineCount: Int
  /// Lines longer than the parser keeps (1 MiB), cut.
  public var cutLineCount: Int
  /// Whether the log holds NUL bytes (a binary file, most likely).
  public var containsNUL: Bool
  /// Lines not stored because a number in them was out of range: negative, NaN or infinite, a
  /// duration over 30 days, a size over 1 PB, a time outside 1970–2199. They count as unrecognised.
  public var refusedLineCount: Int
  /// The first refused lines' numbers (at most 10).
  public var refusedLineNumbers: [Int]
  /// One line of the log as read (at most 160 characters), for the error when no build is found:
  /// the first line that looks like BuildKit's (`#`, `=>`, `Step `) or else the first non-blank one.
  public var sampleLine: String?
  /// The line prefix the parser learned or last tried before a BuildKit token (`[tag], space,
  /// timestamp ...`); nil when no line had a prefix before a token.
  public var prefixTried: String?

  /// A parse result; what is not given defaults to none seen (no cut, refused or NUL lines).
  public init(
    builds: [ParsedBuild], lineCount: Int, byteCount: Int64, unrecognizedLineCount: Int,
    invalidUTF8LineCount: Int,
    cutLineCount: Int = 0, containsNUL: Bool = false, refusedLineCount: Int = 0,
    refusedLineNumbers: [Int] = [], sampleLine: String? = nil, prefixTried: String? = nil
  ) {
    self.sampleLine = sampleLine
    self.prefixTried = prefixTried
    self.refusedLineCount = refusedLineCount
    self.refusedLineNumbers = refusedLineNumbers
    self.builds = builds
    self.lineCount = lineCount
    self.byteCount = byteCount
    self.unrecognizedLineCount = unrecognizedLineCount
    self.invalidUTF8LineCount = invalidUTF8LineCount
    self.cutLineCount = cutLineCount
    self.containsNUL = containsNUL
  }
}
