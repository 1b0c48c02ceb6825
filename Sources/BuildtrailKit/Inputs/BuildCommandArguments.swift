import Foundation

// One cohesive thing at about 400 lines: the flags of docker build, buildx, compose and buildctl that matter to the cache.

/// What a wrapped `docker [buildx|compose] build` or `buildctl build` command line asks for.
public struct BuildCommandArguments: Sendable, Equatable {
  /// The front end that runs the build.
  public enum Tool: String, Sendable, Equatable {
    /// `docker build` / `docker image build` / `docker builder build`.
    case docker
    /// `docker buildx build`.
    case buildx
    /// `docker compose build` / `docker-compose build`.
    case compose
    /// `buildctl build`.
    case buildctl
  }

  /// The front end that runs the build.
  public var tool: Tool
  /// The context argument as written (`.`, `-`, a URL), nil for compose.
  public var contextArgument: String?
  /// The local context directory, nil for stdin (`-`), remote (URL) contexts and compose.
  public var contextPath: String?
  /// The Dockerfile path as the command resolves it, nil when it comes from stdin or is unknown.
  public var dockerfilePath: String?
  /// The `--target` stage.
  public var target: String?
  /// Image names from `-t/--tag` and `name=` of `--output`.
  public var tags: [String]
  /// Platforms from `--platform` (comma lists split).
  public var platforms: [String]
  /// Whether `--progress` was given.
  public var hasProgressFlag: Bool
  /// The `--progress` value, if any.
  public var progress: String?
  /// Services named on a `compose build` command line.
  public var services: [String]
  /// `--build-arg` words in order (`K=V`, or `K` to take the value from the environment); buildctl's
  /// `--opt build-arg:K=V` as `K=V`.
  public var buildArguments: [String] = []
  /// `--no-cache` (buildctl: also `--opt no-cache=` with no stage): no step may use the cache.
  public var noCache: Bool = false
  /// `--no-cache-filter` stages (buildctl: `--opt no-cache=a,b`): their steps may not use the cache.
  public var noCacheFilter: [String] = []
  /// `--cache-from` (buildctl `--import-cache`) values, as written.
  public var cacheFrom: [String] = []
  /// `--cache-to` (buildctl `--export-cache`) values, as written.
  public var cacheTo: [String] = []
  /// The buildx builder named with `--builder`.
  public var builder: String?
  /// For `compose build`: the project flags and services (nil for other tools).
  public var compose: ComposeCommand?

  /// Creates a value; `parse(_:)` is the usual source.
  public init(
    tool: Tool, contextArgument: String? = nil, contextPath: String? = nil,
    dockerfilePath: String? = nil,
    target: String? = nil, tags: [String] = [], platforms: [String] = [],
    hasProgressFlag: Bool = false,
    progress: String? = nil, services: [String] = []
  ) {
    self.tool = tool
    self.contextArgument = contextArgument
    self.contextPath = contextPath
    self.dockerfilePath = dockerfilePath
    self.target = target
    self.tags = tags
    self.platforms = platforms
    self.hasProgressFlag = hasProgressFlag
    self.progress = progress
    self.services = services
  }

  /// Long `docker build` / `buildx build` flags that take a value.
  public static let dockerValueFlags: Set<String> = [
    "add-host", "allow", "annotation", "attest", "build-arg", "build-context", "builder",
    "cache-from", "cache-to",
    "call", "cgroup-parent", "cpu-period", "cpu-quota", "cpu-shares", "cpuset-cpus", "cpuset-mems",
    "file", "iidfile",
    "isolation", "label", "memory", "memory-swap", "metadata-file", "network", "no-cache-filter",
    "output", "platform",
    "policy", "print", "progress", "provenance", "resource", "sbom", "secret", "security-opt",
    "shm-size", "ssh", "tag",
    "target", "ulimit",
  ]
  private static let dockerShortValueFlags: [Character: String] = [
    "t": "tag", "f": "file", "o": "output", "m": "memory", "c": "cpu-shares",
  ]
  private static let dockerGlobalValueFlags: Set<String> = [
    "config", "context", "host", "log-level", "tlscacert", "tlscert", "tlskey",
  ]
  private static let dockerGlobalShortValueFlags: [Character: String] = [
    "c": "context", "H": "host", "l": "log-level",
  ]
  private static let buildxGlobalValueFlags: Set<String> = ["builder", "timeout"]
  private static let composeGlobalValueFlags: Set<String> = [
    "file", "project-name", "project-directory", "env-file", "profile", "progress", "ansi",
    "parallel", "host", "context", "log-level", "tlscacert", "tlscert", "tlskey",
  ]
  private static let composeGlobalShortValueFlags: [Character: String] = [
    "f": "file", "p": "project-name", "H": "host", "c": "context",
  ]
  private static let composeBuildValueFlags: Set<String> = [
    "build-arg", "builder", "memory", "ssh", "progress",
  ]
  private static let buildctlGlobalValueFlags: Set<String> = [
    "addr", "tlsservername", "tlscacert", "tlscert", "tlskey", "tlsdir", "timeout", "log-format",
  ]
  private static let buildctlBuildValueFlags: Set<String> = [
    "output", "progress", "trace", "local", "oci-layout", "frontend", "opt", "export-cache",
    "import-cache", "secret",
    "allow", "ssh", "metadata-file", "source-policy-file", "ref-file", "registry-auth-tlscontext",
  ]

  /// Reads a build command line (`argv`, program first); nil when it is not a build command this understands.
  public static func parse(_ arguments: [String]) -> BuildCommandArguments? {
    let argv = droppingLauncher(arguments)
    guard let program = argv.first else { return nil }
    let name = (program as NSString).lastPathComponent
    let rest = Array(argv.dropFirst())
    switch name {
    case "docker":
      return parseDocker(rest)
    case "docker-compose":
      return parseCompose(rest)
    case "buildctl":
      return parseBuildctl(rest)
    default:
      return nil
    }
  }

  private static func droppingLauncher(_ arguments: [String]) -> [String] {
    var index = 0
    var afterLauncher = false
    while index < arguments.count {
      let word = arguments[index]
      if word == "sudo" || word == "env" {
        afterLauncher = true
      } else if afterLauncher, word.hasPrefix("-") {
      } else if isEnvironmentAssignment(word) {
        afterLauncher = true
      } else {
        break
      }
      index += 1
    }
    return Array(arguments[index...])
  }

  private static func isEnvironmentAssignment(_ word: String) -> Bool {
    guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
    return word[..<equals].allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
      && word.first?.isNumber == false
  }

  private static func parseDocker(_ arguments: [String]) -> BuildCommandArguments? {
    let global = FlagScan(
      arguments, valueFlags: dockerGlobalValueFlags, shortValueFlags: dockerGlobalShortValueFlags,
      stopAtPositional: true)
    guard let command = global.firstPositional else { return nil }
    var rest = Array(arguments[(command.index + 1)...])
    switch command.word {
    case "build":
      return dockerBuild(rest, tool: .docker)
    case "image", "builder":
      guard rest.first == "build" else { return nil }
      return dockerBuild(Array(rest.dropFirst()), tool: .docker)
    case "buildx":
      let buildx = FlagScan(
        rest, valueFlags: buildxGlobalValueFlags, shortValueFlags: [:], stopAtPositional: true)
      guard let sub = buildx.firstPositional, sub.word == "build" || sub.word == "b" else {
        return nil
      }
      rest = Array(rest[(sub.index + 1)...])
      var result = dockerBuild(rest, tool: .buildx)
      if result.builder == nil { result.builder = buildx.values("builder").last }
      return result
    case "compose":
      return parseCompose(rest)
    default:
      return nil
    }
  }

  private static func dockerBuild(_ arguments: [String], tool: Tool) -> BuildCommandArguments {
    let scan = FlagScan(
      arguments, valueFlags: dockerValueFlags, shortValueFlags: dockerShortValueFlags)
    var result = BuildCommandArguments(tool: tool)
    result.contextArgument = scan.positionals.last
    if let context = result.contextArgument, context != "-", !isRemote(context) {
      result.contextPath = context
    }
    result.target = scan.values("target").last
    result.tags = scan.values("tag") + scan.values("output").flatMap(outputNames)
    result.platforms = scan.values("platform").flatMap(splitList)
    result.hasProgressFlag = scan.has("progress")
    result.progress = scan.values("progress").last
    result.buildArguments = scan.values("build-arg")
    result.noCache = scan.isSet("no-cache")
    result.noCacheFilter = scan.values("no-cache-filter").flatMap(splitList)
    result.cacheFrom = scan.values("cache-from")
    result.cacheTo = scan.values("cache-to")
    result.builder = scan.values("builder").last
    if let file = scan.values("file").last {
      result.dockerfilePath = file == "-" ? nil : file
    } else if let context = result.contextPath {
      result.dockerfilePath = joined(context, "Dockerfile")
    }
    return result
  }

  private static func parseCompose(_ arguments: [String]) -> BuildCommandArguments? {
    let global = FlagScan(
      arguments, valueFlags: composeGlobalValueFlags, shortValueFlags: composeGlobalShortValueFlags,
      stopAtPositional: true)
    guard let command = global.firstPositional, command.word == "build" else { return nil }
    let scan = FlagScan(
      Array(arguments[(command.index + 1)...]), valueFlags: composeBuildValueFlags,
      shortValueFlags: ["m": "memory"])
    let progress = global.values("progress") + scan.values("progress")
    var result = BuildCommandArguments(
      tool: .compose, hasProgressFlag: global.has("progress") || scan.has("progress"),
      progress: progress.last,
      services: scan.positionals)
    result.buildArguments = scan.values("build-arg")
    result.noCache = scan.isSet("no-cache")
    result.builder = scan.values("builder").last
    result.compose = ComposeCommand(
      files: global.values("file"), projectName: global.values("project-name").last,
      projectDirectory: global.values("project-directory").last,
      envFiles: global.values("env-file"), profiles: global.values("profile"),
      services: scan.positionals, pull: scan.isSet("pull"),
      quiet: scan.isSet("quiet") || scan.isSet("q"))
    return result
  }

  private static func parseBuildctl(_ arguments: [String]) -> BuildCommandArguments? {
    let normalized = arguments.map { word -> String in
      word.hasPrefix("-") && !word.hasPrefix("--") && word.count > 2 && !word.hasPrefix("-o=")
        ? "-" + word : word
    }
    let global = FlagScan(
      normalized, valueFlags: buildctlGlobalValueFlags, shortValueFlags: [:], stopAtPositional: true
    )
    guard let command = global.firstPositional, command.word == "build" || command.word == "b"
    else { return nil }
    let scan = FlagScan(
      Array(normalized[(command.index + 1)...]), valueFlags: buildctlBuildValueFlags,
      shortValueFlags: ["o": "output"])
    var locals: [String: String] = [:]
    for local in scan.values("local") {
      let (key, value) = keyValue(local)
      locals[key] = value
    }
    var options: [String: String] = [:]
    var buildArguments: [String] = []
    for option in scan.values("opt") {
      let (key, value) = keyValue(option)
      options[key] = value
      if key.hasPrefix("build-arg:") {
        buildArguments.append(String(key.dropFirst(10)) + "=" + value)
      }
    }
    var result = BuildCommandArguments(tool: .buildctl)
    result.contextArgument = locals["context"]
    result.contextPath = locals["context"]
    result.target = options["target"]
    result.platforms = options["platform"].map(splitList) ?? []
    result.tags = scan.values("output").flatMap(outputNames)
    result.hasProgressFlag = scan.has("progress")
    result.progress = scan.values("progress").last
    result.buildArguments = buildArguments
    result.noCacheFilter = options["no-cache"].map(splitList) ?? []
    result.noCache = scan.isSet("no-cache") || (options["no-cache"].map { $0.isEmpty } ?? false)
    result.cacheFrom = scan.values("import-cache")
    result.cacheTo = scan.values("export-cache")
    if let directory = locals["dockerfile"] ?? locals["context"] {
      result.dockerfilePath = joined(directory, options["filename"] ?? "Dockerfile")
    }
    return result
  }

  private static func isRemote(_ context: String) -> Bool {
    context.contains("://") || context.hasPrefix("git@") || context.hasPrefix("github.com/")
  }

  private static func joined(_ directory: String, _ file: String) -> String {
    if directory == "." || directory == "./" { return file }
    return directory.hasSuffix("/") ? directory + file : directory + "/" + file
  }

  private static func splitList(_ value: String) -> [String] {
    value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
      !$0.isEmpty
    }
  }

  private static func keyValue(_ text: String) -> (String, String) {
    guard let equals = text.firstIndex(of: "=") else { return (text, "") }
    return (String(text[..<equals]), String(text[text.index(after: equals)...]))
  }

  /// `name=` values of an `--output` CSV such as `type=image,"name=a:1,b:1",push=true`.
  private static func outputNames(_ output: String) -> [String] {
    csvFields(output).flatMap { field -> [String] in
      let (key, value) = keyValue(field)
      return key == "name" ? splitList(value) : []
    }
  }

  private static func csvFields(_ text: String) -> [String] {
    var fields: [String] = []
    var current = ""
    var quoted = false
    for character in text {
      if character == "\"" {
        quoted.toggle()
      } else if character == ",", !quoted {
        fields.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    fields.append(current)
    return fields
  }
}

extension BuildCommandArguments {
  /// Splits arguments into flags (with values) and positionals, the way Go's pflag reads them.
  private struct FlagScan {
    var flags: [(name: String, value: String?)] = []
    var positionals: [String] = []
    var firstPositional: (word: String, index: Int)?

    init(
      _ arguments: [String], valueFlags: Set<String>, shortValueFlags: [Character: String],
      stopAtPositional: Bool = false
    ) {
      var index = 0
      while index < arguments.count {
        let word = arguments[index]
        index += 1
        if word == "--" {
          positionals.append(contentsOf: arguments[index...])
          break
        }
        if word.hasPrefix("--") {
          let body = word.dropFirst(2)
          if let equals = body.firstIndex(of: "=") {
            flags.append((String(body[..<equals]), String(body[body.index(after: equals)...])))
          } else if valueFlags.contains(String(body)), index < arguments.count {
            flags.append((String(body), arguments[index]))
            index += 1
          } else {
            flags.append((String(body), nil))
          }
          continue
        }
        if word.hasPrefix("-"), word.count > 1 {
          var letters = Substring(word.dropFirst())
          while let letter = letters.first {
            letters = letters.dropFirst()
            guard let long = shortValueFlags[letter] else {
              flags.append((String(letter), nil))
              continue
            }
            if !letters.isEmpty {
              flags.append((long, String(letters.hasPrefix("=") ? letters.dropFirst() : letters)))
            } else if index < arguments.count {
              flags.append((long, arguments[index]))
              index += 1
            } else {
              flags.append((long, nil))
            }
            break
          }
          continue
        }
        if firstPositional == nil { firstPositional = (word, index - 1) }
        positionals.append(word)
        if stopAtPositional { break }
      }
    }

    func values(_ name: String) -> [String] {
      flags.compactMap { $0.name == name ? $0.value : nil }
    }

    func has(_ name: String) -> Bool {
      flags.contains { $0.name == name }
    }

    /// A boolean flag as pflag reads it: the last `--name` wins; `--name=false` (or `0`) turns it off.
    func isSet(_ name: String) -> Bool {
      guard let last = flags.last(where: { $0.name == name }) else { return false }
      guard let value = last.value?.lowercased() else { return true }
      return !["false", "0", "f"].contains(value)
    }
  }
}
