import BuildLog
import BuildStore
import Foundation

/// A step missed with no input changed because of how the build reached its cache: `--no-cache`, a
/// builder instance that started empty, a cache import that failed or did not hold the step.
public struct CachePlumbingFinding: Sendable, Equatable, Codable {
  /// What went wrong, as the cause kind `why` reports.
  public enum Kind: String, Sendable, Equatable, Codable {
    /// `--no-cache`, or `--no-cache-filter` naming the step's stage.
    case noCache = "no-cache"
    /// A new builder instance started with an empty cache and no cache was imported.
    case newBuilder = "new-builder"
    /// A cache import failed; the build ran without that cache.
    case cacheImportFailed = "cache-import-failed"
    /// The cache was imported but did not hold the step.
    case cacheImportMissed = "cache-import-missed"
  }

  /// What went wrong with the cache plumbing.
  public var kind: Kind
  /// The builder instance, when the log names it.
  public var builder: String?
  /// The builder's driver, when the log names it.
  public var driver: String?
  /// The cache reference of a failed or missed import.
  public var reference: String?
  /// The import's error text.
  public var error: String?
  /// The `--no-cache-filter` stage that matched.
  public var stage: String?

}

/// Reads a build's cache plumbing for why a step missed with no input changed. A builder whose cache
/// was pruned keeps its instance (same name, not booted for the build, no import): that stays
/// "the builder's cache was lost".
struct CachePlumbingCause {
  var build: BuildDetail
  var baseline: BuildDetail

  func finding(for step: StoredStep) -> CachePlumbingFinding? {
    let plumbing = build.cachePlumbing
    let builder = build.builderName
    let driver = build.driver
    if let plumbing, plumbing.commandKnown {
      if plumbing.noCache {
        return CachePlumbingFinding(kind: .noCache, builder: builder, driver: driver)
      }
      if let stage = step.stage,
        plumbing.noCacheFilter.contains(where: { $0.lowercased() == stage.lowercased() })
      {
        return CachePlumbingFinding(kind: .noCache, builder: builder, driver: driver, stage: stage)
      }
    }
    let imports = plumbing?.cacheImports ?? Self.importsFromSteps(of: build)
    if let failed = imports.first(where: { $0.outcome == .failed }),
      !imports.contains(where: { $0.outcome == .imported })
    {
      return CachePlumbingFinding(
        kind: .cacheImportFailed, builder: builder, driver: driver, reference: failed.reference,
        error: failed.error)
    }
    guard isNewBuilder else { return nil }
    if let imported = imports.first(where: { $0.outcome == .imported }) {
      return CachePlumbingFinding(
        kind: .cacheImportMissed, builder: builder, driver: driver, reference: imported.reference)
    }
    return CachePlumbingFinding(kind: .newBuilder, builder: builder, driver: driver)
  }

  /// For builds recorded before schema 7: the cache imports read again from the stored steps.
  static func importsFromSteps(of build: BuildDetail) -> [BuilderEvidence.CacheImport] {
    build.steps.filter { $0.kind == .cacheImport }.map { step in
      let prefix = "importing cache manifest from "
      let text =
        step.name.range(of: prefix).map { String(step.name[$0.upperBound...]) } ?? step.name
      let outcome: BuilderEvidence.ImportOutcome =
        step.status == .error
        ? .failed : step.status == .done || step.status == .cached ? .imported : .unfinished
      return BuilderEvidence.CacheImport(reference: text, outcome: outcome, error: step.errorText)
    }
  }

  /// buildx booted the builder for this build, or the build ran on another instance than the baseline
  /// with a driver that keeps its cache per instance (not the Docker daemon's own builder).
  private var isNewBuilder: Bool {
    if build.cachePlumbing?.bootedBuilder
      ?? build.steps.contains(where: {
        $0.kind == .internal && $0.name.hasSuffix("booting buildkit")
      })
    {
      return true
    }
    guard let now = build.builderName, let then = baseline.builderName, now != then else {
      return false
    }
    return build.driver != "docker"
  }
}
