import Foundation

/// What a build's log tells about the builder that ran it and where its cache came from: the builder
/// instance and driver (`#0 building with "ci" instance using docker-container driver`), whether buildx
/// started the builder for this build (`[internal] booting buildkit`), and each cache import
/// (`importing cache manifest from <ref>`) with how it ended.
///
/// A failed cache import does not fail the build: BuildKit logs the error on the import's vertex and
/// builds on without that cache.
public struct BuilderEvidence: Sendable, Equatable, Codable {
  /// How a cache import ended.
  public enum ImportOutcome: String, Sendable, Equatable, Codable {
    /// The manifest was read (`DONE`, or `CACHED`).
    case imported
    /// The import's vertex reported an `ERROR`: the build ran without this cache.
    case failed
    /// The log never said how it ended.
    case unfinished
  }

  /// One `importing cache manifest from <ref>` vertex.
  public struct CacheImport: Sendable, Equatable, Codable {
    /// The cache reference as printed (`ghcr.io/acme/app:buildcache`, `gha:…`, `local:…`).
    public var reference: String
    /// Whether the import found a cache, found none, failed or never ended.
    public var outcome: ImportOutcome
    /// The vertex's error text, when it failed.
    public var error: String?

    /// An import of `reference` that ended with `outcome` (and `error`, when it failed).
    public init(reference: String, outcome: ImportOutcome, error: String? = nil) {
      self.reference = reference
      self.outcome = outcome
      self.error = error
    }
  }

  /// The builder instance, from the `#0 building with` line (buildx ≥ 0.11).
  public var builderName: String?
  /// The builder's driver (`docker`, `docker-container`, `kubernetes`, `remote`).
  public var driver: String?
  /// Whether buildx booted the builder for this build (`[internal] booting buildkit`): a builder that was
  /// not running before, which starts with whatever cache its state volume kept (none when just created).
  public var bootedBuilder: Bool
  /// The cache imports, in log order.
  public var cacheImports: [CacheImport]
  /// The cache exports (`exporting cache to registry`, `exporting inline cache`, …), as printed.
  public var cacheExports: [String]

  /// Evidence of the builder; the defaults are what a log without a `#0 building with` line shows.
  public init(
    builderName: String? = nil, driver: String? = nil, bootedBuilder: Bool = false,
    cacheImports: [CacheImport] = [], cacheExports: [String] = []
  ) {
    self.builderName = builderName
    self.driver = driver
    self.bootedBuilder = bootedBuilder
    self.cacheImports = cacheImports
    self.cacheExports = cacheExports
  }

  /// Reads the evidence from a parsed build's steps and `#0` line.
  public init(scanning build: ParsedBuild) {
    self.init(builderName: build.builderName, driver: build.driver)
    for step in build.steps {
      let name = StepName(step.name)
      switch name.kind {
      case .cacheImport:
        let prefix = "importing cache manifest from "
        let reference =
          name.text.hasPrefix(prefix) ? String(name.text.dropFirst(prefix.count)) : name.text
        let outcome: ImportOutcome
        switch step.status {
        case .done, .cached: outcome = .imported
        case .error: outcome = .failed
        case .canceled, .unfinished: outcome = .unfinished
        }
        cacheImports.append(
          CacheImport(
            reference: reference, outcome: outcome, error: outcome == .failed ? step.errorText : nil
          ))
      case .cacheExport:
        cacheExports.append(name.text)
      case .internal where name.text.hasPrefix("booting buildkit"):
        bootedBuilder = true
      default:
        break
      }
    }
  }

  /// Whether a step's `ERROR` leaves the build running: a cache import's failure only loses that cache.
  public static func isNonFatal(_ step: ParsedStep) -> Bool {
    step.status == .error && StepName(step.name).kind == .cacheImport
  }
}
