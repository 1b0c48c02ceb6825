import BuildStore
import BuildtrailKit
import Foundation

extension CachePlumbingFinding {
  /// The cause in words.
  public var summary: String {
    switch kind {
    case .noCache:
      if let stage {
        return
          "the build ran with --no-cache-filter \(stage): no step of stage \(stage) could use the cache"
      }
      return "the build ran with --no-cache: no step could use the cache"
    case .newBuilder:
      return
        "a new builder instance\(describedBuilder) started with an empty cache and no cache was imported"
    case .cacheImportFailed:
      let reason = error.map { ": \(Self.oneLine($0))" } ?? ""
      return
        "the cache import from \(reference ?? "the cache") failed\(reason); the builder\(describedBuilder) had no cache for this step"
    case .cacheImportMissed:
      return
        "the cache imported from \(reference ?? "the cache") did not hold this step, and the builder\(describedBuilder) had no cache of its own"
    }
  }

  /// What to change.
  public var advice: String {
    switch kind {
    case .noCache:
      return stage == nil
        ? "drop --no-cache, or rebuild only what must be fresh with --no-cache-filter STAGE"
        : "drop --no-cache-filter \(stage ?? "") if the stage need not be rebuilt every time"
    case .newBuilder:
      return
        "import a cache into the new builder (--cache-from type=registry,ref=… or type=gha, with a matching "
        + "--cache-to …,mode=max on the default branch), or build on a persistent builder"
    case .cacheImportFailed:
      return
        "check that \(reference ?? "the cache") exists and that the build can read it (a first run, a wrong "
        + "ref or missing credentials), and that a build exports it with --cache-to"
    case .cacheImportMissed:
      return
        "export the cache with --cache-to …,mode=max (mode=min keeps only the final stage's layers) from a build "
        + "of the same target and branch"
    }
  }

  private var describedBuilder: String {
    switch (builder, driver) {
    case (let name?, let driver?): return " (\"\(name)\", \(driver) driver)"
    case (let name?, nil): return " (\"\(name)\")"
    case (nil, let driver?): return " (\(driver) driver)"
    case (nil, nil): return ""
    }
  }

  private static func oneLine(_ text: String) -> String {
    let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    return flat.count > 160 ? String(flat.prefix(159)) + "…" : flat
  }
}
