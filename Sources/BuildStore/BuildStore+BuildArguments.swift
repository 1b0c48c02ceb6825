import BuildLog
import Foundation
import GRDB

extension BuildStore {
  /// Stores a build's arguments and cache plumbing (schema 7), in the recording or import transaction.
  /// Plumbing with nothing in it (a log from a file that shows no builder boot, import or export) is
  /// not stored: it reads back as nil, like a build recorded before schema 7.
  static func insertInvocation(
    buildID: Int64, arguments: [BuildArgumentFact], plumbing: CachePlumbingFact?, _ db: Database
  ) throws {
    for (position, argument) in arguments.enumerated() {
      try run(
        db,
        sql: """
          INSERT INTO build_argument (build_id, position, name, value, value_sha256, secret, source, from_environment)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          buildID, position, argument.name, argument.secret ? nil : argument.value, argument.sha256,
          argument.secret, argument.source.rawValue, argument.fromEnvironment,
        ])
    }
    guard let plumbing, plumbing != CachePlumbingFact(commandKnown: false) else { return }
    try run(
      db,
      sql: """
        INSERT INTO build_cache_plumbing (build_id, command_known, no_cache, no_cache_filter, cache_from, cache_to,
          builder_flag, booted_builder, cache_exports)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        buildID, plumbing.commandKnown, plumbing.noCache, jsonList(plumbing.noCacheFilter),
        jsonList(plumbing.cacheFrom), jsonList(plumbing.cacheTo), plumbing.builderFlag,
        plumbing.bootedBuilder,
        jsonList(plumbing.cacheExports),
      ])
    for (position, cacheImport) in plumbing.cacheImports.enumerated() {
      try run(
        db,
        sql:
          "INSERT INTO build_cache_import (build_id, position, reference, outcome, error) VALUES (?, ?, ?, ?, ?)",
        arguments: [
          buildID, position, cacheImport.reference, cacheImport.outcome.rawValue, cacheImport.error,
        ])
    }
  }

  /// The arguments recorded with build `buildID`, in the order they were given.
  static func buildArguments(buildID: Int64, _ db: Database) throws -> [BuildArgumentFact] {
    try Row.fetchAll(
      db,
      sql: """
        SELECT name, value, value_sha256, secret, source, from_environment FROM build_argument
        WHERE build_id = ? ORDER BY position
        """, arguments: [buildID]
    ).map {
      BuildArgumentFact(
        name: $0[0], value: $0[1], sha256: $0[2], secret: $0[3],
        source: BuildArgumentFact.Source(rawValue: $0[4]) ?? .command, fromEnvironment: $0[5])
    }
  }

  /// The cache plumbing recorded with build `buildID`; nil for builds recorded before schema 7.
  static func cachePlumbing(buildID: Int64, _ db: Database) throws -> CachePlumbingFact? {
    guard
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT command_known, no_cache, no_cache_filter, cache_from, cache_to, builder_flag, booted_builder,
            cache_exports
          FROM build_cache_plumbing WHERE build_id = ?
          """, arguments: [buildID])
    else { return nil }
    let imports = try Row.fetchAll(
      db,
      sql:
        "SELECT reference, outcome, error FROM build_cache_import WHERE build_id = ? ORDER BY position",
      arguments: [buildID]
    ).map {
      BuilderEvidence.CacheImport(
        reference: $0[0], outcome: BuilderEvidence.ImportOutcome(rawValue: $0[1]) ?? .unfinished,
        error: $0[2])
    }
    return CachePlumbingFact(
      commandKnown: row[0], noCache: row[1], noCacheFilter: stringList(row[2]),
      cacheFrom: stringList(row[3]),
      cacheTo: stringList(row[4]), builderFlag: row[5], bootedBuilder: row[6],
      cacheImports: imports,
      cacheExports: stringList(row[7]))
  }

  private static func jsonList(_ values: [String]) -> String {
    guard let data = try? JSONEncoder().encode(values) else { return "[]" }
    return String(decoding: data, as: UTF8.self)
  }

  private static func stringList(_ text: String?) -> [String] {
    guard let text, let values = try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    else { return [] }
    return values
  }
}
