import BuildLog
import Foundation

/// How a build was connected to its cache: the wrapped command's cache flags and what the log showed
/// of the builder and its cache imports.
public struct CachePlumbingFact: Sendable, Equatable, Codable {
  /// Whether the flags below were read from the command buildtrail ran (`record --`); when false the
  /// log was recorded from a file and the flags are unknown.
  public var commandKnown: Bool
  /// `--no-cache`.
  public var noCache: Bool
  /// `--no-cache-filter` stages.
  public var noCacheFilter: [String]
  /// `--cache-from` / `--import-cache` values.
  public var cacheFrom: [String]
  /// `--cache-to` / `--export-cache` values.
  public var cacheTo: [String]
  /// The builder named with `--builder`.
  public var builderFlag: String?
  /// Whether buildx booted the builder for this build (`[internal] booting buildkit` in the log).
  public var bootedBuilder: Bool
  /// The log's cache imports and how each ended.
  public var cacheImports: [BuilderEvidence.CacheImport]
  /// The log's cache exports, as printed.
  public var cacheExports: [String]

  /// The cache plumbing of a build; only whether the command was known is required.
  public init(
    commandKnown: Bool, noCache: Bool = false, noCacheFilter: [String] = [],
    cacheFrom: [String] = [],
    cacheTo: [String] = [], builderFlag: String? = nil, bootedBuilder: Bool = false,
    cacheImports: [BuilderEvidence.CacheImport] = [], cacheExports: [String] = []
  ) {
    self.commandKnown = commandKnown
    self.noCache = noCache
    self.noCacheFilter = noCacheFilter
    self.cacheFrom = cacheFrom
    self.cacheTo = cacheTo
    self.builderFlag = builderFlag
    self.bootedBuilder = bootedBuilder
    self.cacheImports = cacheImports
    self.cacheExports = cacheExports
  }

  /// The command's flags with what `build`'s log shows of the builder and its cache imports.
  public func with(log build: ParsedBuild) -> CachePlumbingFact {
    let evidence = BuilderEvidence(scanning: build)
    var fact = self
    fact.bootedBuilder = evidence.bootedBuilder
    fact.cacheImports = evidence.cacheImports
    fact.cacheExports = evidence.cacheExports
    return fact
  }
}
