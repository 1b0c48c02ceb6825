import Foundation

/// A service's `build:` section, resolved against the project directory.
public struct ComposeBuildSpec: Sendable, Equatable {
  /// The context as written (`.`, `./backend`, a git URL).
  public var contextArgument: String
  /// The local context folder (absolute), nil for a remote context.
  public var contextPath: String?
  /// The Dockerfile (absolute for a local context), nil when `dockerfile_inline` gives it.
  public var dockerfilePath: String?
  /// `dockerfile_inline`: the Dockerfile's text.
  public var dockerfileInline: String?
  /// `target`: the stage to build.
  public var target: String?
  /// `args` as `--build-arg` words in order: `NAME=VALUE`, or `NAME` to take it from the environment.
  public var arguments: [String]
  /// `additional_contexts`: name and source, in order.
  public var additionalContexts: [String: String]
  /// `network`: the network RUN steps use.
  public var network: String?
  /// `cache_from` sources, in order.
  public var cacheFrom: [String]
  /// `cache_to` destinations, in order.
  public var cacheTo: [String]
  /// `no_cache`: build without the layer cache.
  public var noCache: Bool

  /// A `build:` section; what is not given was not written.
  public init(
    contextArgument: String, contextPath: String?, dockerfilePath: String?,
    dockerfileInline: String? = nil, target: String? = nil, arguments: [String] = [],
    additionalContexts: [String: String] = [:], network: String? = nil, cacheFrom: [String] = [],
    cacheTo: [String] = [], noCache: Bool = false
  ) {
    self.contextArgument = contextArgument
    self.contextPath = contextPath
    self.dockerfilePath = dockerfilePath
    self.dockerfileInline = dockerfileInline
    self.target = target
    self.arguments = arguments
    self.additionalContexts = additionalContexts
    self.network = network
    self.cacheFrom = cacheFrom
    self.cacheTo = cacheTo
    self.noCache = noCache
  }

  /// Reads a normalised `build:` mapping (see ``ComposeProjectReader``); `directory` is the project's.
  init(_ build: ComposeValue, directory: URL) {
    let context = build["context"]?.string ?? "."
    contextArgument = context
    let remote = Self.isRemote(context)
    let contextURL =
      remote ? nil : URL(fileURLWithPath: context, relativeTo: directory).standardizedFileURL
    contextPath = contextURL?.path
    dockerfileInline = build["dockerfile_inline"]?.string
    let dockerfile = build["dockerfile"]?.string ?? "Dockerfile"
    if dockerfileInline != nil {
      dockerfilePath = nil
    } else if let contextURL {
      dockerfilePath =
        dockerfile.hasPrefix("/")
        ? dockerfile : contextURL.appendingPathComponent(dockerfile).standardizedFileURL.path
    } else {
      dockerfilePath = dockerfile
    }
    target = build["target"]?.string
    arguments = (build["args"]?.pairs ?? []).map { pair in
      pair.value.string.map { pair.key + "=" + $0 } ?? pair.key
    }
    additionalContexts = Dictionary(
      (build["additional_contexts"]?.pairs ?? []).compactMap { p in
        p.value.string.map { (p.key, $0) }
      },
      uniquingKeysWith: { $1 })
    network = build["network"]?.string
    cacheFrom = build["cache_from"]?.items.compactMap(\.string) ?? []
    cacheTo = build["cache_to"]?.items.compactMap(\.string) ?? []
    noCache = build["no_cache"]?.isTrue ?? false
  }

  static func isRemote(_ context: String) -> Bool {
    context.contains("://") || context.hasPrefix("git@") || context.hasPrefix("github.com/")
  }
}
