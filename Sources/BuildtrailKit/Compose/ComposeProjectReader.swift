import Foundation

/// Reads a compose project the way compose does: finds its files (``ComposeFileLocator``), reads
/// the variables (the process environment, then `.env` in the project directory or `--env-file`;
/// the environment wins), interpolates what each file says of its builds, and merges the files in order: services merge key by
/// key, a `build:` mapping merges into the one before, scalars and lists replace.
///
/// `build: ./dir` (the short form) is read as `build: {context: ./dir}`; `args` and
/// `additional_contexts` written as lists (`- NAME=VALUE`, `- NAME`) are read as mappings, so that
/// an override file's `args` adds to the base file's. `extends:` and `include:` are not followed.
public enum ComposeProjectReader {
  /// Reads the project `options` describe.
  public static func read(_ options: ComposeProjectOptions) throws -> ComposeProject {
    let files = try ComposeFileLocator.files(options)
    let cwd = URL(fileURLWithPath: options.workingDirectory)
    let directory =
      options.projectDirectory.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
      ?? files[0].deletingLastPathComponent().standardizedFileURL
    var variables: [String: String] = [:]
    let envFiles =
      options.envFiles.isEmpty
      ? [directory.appendingPathComponent(".env").path]
      : options.envFiles.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL.path }
    for file in envFiles {
      variables.merge(try ComposeEnvironmentFile.read(fileAt: file)) { $1 }
    }
    variables.merge(options.environment) { $1 }
    let interpolation = ComposeInterpolation(variables: variables)

    var merged = ComposeValue.map([])
    for file in files {
      let value = try ComposeYAMLReader.read(fileAt: file.path)
      guard case .map = value else {
        if value == .null { continue }
        throw ComposeError.invalid(file.path, reason: "the top level is not a mapping")
      }
      let interpolated = try relevant(value).mapStrings {
        try interpolation.interpolate($0, file: file.path)
      }
      merged = merged.merged(with: try normalized(interpolated, file: file.path))
    }

    var profiles = options.profiles
    if profiles.isEmpty, let list = variables["COMPOSE_PROFILES"] {
      profiles = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }
    }
    let services = (merged["services"]?.pairs ?? []).map { name, service in
      ComposeService(
        name: name, image: service["image"]?.string,
        profiles: service["profiles"]?.items.compactMap(\.string) ?? [],
        build: service["build"].map { ComposeBuildSpec($0, directory: directory) })
    }
    let name =
      options.projectName ?? variables["COMPOSE_PROJECT_NAME"] ?? merged["name"]?.string
      ?? directory.lastPathComponent.lowercased()
    return ComposeProject(
      name: name, directory: directory, files: files, services: services, profiles: profiles)
  }

  /// The parts of a file that say what is built and how: `name`, and each service's `build`,
  /// `image` and `profiles`. Only they are interpolated, so that a `${SECRET:?}` in a service's
  /// `environment` (unset where the log is recorded) does not hide how its images were built.
  private static func relevant(_ file: ComposeValue) -> ComposeValue {
    let services = file["services"].map { services -> ComposeValue in
      guard case .map(let pairs) = services else { return services }
      return .map(
        pairs.map { name, service in
          guard case .map(let fields) = service else { return (name, service) }
          return (name, .map(fields.filter { ["build", "image", "profiles"].contains($0.key) }))
        })
    }
    return .map(
      file.pairs.filter { $0.key == "name" } + (services.map { [("services", $0)] } ?? []))
  }

  /// The file with each service's `build` in its long form and its lists read as mappings.
  private static func normalized(_ file: ComposeValue, file path: String) throws -> ComposeValue {
    guard let services = file["services"] else { return file }
    guard case .map(let pairs) = services else {
      if services == .null { return file }
      throw ComposeError.invalid(path, reason: "services is not a mapping")
    }
    var result: [(key: String, value: ComposeValue)] = []
    for (name, service) in pairs {
      guard case .map(var fields) = service else {
        if service == .null {
          result.append((name, .map([])))
          continue
        }
        throw ComposeError.invalid(path, reason: "service \(name) is not a mapping")
      }
      if let index = fields.firstIndex(where: { $0.key == "build" }) {
        fields[index].value = try normalizedBuild(fields[index].value, service: name, file: path)
      }
      result.append((name, .map(fields)))
    }
    return .map(file.pairs.map { $0.key == "services" ? ($0.key, .map(result)) : $0 })
  }

  private static func normalizedBuild(_ build: ComposeValue, service: String, file: String) throws
    -> ComposeValue
  {
    switch build {
    case .string(let context):
      return .map([("context", .string(context))])
    case .map(var fields):
      for index in fields.indices where ["args", "additional_contexts"].contains(fields[index].key)
      {
        fields[index].value = keyValueMap(fields[index].value)
      }
      return .map(fields)
    case .null:
      return .map([])
    case .list:
      throw ComposeError.invalid(file, reason: "build of service \(service) is a list")
    }
  }

  /// `- NAME=VALUE` / `- NAME` lists as mappings (`NAME: VALUE` / `NAME: null`); mappings as they are.
  private static func keyValueMap(_ value: ComposeValue) -> ComposeValue {
    guard case .list(let items) = value else { return value }
    return .map(
      items.compactMap(\.string).map { word in
        guard let equals = word.firstIndex(of: "=") else { return (word, .null) }
        return (String(word[..<equals]), .string(String(word[word.index(after: equals)...])))
      })
  }
}
