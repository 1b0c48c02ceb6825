import BuildtrailKit
import BuildtrailRendering
import Foundation
import Testing

/// Reading compose projects from files laid out in a scratch folder.
struct ComposeProjectReaderTests {
  static func project(_ files: [String: String]) throws -> URL {
    let root = try scratchDirectory()
    for (path, text) in files {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return root
  }

  static func read(
    _ root: URL, in folder: String = "", files: [String] = [], environment: [String: String] = [:],
    profiles: [String] = [], projectDirectory: String? = nil, envFiles: [String] = []
  ) throws -> ComposeProject {
    try ComposeProjectReader.read(
      ComposeProjectOptions(
        files: files, projectDirectory: projectDirectory, envFiles: envFiles, profiles: profiles,
        workingDirectory: root.appendingPathComponent(folder).path, environment: environment))
  }

  @Test func defaultFileWithItsOverrideMergesBuildMaps() throws {
    let root = try Self.project([
      "compose.yaml": """
      services:
        api:
          build:
            context: ./api
            target: prod
            args:
              A: "1"
              B: two
        db:
          image: postgres:16
      """,
      "compose.override.yaml": """
      services:
        api:
          build:
            target: dev
            args:
              - B=three
              - C
      """,
    ])
    let project = try Self.read(root)
    #expect(project.files.map(\.lastPathComponent) == ["compose.yaml", "compose.override.yaml"])
    #expect(project.directory.path == root.standardizedFileURL.path)
    let api = try #require(project.services.first { $0.name == "api" }?.build)
    #expect(api.target == "dev")
    #expect(api.arguments == ["A=1", "B=three", "C"])
    #expect(api.contextPath == root.appendingPathComponent("api").standardizedFileURL.path)
    #expect(
      api.dockerfilePath == root.appendingPathComponent("api/Dockerfile").standardizedFileURL.path)
    #expect(try project.servicesToBuild(named: []).map(\.name) == ["api"])
  }

  @Test func defaultNamesAreTriedInOrderAndSearchedUpward() throws {
    let root = try Self.project([
      "docker-compose.yml": "services:\n  a:\n    build: .\n",
      "compose.yml": "services:\n  b:\n    build: .\n",
      "docker-compose.override.yml": "services:\n  b:\n    build:\n      target: t\n",
      "sub/deeper/note.txt": "x",
    ])
    let project = try Self.read(root, in: "sub/deeper")
    #expect(
      project.files.map(\.lastPathComponent) == ["compose.yml", "docker-compose.override.yml"])
    #expect(project.services.map(\.name) == ["b"])
    #expect(project.services[0].build?.target == "t")
  }

  @Test func dashFFilesInOrderLaterOnesOverride() throws {
    let root = try Self.project([
      "base.yml": "services:\n  w:\n    build:\n      context: w\n      dockerfile: W.Dockerfile\n",
      "ci/ci.yml":
        "services:\n  w:\n    build:\n      no_cache: true\n      cache_from: [\"type=local,src=/c\"]\n",
    ])
    let project = try Self.read(root, files: ["base.yml", "ci/ci.yml"])
    let w = try #require(project.services.first?.build)
    #expect(
      w.dockerfilePath == root.appendingPathComponent("w/W.Dockerfile").standardizedFileURL.path)
    #expect(w.noCache)
    #expect(w.cacheFrom == ["type=local,src=/c"])
    #expect(project.directory.path == root.standardizedFileURL.path)
  }

  @Test func composeFileVariableWithItsSeparator() throws {
    let root = try Self.project([
      "one.yml": "services:\n  a:\n    build: ./a\n",
      "two.yml": "services:\n  a:\n    build:\n      target: two\n",
    ])
    let colon = try Self.read(root, environment: ["COMPOSE_FILE": "one.yml:two.yml"])
    #expect(colon.services[0].build?.target == "two")
    let semicolon = try Self.read(
      root, environment: ["COMPOSE_FILE": "one.yml;two.yml", "COMPOSE_PATH_SEPARATOR": ";"])
    #expect(semicolon.files.count == 2)
    #expect(semicolon.services[0].build?.contextPath?.hasSuffix("/a") == true)
  }

  @Test func projectDirectoryResolvesRelativeContexts() throws {
    let root = try Self.project([
      "deploy/compose.yaml": "services:\n  s:\n    build: ./src\n",
      "app/src/Dockerfile": "FROM scratch\n",
    ])
    let project = try Self.read(
      root, files: ["deploy/compose.yaml"], projectDirectory: "app")
    #expect(project.directory.path == root.appendingPathComponent("app").standardizedFileURL.path)
    #expect(
      project.services[0].build?.contextPath
        == root.appendingPathComponent("app/src").standardizedFileURL.path)
  }

  @Test func interpolationFromEnvironmentThenDotEnvEnvironmentWins() throws {
    let root = try Self.project([
      "compose.yaml": """
      services:
        api:
          build:
            context: ${CTX:-./api}
            target: ${TARGET}
            args:
              VERSION: ${VERSION:-0}
              PRICE: $$5
      """,
      ".env": "# comment\nTARGET=from-dotenv\nexport VERSION='1.2'\nCTX=./dotenv-api\n",
    ])
    let project = try Self.read(root, environment: ["CTX": "./env-api"])
    let api = try #require(project.services[0].build)
    #expect(api.contextPath?.hasSuffix("/env-api") == true)
    #expect(api.target == "from-dotenv")
    #expect(api.arguments == ["VERSION=1.2", "PRICE=$5"])
    let other = try Self.project([
      "compose.yaml": "services:\n  s:\n    build:\n      target: ${T}\n",
      "vars.env": "T=from-env-file\n",
    ])
    #expect(
      try Self.read(other, envFiles: ["vars.env"]).services[0].build?.target == "from-env-file")
  }

  @Test func onlyWhatBuildsIsInterpolated() throws {
    let root = try Self.project([
      "compose.yaml": """
      services:
        api:
          build: ./api
          environment:
            DB_PASSWORD: ${DB_PASSWORD:?set it in .env}
        db:
          build:
            target: ${DB_TARGET:?set DB_TARGET}
      """
    ])
    #expect(throws: ComposeError.self) { try Self.read(root) }
    let project = try Self.read(root, environment: ["DB_TARGET": "pg"])
    #expect(project.services.map(\.name) == ["api", "db"])
    #expect(project.services[1].build?.target == "pg")
  }

  @Test func longFormFields() throws {
    let root = try Self.project([
      "compose.yaml": """
      x-common: &common
        network: none
        args: { SHARED: "yes" }
      services:
        web:
          build:
            <<: *common
            context: .
            dockerfile_inline: |
              FROM local/busybox:1
              RUN echo inline
            additional_contexts:
              - assets=./assets
            cache_to: [type=inline]
        remote:
          build: https://github.com/acme/app.git#main
      """
    ])
    let project = try Self.read(root)
    let web = try #require(project.services.first { $0.name == "web" }?.build)
    #expect(web.network == "none")
    #expect(web.arguments == ["SHARED=yes"])
    #expect(web.dockerfilePath == nil)
    #expect(web.dockerfileInline == "FROM local/busybox:1\nRUN echo inline\n")
    #expect(web.additionalContexts == ["assets": "./assets"])
    #expect(web.cacheTo == ["type=inline"])
    let remote = try #require(project.services.first { $0.name == "remote" }?.build)
    #expect(remote.contextPath == nil)
    #expect(remote.contextArgument == "https://github.com/acme/app.git#main")
  }

  @Test func profilesAndNamedServices() throws {
    let root = try Self.project([
      "compose.yaml": """
      services:
        api:
          build: ./api
          depends_on: [db, tools]
        tools:
          build: ./tools
          profiles: [debug]
        db:
          image: postgres:16
      """
    ])
    #expect(try Self.read(root).servicesToBuild(named: []).map(\.name) == ["api"])
    #expect(
      try Self.read(root, profiles: ["debug"]).servicesToBuild(named: []).map(\.name)
        == ["api", "tools"])
    #expect(
      try Self.read(root, environment: ["COMPOSE_PROFILES": "debug,other"])
        .servicesToBuild(named: []).map(\.name) == ["api", "tools"])
    let project = try Self.read(root)
    #expect(try project.servicesToBuild(named: ["tools"]).map(\.name) == ["tools"])
    #expect(try project.servicesToBuild(named: ["api"]).map(\.name) == ["api"])
    #expect(try project.servicesToBuild(named: ["db"]).isEmpty)
    do {
      _ = try project.servicesToBuild(named: ["nope"])
      Issue.record("no error")
    } catch let error as ComposeError {
      #expect(error.errorDescription?.contains("no service 'nope' in") == true)
      #expect(error.errorDescription?.contains("api, tools, db") == true)
    }
  }

  @Test func errorsAreOneLineNamingTheFile() throws {
    let root = try Self.project([
      "bad.yml": "services:\n  a: [unclosed\n",
      "top.yml": "- a\n- b\n",
      "big.yml": String(repeating: "# padding\n", count: 450_000),
    ])
    for (file, fragment) in [
      ("bad.yml", "bad.yml cannot be read"), ("top.yml", "the top level is not a mapping"),
      ("missing.yml", "no such file"), ("big.yml", "over the 4194304"),
    ] {
      do {
        _ = try Self.read(root, files: [file])
        Issue.record("\(file): no error")
      } catch let error as ComposeError {
        let text = error.errorDescription ?? ""
        #expect(text.contains(fragment), "\(file): \(text)")
        #expect(!text.contains("\n"), "\(file): \(text)")
      }
    }
    let empty = try Self.project(["note.txt": "x"])
    #expect(throws: ComposeError.noComposeFile(directory: empty.standardizedFileURL.path)) {
      try Self.read(empty)
    }
  }

  @Test func aliasBombIsRefused() throws {
    var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1...9 {
      let previous = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
      yaml += "a\(level): &a\(level) [\(previous)]\n"
    }
    yaml += "services:\n  s:\n    build: .\n"
    let root = try Self.project(["compose.yaml": yaml])
    do {
      _ = try Self.read(root)
      Issue.record("no error")
    } catch let error as ComposeError {
      #expect(error.errorDescription?.contains("more than 200000 nodes") == true)
    }
  }
}
