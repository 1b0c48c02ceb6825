import Foundation
import Testing

/// The compose service as a dimension of the history: stored from the log's `Building NAME` lines,
/// listed, filtered, and used to pick baselines, so that one service's build is never compared with
/// another's.
@Suite struct ServiceDimensionTests {
  /// A compose v1 log (legacy builder) of `db` then `web`; `webCached` makes web's COPY a cache hit.
  static func log(webCached: Bool, dbCached: Bool = true) -> String {
    let db =
      dbCached
      ? " ---> Using cache\n ---> 8c3159f2887f\n"
      : " ---> Running in 52fef8c86ea8\nRemoving intermediate container 52fef8c86ea8\n ---> 8c3159f2887f\n"
    let web =
      webCached
      ? " ---> Using cache\n ---> 2d3efceee9a2\n"
      : " ---> 2d3efceee9a2\n"
    return """
      Building db
      Step 1/2 : FROM postgres:16
       ---> 53912975086f
      Step 2/2 : ENV POSTGRES_DB app
      \(db)Successfully built 8c3159f2887f
      Successfully tagged proj_db:latest
      Building web
      Step 1/3 : FROM python:3.12
       ---> 27da2af61908
      Step 2/3 : COPY app.py /app/app.py
      \(web)Step 3/3 : CMD ["python", "/app/app.py"]
       ---> Using cache
       ---> de7a907976f3
      Successfully built de7a907976f3
      Successfully tagged proj_web:latest

      """
  }

  static func history() throws -> (db: String, dir: URL) {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("history.db").path
    for (n, text) in [log(webCached: true, dbCached: false), log(webCached: false)].enumerated() {
      let path = dir.appendingPathComponent("build-\(n).log")
      try Data(text.utf8).write(to: path)
      let r = try CLI.run(["record", path.path, "--db", db, "--no-metadata"], in: dir)
      try #require(r.status == 0, "record: \(r.stderr)" as Comment)
    }
    return (db, dir)
  }

  @Test func eachServiceIsItsOwnBuildAndListsFilterByIt() throws {
    let (db, dir) = try Self.history()
    let all = try CLI.builds(db: db)
    #expect(all.compactMap { $0["service"] as? String } == ["web", "db", "web", "db"])

    let web = try CLI.run(["builds", "--db", db, "--service", "web", "--format", "json"], in: dir)
    let list = try #require(
      (try JSONSerialization.jsonObject(with: Data(web.stdout.utf8)) as? [String: Any])?["builds"]
        as? [[String: Any]])
    #expect(list.map { $0["id"] as? Int } == [4, 2])

    let csv = try CLI.run(["builds", "--db", db, "--format", "csv"], in: dir)
    let header = csv.stdout.split(separator: "\n").first.map(String.init) ?? ""
    #expect(header.hasSuffix(",subject,service"))
    #expect(
      csv.stdout.split(separator: "\n").dropFirst().allSatisfy {
        $0.hasSuffix(",web") || $0.hasSuffix(",db")
      })

    let table = try CLI.run(["builds", "--db", db], in: dir)
    #expect(table.stdout.contains("SERVICE"))
    let show = try CLI.run(["show", "4", "--db", db], in: dir)
    #expect(show.stdout.contains("service  web"))
  }

  @Test func baselinesCompareTheSameService() throws {
    let (db, dir) = try Self.history()
    // The latest build of db (3) is compared with db's build 1, never with web's build 2.
    let why = try CLI.run(["why", "--db", db, "--service", "db", "--format", "json"], in: dir)
    try #require(why.status == 0, Comment(rawValue: why.stderr))
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(why.stdout.utf8)) as? [String: Any])
    let explanation = try #require(object["why"] as? [String: Any])
    #expect((explanation["build"] as? [String: Any])?["id"] as? Int == 3)
    #expect((explanation["baseline"] as? [String: Any])?["id"] as? Int == 1)

    let web = try CLI.run(["why", "4", "--db", db, "--format", "json"], in: dir)
    let webObject = try #require(
      try JSONSerialization.jsonObject(with: Data(web.stdout.utf8)) as? [String: Any])
    #expect(
      ((webObject["why"] as? [String: Any])?["baseline"] as? [String: Any])?["id"] as? Int == 2)

    let check = try CLI.run(["check", "--db", db, "--service", "db", "--format", "json"], in: dir)
    let checked = try #require(
      try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
    #expect(((checked["check"] as? [String: Any])?["build"] as? [String: Any])?["id"] as? Int == 3)
    #expect((checked["check"] as? [String: Any])?["baseline_builds"] as? [Int] == [1])
  }

  @Test func unknownServiceIsAOneLineErrorNamingIt() throws {
    let (db, dir) = try Self.history()
    let r = try CLI.run(["why", "--db", db, "--service", "api"], in: dir)
    #expect(r.status != 0)
    #expect(r.stderr.contains("no build of service api"))
    #expect(r.stderr.split(separator: "\n").count == 1)
  }

  @Test func trendBrokeAndRegressionsNameTheService() throws {
    let (db, dir) = try Self.history()
    let trend = try CLI.run(
      ["trend", "--db", db, "--service", "web", "--format", "json"], in: dir)
    try #require(trend.status == 0, Comment(rawValue: trend.stderr))
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(trend.stdout.utf8)) as? [String: Any])
    let series = try #require(object["trend"] as? [String: Any])
    #expect(series["service"] as? String == "web")
    #expect((series["points"] as? [[String: Any]])?.map { $0["build"] as? Int } == [2, 4])

    let broke = try CLI.run(["broke", "--db", db, "--service", "db"], in: dir)
    try #require(broke.status == 0, Comment(rawValue: broke.stderr))
    #expect(broke.stdout.contains("(service db)"))
  }
}

extension ServiceDimensionTests {
  @Test func exportAndImportKeepTheService() throws {
    let (db, dir) = try Self.history()
    let exported = try CLI.run(["export", "--db", db], in: dir)
    try #require(exported.status == 0, Comment(rawValue: exported.stderr))
    let file = dir.appendingPathComponent("history.jsonl")
    try Data(exported.stdout.utf8).write(to: file)
    let copy = dir.appendingPathComponent("copy.db").path
    let imported = try CLI.run(["import", file.path, "--db", copy], in: dir)
    try #require(imported.status == 0, Comment(rawValue: imported.stderr))
    #expect(
      try CLI.builds(db: copy).compactMap { $0["service"] as? String } == [
        "web", "db", "web", "db",
      ])
  }
}
