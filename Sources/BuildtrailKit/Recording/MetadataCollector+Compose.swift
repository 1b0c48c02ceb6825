import BuildStore
import Foundation

extension MetadataCollector {
  /// How to read the compose project, when the request records compose builds: a wrapped
  /// `docker compose build` / `docker-compose build`, or `record --compose-file`.
  func composeOptions(_ wrapped: BuildCommandArguments?) -> ComposeProjectOptions? {
    if let files = request.composeFiles, !files.isEmpty {
      return ComposeProjectOptions(
        files: files, services: request.service.map { [$0] } ?? [],
        workingDirectory: request.workingDirectory, environment: request.environment)
    }
    guard wrapped?.tool == .compose, let compose = wrapped?.compose else { return nil }
    return compose.projectOptions(
      workingDirectory: request.workingDirectory, environment: request.environment)
  }

  /// The metadata of a compose build: what all its builds share (labels, git, CI), and for each
  /// service built its own target, context, Dockerfile, build arguments, inputs, context manifest,
  /// cache flags and base image IDs. A project that cannot be read is a warning: the builds are
  /// then recorded with the shared metadata only (their service names still come from the log).
  func collectCompose(
    _ options: ComposeProjectOptions, wrapped: BuildCommandArguments?, warnings: inout [String]
  ) -> RecordMetadata {
    var shared = RecordMetadata(target: request.target, labels: request.labels)
    shared.composeServices = options.services
    shared.onlyService = request.service
    shared.buildArguments = buildArguments(command: wrapped?.buildArguments ?? [])
    shared.cachePlumbing = wrapped.map(Self.cachePlumbing)
    let cwd = URL(fileURLWithPath: request.workingDirectory)
    guard request.collectMetadata else {
      _ = readSharedFacts(at: cwd, into: &shared, warnings: &warnings)
      return shared
    }
    let project: ComposeProject
    let services: [ComposeService]
    do {
      project = try ComposeProjectReader.read(options)
      services = try project.servicesToBuild(named: options.services)
    } catch {
      warnings.append(
        ((error as? LocalizedError)?.errorDescription ?? "\(error)")
          + "; the builds are recorded without their services' context, Dockerfile and inputs")
      _ = readSharedFacts(at: cwd, into: &shared, warnings: &warnings)
      return shared
    }
    shared.composeServices = services.map(\.name)
    let git = readSharedFacts(at: project.directory, into: &shared, warnings: &warnings)
    let docker = wrapped == nil ? nil : "docker"
    for service in services {
      guard let build = service.build else { continue }
      shared.services[service.name] = serviceMetadata(
        service.name, build: build, project: project, shared: shared, wrapped: wrapped, git: git,
        docker: docker, warnings: &warnings)
    }
    return shared
  }

  private func serviceMetadata(
    _ name: String, build: ComposeBuildSpec, project: ComposeProject, shared: RecordMetadata,
    wrapped: BuildCommandArguments?, git: GitInfo?, docker: String?, warnings: inout [String]
  ) -> RecordMetadata {
    var metadata = shared
    metadata.services = [:]
    metadata.target = request.target ?? build.target
    metadata.buildArguments = buildArguments(
      command: build.arguments + (wrapped?.buildArguments ?? []))
    if let wrapped {
      var plumbing = Self.cachePlumbing(wrapped)
      plumbing.noCache = plumbing.noCache || build.noCache
      plumbing.cacheFrom = build.cacheFrom + plumbing.cacheFrom
      plumbing.cacheTo = build.cacheTo + plumbing.cacheTo
      metadata.cachePlumbing = plumbing
    }
    guard let contextPath = build.contextPath else {
      warnings.append(
        "service \(name) builds from \(build.contextArgument), not a local folder; its inputs and context were not recorded"
      )
      return metadata
    }
    let context = URL(fileURLWithPath: contextPath)
    var inlineFolder: URL?
    defer { if let inlineFolder { try? FileManager.default.removeItem(at: inlineFolder) } }
    var dockerfile = build.dockerfilePath.map { URL(fileURLWithPath: $0) }
    var inlineName: String?
    if let text = build.dockerfileInline {
      let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("buildtrail-inline-\(UUID().uuidString)")
      do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("Dockerfile")
        try Data(text.utf8).write(to: file)
        inlineFolder = folder
        dockerfile = file
        let composeFile = project.files.first.map { file in
          git.map { Self.relativePath(file, to: $0.repositoryRoot) } ?? file.lastPathComponent
        }
        inlineName = "\(composeFile ?? "compose.yaml")#services.\(name).build.dockerfile_inline"
      } catch {
        warnings.append("cannot keep service \(name)'s dockerfile_inline to read it: \(error)")
      }
    }
    readBuildFacts(
      context: context, dockerfile: dockerfile, git: git, docker: docker,
      inlineDockerfile: inlineName,
      missingDockerfileAdvice:
        "service \(name)'s build.dockerfile in the compose file names no file; the context and other inputs are recorded without it",
      into: &metadata, warnings: &warnings)
    return metadata
  }
}
