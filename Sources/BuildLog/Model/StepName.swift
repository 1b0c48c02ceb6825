/// What kind of work a step is, from its name.
public enum StepKind: String, Codable, Sendable, CaseIterable {
  case from, run, copy, add, workdir, other
  /// `[internal] …`: loading the Dockerfile, `.dockerignore`, metadata or context; booting a builder.
  case `internal`
  /// `[auth] …`: registry token exchange.
  case auth
  /// Exporting the image, naming, unpacking, pushing.
  case export
  /// `importing cache manifest from …`.
  case cacheImport = "cache-import"
  /// `exporting cache to …`, `exporting inline cache`.
  case cacheExport = "cache-export"
  /// `resolve image config for …` (a `# syntax=` frontend).
  case frontend

  /// Whether the step is a Dockerfile instruction (FROM, RUN, COPY, ADD, WORKDIR, …).
  public var isDockerfileStep: Bool {
    switch self {
    case .from, .run, .copy, .add, .workdir, .other: return true
    default: return false
    }
  }

  /// Steps that can hit the layer cache and count in cache statistics: Dockerfile steps but FROM.
  public var isCacheable: Bool { isDockerfileStep && self != .from }
}

/// A step name read into its parts, e.g. `[web linux/arm64 builder 3/5] RUN make`.
public struct StepName: Sendable, Equatable {
  /// The compose service or bake target, when one prefixes the name.
  public var service: String?
  /// The platform, for multi-platform builds (`linux/arm64`).
  public var platform: String?
  /// The stage name (`builder`, `stage-1`); nil for single-stage Dockerfiles.
  public var stage: String?
  /// `i` of `[i/n]`.
  public var index: Int?
  /// `n` of `[i/n]`.
  public var total: Int?
  /// What the step does: `FROM`, `RUN`, `COPY`, `ADD`, `WORKDIR`, another instruction, or
  /// BuildKit's own work.
  public var kind: StepKind
  /// The instruction and its arguments, or the rest of the name: `RUN make`, `load .dockerignore`.
  public var text: String
  /// A key that names the same step across builds even when vertex numbers and `i/n` shift:
  /// service, platform, stage and the instruction text, with a FROM's digest removed.
  public var stableKey: String

  /// Reads `name`. `services` names the compose services / bake targets known in the build,
  /// so that `[web 2/5]` is read as service `web` rather than stage `web`.
  public init(_ name: String, services: Set<String> = []) {
    var service: String?
    var platform: String?
    var stage: String?
    var index: Int?
    var total: Int?
    var kind = StepKind.other
    var text = name
    var bracketWords: [Substring] = []
    var hasBracket = false

    if name.hasPrefix("["), let close = name.firstIndex(of: "]") {
      hasBracket = true
      bracketWords = name[name.index(after: name.startIndex)..<close].split(separator: " ")
      text = String(name[name.index(after: close)...].drop(while: { $0 == " " }))
    }

    var words = bracketWords[...]
    if let last = words.last, let slash = last.firstIndex(of: "/"),
      let i = Int(last[..<slash]), let n = Int(last[last.index(after: slash)...])
    {
      index = i
      total = n
      words = words.dropLast()
    } else if let last = words.last, last == "internal" || last == "auth" {
      kind = last == "internal" ? .internal : .auth
      words = words.dropLast()
    } else if let last = words.last, last == "context" || words.dropLast().last == "context" {
      kind = .internal
    }
    if kind == .other || index != nil {
      var remaining = Array(words)
      if let first = remaining.first, services.contains(String(first)) || remaining.count == 3 {
        service = String(first)
        remaining.removeFirst()
      }
      if let p = remaining.firstIndex(where: { $0.contains("/") }) {
        platform = String(remaining[p])
        remaining.remove(at: p)
      }
      if index != nil {
        if let s = remaining.last { stage = String(s) }
        if remaining.count > 1, service == nil { service = String(remaining[0]) }
      } else if let s = remaining.first {
        service = String(s)
      }
    } else {
      var remaining = Array(words)
      if let p = remaining.firstIndex(where: { $0.contains("/") }) {
        platform = String(remaining[p])
        remaining.remove(at: p)
      }
      if let s = remaining.first { service = String(s) }
    }
    if stage != nil, index != nil, service == nil, let s = stage, services.contains(s) {
      service = s
      stage = nil
    }

    if index != nil || (kind == .other && hasBracket) || !hasBracket {
      kind = StepName.kind(ofText: text, fallback: hasBracket && index == nil ? kind : nil)
    }

    self.service = service
    self.platform = platform
    self.stage = stage
    self.index = index
    self.total = total
    self.kind = kind
    self.text = text
    var keyText = kind == .from ? StepName.removingDigest(text) : text
    if !kind.isDockerfileStep { keyText = kind.rawValue + ": " + keyText }
    self.stableKey = [
      service ?? "", platform ?? "", stage ?? "",
      keyText.split(separator: " ").joined(separator: " "),
    ]
    .joined(separator: "|")
  }

  private static func kind(ofText text: String, fallback: StepKind?) -> StepKind {
    let word = text.prefix(while: { $0 != " " })
    switch word {
    case "FROM": return .from
    case "RUN": return .run
    case "COPY": return .copy
    case "ADD": return .add
    case "WORKDIR": return .workdir
    default: break
    }
    if text.hasPrefix("importing cache") { return .cacheImport }
    if text.hasPrefix("exporting cache") || text.hasPrefix("exporting inline cache")
      || text.hasPrefix("exporting to GitHub Actions Cache")
    {
      return .cacheExport
    }
    if text.hasPrefix("exporting ") || text.hasPrefix("importing to docker")
      || text.hasPrefix("pushing ")
      || text.hasPrefix("naming to") || text.hasPrefix("resolving provenance")
    {
      return .export
    }
    if text.hasPrefix("resolve image config") || text.hasPrefix("docker-image://") {
      return .frontend
    }
    if text.hasPrefix("load ") || text.hasPrefix("booting buildkit") { return .internal }
    return fallback ?? .other
  }

  /// `FROM docker.io/library/python:3.12@sha256:abc` → `FROM docker.io/library/python:3.12`.
  static func removingDigest(_ text: String) -> String {
    guard let at = text.range(of: "@sha256:") else { return text }
    let rest = text[at.upperBound...]
    let tail = rest.drop(while: { $0.isHexDigit })
    return String(text[..<at.lowerBound]) + tail
  }

  /// For a FROM step, the image reference and digest it names (`python:3.12`, `sha256:…`).
  public var baseImage: (reference: String, digest: String?)? {
    guard kind == .from else { return nil }
    var argument = text.dropFirst(4).split(separator: " ").first.map(String.init) ?? ""
    if argument.hasPrefix("--platform=") {
      argument = text.dropFirst(4).split(separator: " ").dropFirst().first.map(String.init) ?? ""
    }
    guard !argument.isEmpty else { return nil }
    if let at = argument.range(of: "@sha256:") {
      return (String(argument[..<at.lowerBound]), "sha256:" + argument[at.upperBound...])
    }
    return (argument, nil)
  }
}
