import BuildLog
import Foundation
import GRDB

/// Reads the tables of schemas 7 and 8 (`build_failure`, `build_argument`, `build_cache_plumbing`,
/// `build_cache_import`) for the migration to schema 10, which moves their facts into records.
/// A value of an unexpected class reads as missing: a history from elsewhere cannot trap it.
enum LegacyInvocationReader {
  struct Invocation {
    var failure: StoredFailure?
    var arguments: [BuildArgumentFact] = []
    var plumbing: CachePlumbingFact?
  }

  /// The facts of every build that has any, by build id.
  static func invocations(_ db: Database) throws -> [Int64: Invocation] {
    var result: [Int64: Invocation] = [:]
    for row in try Row.fetchAll(
      db,
      sql:
        "SELECT build_id, step_position, tool, message, signature, lines, exit_code FROM build_failure"
    ) {
      guard let id = int(row[0]) else { continue }
      result[id, default: Invocation()].failure = StoredFailure(
        stepPosition: int(row[1]).flatMap { Int(exactly: $0) }, tool: text(row[2]) ?? "",
        message: text(row[3]) ?? "", signature: text(row[4]) ?? "", lines: list(row[5]),
        exitCode: int(row[6]).flatMap { Int(exactly: $0) })
    }
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT build_id, name, value, value_sha256, secret, source, from_environment
        FROM build_argument ORDER BY build_id, position
        """)
    {
      guard let id = int(row[0]) else { continue }
      let secret = int(row[4]) == 1
      result[id, default: Invocation()].arguments.append(
        BuildArgumentFact(
          name: text(row[1]) ?? "", value: secret ? nil : text(row[2]), sha256: text(row[3]),
          secret: secret, source: text(row[5]) == "option" ? .option : .command,
          fromEnvironment: int(row[6]) == 1))
    }
    var imports: [Int64: [BuilderEvidence.CacheImport]] = [:]
    for row in try Row.fetchAll(
      db,
      sql:
        "SELECT build_id, reference, outcome, error FROM build_cache_import ORDER BY build_id, position"
    ) {
      guard let id = int(row[0]) else { continue }
      imports[id, default: []].append(
        BuilderEvidence.CacheImport(
          reference: text(row[1]) ?? "",
          outcome: text(row[2]).flatMap(BuilderEvidence.ImportOutcome.init(rawValue:))
            ?? .unfinished, error: text(row[3])))
    }
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT build_id, command_known, no_cache, no_cache_filter, cache_from, cache_to, builder_flag,
          booted_builder, cache_exports
        FROM build_cache_plumbing
        """)
    {
      guard let id = int(row[0]) else { continue }
      result[id, default: Invocation()].plumbing = CachePlumbingFact(
        commandKnown: int(row[1]) == 1, noCache: int(row[2]) == 1, noCacheFilter: list(row[3]),
        cacheFrom: list(row[4]), cacheTo: list(row[5]), builderFlag: text(row[6]),
        bootedBuilder: int(row[7]) == 1, cacheImports: imports[id] ?? [],
        cacheExports: list(row[8]))
    }
    return result
  }

  private static func int(_ value: DatabaseValue) -> Int64? { Int64.fromDatabaseValue(value) }

  private static func text(_ value: DatabaseValue) -> String? { String.fromDatabaseValue(value) }

  /// A JSON array of strings; empty when it is not one.
  private static func list(_ value: DatabaseValue) -> [String] {
    guard let text = text(value),
      let values = try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    else { return [] }
    return values
  }
}
