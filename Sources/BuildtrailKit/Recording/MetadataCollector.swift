import BuildStore
import Foundation

/// Gathers what is known around a build at record time: git, CI, the build context and the cache inputs.
/// Nothing here stops a build from being recorded: what cannot be read becomes a warning.
struct MetadataCollector {
  var request: RecordRequest

  func collect(warnings: inout [String]) -> RecordMetadata {
    let cwd = URL(fileURLWithPath: request.workingDirectory)
    let wrapped = request.command.isEmpty ? nil : BuildCommandArguments.parse(request.command)
    if let compose = composeOptions(wrapped) {
      return collectCompose(compose, wrapped: wrapped, warnings: &warnings)
    }
    var metadata = RecordMetadata(target: request.target, labels: request.labels)
    if metadata.target == nil { metadata.target = wrapped?.target }
    metadata.buildArguments = buildArguments(command: wrapped?.buildArguments ?? [])
    metadata.cachePlumbing = wrapped.map(Self.cachePlumbing)

    var contextURL: URL?
    var dockerfileURL: URL?
    if let path = request.contextPath ?? wrapped?.contextPath {
      contextURL = URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL
    } else if request.dockerfilePath != nil
      || FileManager.default.fileExists(atPath: cwd.appendingPathComponent("Dockerfile").path)
    {
      contextURL = cwd
    }
    if let path = request.dockerfilePath ?? wrapped?.dockerfilePath {
      dockerfileURL = URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL
    } else if let context = contextURL {
      dockerfileURL = context.appendingPathComponent("Dockerfile")
    }

    let git = readSharedFacts(at: contextURL ?? cwd, into: &metadata, warnings: &warnings)
    guard request.collectMetadata, let context = contextURL else { return metadata }
    let docker = wrapped.flatMap {
      $0.tool == .docker || $0.tool == .buildx ? request.command[0] : nil
    }
    readBuildFacts(
      context: context, dockerfile: dockerfileURL, git: git, docker: docker, into: &metadata,
      warnings: &warnings)
    return metadata
  }

  /// The build arguments of the wrapped command (`words`) with `record --build-arg` ones on top.
  func buildArguments(command words: [String]) -> [BuildArgumentFact] {
    BuildArgumentReader.merged(
      command: BuildArgumentReader.facts(words, source: .command, environment: request.environment),
      options: BuildArgumentReader.facts(
        request.buildArguments ?? [], source: .option, environment: request.environment))
  }

  /// Reads CI and git (at `directory`) into `metadata`; returns what git said, for relative paths.
  func readSharedFacts(
    at directory: URL, into metadata: inout RecordMetadata, warnings: inout [String]
  )
    -> GitInfo?
  {
    let ci = request.collectMetadata ? CIEnvironment.detect(request.environment) : nil
    metadata.ci = ci.map {
      CIFacts(provider: $0.provider, runID: $0.runID, jobID: $0.jobID, url: $0.url)
    }
    var git: GitInfo?
    if request.collectMetadata {
      do {
        git = try GitMetadata.read(at: directory, environment: request.environment)
      } catch {
        warnings.append(
          ((error as? LocalizedError)?.errorDescription ?? "\(error)")
            + "; the build is recorded without git facts")
      }
    }
    if request.collectMetadata || request.commit != nil || request.branch != nil {
      var facts = GitFacts(
        commit: git?.commit ?? ci?.commit, branch: git?.branch ?? ci?.branch, subject: git?.subject,
        committedAt: git?.authorTime, dirty: git?.isDirty, shallow: git?.isShallow,
        root: git?.repositoryRoot.path)
      if let commit = request.commit { facts.commit = commit }
      if let branch = request.branch { facts.branch = branch }
      if facts.commit != nil || facts.branch != nil { metadata.git = facts }
    }
    return git
  }

  /// Reads what the build's context and Dockerfile say into `metadata`: the daemon's image IDs of
  /// its bases (when `docker` names the client to ask), its cache inputs, its context manifest.
  /// `inlineDockerfile` names the Dockerfile's text when no file holds it (compose's `dockerfile_inline`).
  /// A Dockerfile that does not exist is a warning: the context and its other inputs are still read.
  func readBuildFacts(
    context: URL, dockerfile dockerfileURL: URL?, git: GitInfo?, docker: String?,
    inlineDockerfile: String? = nil,
    missingDockerfileAdvice: String = "pass --file to record it with the build's inputs",
    into metadata: inout RecordMetadata, warnings: inout [String]
  ) {
    if let docker, let dockerfileURL,
      let data = try? RegularFile.read(
        dockerfileURL.path, limit: CacheInputSnapshot.maxStoredBytes),
      let text = String(data: data, encoding: .utf8)
    {
      metadata.daemonImageIDs = Self.localImageIDs(
        Dockerfile(text: text), docker: docker, environment: request.environment)
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: context.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      warnings.append(
        "build context \(context.path) is not a folder; cache inputs and context size were not recorded (pass --context)"
      )
      return
    }
    var dockerfileURL = dockerfileURL
    if let dockerfile = dockerfileURL, !RegularFile.exists(dockerfile.path) {
      warnings.append("no Dockerfile at \(dockerfile.path); \(missingDockerfileAdvice)")
      dockerfileURL = nil
    }
    do {
      let inputs = try CacheInputSnapshot.collect(
        contextDirectory: context, dockerfile: dockerfileURL, repositoryRoot: git?.repositoryRoot)
      metadata.inputs = inputs.map {
        InputFact(
          path: inlineDockerfile != nil && $0.role == .dockerfile
            ? inlineDockerfile ?? $0.path : $0.path,
          role: InputFact.Role(rawValue: $0.role.rawValue) ?? .manifest,
          sha256: $0.sha256,
          bytes: $0.bytes, content: $0.content)
      }
      let ignoreURL = CacheInputSnapshot.dockerignoreURL(
        contextDirectory: context, dockerfile: dockerfileURL)
      let matcher = try ignoreURL.map { try DockerignoreMatcher(contentsOf: $0) }
      var always = [".dockerignore"]
      if let dockerfile = dockerfileURL, dockerfile.path.hasPrefix(context.path + "/") {
        always.append(String(dockerfile.path.dropFirst(context.path.count + 1)))
      }
      let (summary, manifest) = try ContextManifest.scan(
        contextDirectory: context, matcher: matcher, alwaysIncluded: always)
      metadata.contextManifest = Data(manifest.text.utf8)
      let relative = git.map { Self.relativePath(context, to: $0.repositoryRoot) } ?? context.path
      metadata.context = ContextFacts(
        path: relative,
        dockerfilePath: inlineDockerfile
          ?? dockerfileURL.map { file in
            git.map { Self.relativePath(file, to: $0.repositoryRoot) } ?? file.path
          },
        files: summary.fileCount, bytes: summary.totalBytes,
        entries: summary.topLevel.map {
          ContextEntry(name: $0.name, files: $0.files, bytes: $0.bytes)
        })
    } catch {
      warnings.append(
        "cannot snapshot the build context \(context.path): \((error as? LocalizedError)?.errorDescription ?? "\(error)")"
      )
    }
  }

  /// The local image ID of each external FROM image, from `docker image inspect`: Docker 20.10's logs
  /// show no digest for images it did not pull, so a re-imported or rebuilt base is visible only here.
  static func localImageIDs(_ dockerfile: Dockerfile, docker: String, environment: [String: String])
    -> [String: String]
  {
    var ids: [String: String] = [:]
    for stage in dockerfile.stages where stage.baseStage == nil {
      let reference = stage.base
      guard reference != "scratch", !reference.isEmpty, !reference.contains("$") else { continue }
      guard
        let result = try? GitMetadata.Subprocess.run(
          URL(fileURLWithPath: "/usr/bin/env"),
          arguments: [docker, "image", "inspect", "--format", "{{.Id}}", reference],
          environment: environment, command: "docker image inspect"),
        result.status == 0
      else { continue }
      let id = result.outputText
      if id.hasPrefix("sha256:") { ids[Dockerfile.normalizedReference(reference)] = id }
    }
    return ids
  }

  /// The cache flags of a wrapped build command.
  static func cachePlumbing(_ command: BuildCommandArguments) -> CachePlumbingFact {
    CachePlumbingFact(
      commandKnown: true, noCache: command.noCache, noCacheFilter: command.noCacheFilter,
      cacheFrom: command.cacheFrom, cacheTo: command.cacheTo, builderFlag: command.builder)
  }

  /// `url` relative to `root` (`.` for the root itself), or its absolute path when outside it.
  static func relativePath(_ url: URL, to root: URL) -> String {
    let path = url.standardizedFileURL.resolvingSymlinksInPath().path
    let base = root.standardizedFileURL.resolvingSymlinksInPath().path
    if path == base { return "." }
    if path.hasPrefix(base + "/") { return String(path.dropFirst(base.count + 1)) }
    return path
  }
}
