import Foundation

/// The dependency files a shell command installs from, read from the command itself: `pip install -r PATH`
/// and `-c PATH`, `uv pip sync PATH`, `uv sync`, `poetry install`, `npm ci`, `pnpm install`, `yarn install`,
/// `cargo build --locked`, `go mod download`, `bundle install`, `composer install`.
public enum InstallCommand {
  /// One file a command installs from.
  public struct File: Sendable, Equatable {
    /// The path as the command reaches it: relative to the directory the command starts in, or absolute.
    public var path: String
    /// How to read its packages.
    public var kind: DependencyFileKind
    /// Named in the command (`-r requirements/worker.txt`), not implied by the tool (`uv sync` reads uv.lock).
    public var isNamed: Bool

    /// Creates a file reference.
    public init(path: String, kind: DependencyFileKind, isNamed: Bool) {
      self.path = path
      self.kind = kind
      self.isNamed = isNamed
    }
  }

  private static let separators: Set<String> = ["&&", "||", ";", "|", "&"]
  private static let wrappers: Set<String> = ["sudo", "exec", "time", "nice", "nohup", "command"]

  /// The files `command` installs from, in the order it names them, with `cd DIR` followed.
  public static func files(in command: String) -> [File] {
    var result: [File] = []
    var directory = ""
    for line in logicalLines(command) {
      guard let words = Dockerfile.shellWords(line, rawQuotes: false, rawEscapes: false) else {
        continue
      }
      for simple in simpleCommands(words) {
        let words = stripPrefixes(simple)
        guard let tool = words.first else { continue }
        if tool == "cd" {
          directory = words.count > 1 ? join(directory, words[1]) : ""
          continue
        }
        for file in files(tool: tool, arguments: Array(words.dropFirst())) {
          var placed = file
          placed.path = join(directory, file.path)
          if !result.contains(placed) { result.append(placed) }
        }
      }
    }
    return result
  }

  /// Lines with shell continuations (`\` + newline) joined.
  private static func logicalLines(_ text: String) -> [String] {
    text.replacingOccurrences(of: "\\\r\n", with: " ").replacingOccurrences(of: "\\\n", with: " ")
      .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init)
  }

  /// Words split at `&&`, `||`, `;`, `|` and `&`, also when a `;` ends a word.
  private static func simpleCommands(_ words: [String]) -> [[String]] {
    var commands: [[String]] = [[]]
    for word in words {
      if separators.contains(word) {
        commands.append([])
      } else if word.hasSuffix(";"), word.count > 1 {
        commands[commands.count - 1].append(String(word.dropLast()))
        commands.append([])
      } else {
        commands[commands.count - 1].append(word)
      }
    }
    return commands.filter { !$0.isEmpty }
  }

  /// Drops variable assignments, `env`, `sudo` and similar wrappers, and `python -m` before the tool.
  private static func stripPrefixes(_ words: [String]) -> [String] {
    var rest = words[...]
    while let first = rest.first {
      if wrappers.contains(first) || first == "env" || isAssignment(first) {
        rest = rest.dropFirst()
      } else if isPython(first), rest.dropFirst().first == "-m" {
        rest = rest.dropFirst(2)
      } else {
        break
      }
    }
    return Array(rest)
  }

  private static func isAssignment(_ word: String) -> Bool {
    guard let eq = word.firstIndex(of: "="), eq != word.startIndex else { return false }
    return word[..<eq].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
  }

  private static func isPython(_ word: String) -> Bool {
    let name = baseName(word)
    return name == "python" || name.hasPrefix("python3") || name.hasPrefix("python2")
  }

  private static func isPip(_ word: String) -> Bool {
    let name = baseName(word)
    return name == "pip" || name.hasPrefix("pip3") || name.hasPrefix("pip2")
  }

  private static func baseName(_ word: String) -> String {
    String(word.split(separator: "/").last ?? Substring(word))
  }

  private static func files(tool: String, arguments: [String]) -> [File] {
    let positional = arguments.filter { !$0.hasPrefix("-") }
    let sub = positional.first ?? ""
    switch baseName(tool) {
    case _ where isPip(tool):
      return sub == "install" ? pipRequirementFiles(arguments) : []
    case "pip-sync":
      return positional.map {
        File(path: $0, kind: kind($0, default: .requirements), isNamed: true)
      }
    case "uv":
      if sub == "pip" {
        let rest = Array(arguments.drop(while: { $0 != "pip" }).dropFirst())
        let action = rest.first { !$0.hasPrefix("-") }
        if action == "install" || action == "compile" { return pipRequirementFiles(rest) }
        if action == "sync" {
          return rest.filter { !$0.hasPrefix("-") }.dropFirst().map {
            File(path: $0, kind: kind($0, default: .requirements), isNamed: true)
          }
        }
        return []
      }
      return sub == "sync" ? implied([("uv.lock", .uvLock), ("pyproject.toml", .pyproject)]) : []
    case "poetry":
      return sub == "install"
        ? implied([("poetry.lock", .poetryLock), ("pyproject.toml", .pyproject)]) : []
    case "npm":
      let installs = sub == "ci" || (["install", "i"].contains(sub) && positional.count == 1)
      return installs
        ? implied([("package-lock.json", .packageLock), ("package.json", .packageJSON)]) : []
    case "pnpm":
      if sub == "fetch" { return implied([("pnpm-lock.yaml", .pnpmLock)]) }
      let installs = ["install", "i"].contains(sub) && positional.count == 1
      return installs
        ? implied([("pnpm-lock.yaml", .pnpmLock), ("package.json", .packageJSON)]) : []
    case "yarn":
      let installs = positional.isEmpty || (sub == "install" && positional.count == 1)
      return installs ? implied([("yarn.lock", .yarnLock), ("package.json", .packageJSON)]) : []
    case "cargo":
      let locked = arguments.contains("--locked") || arguments.contains("--frozen")
      return locked && ["build", "fetch", "install", "test", "check"].contains(sub)
        ? implied([("Cargo.lock", .cargoLock)]) : []
    case "go":
      let downloads = positional.prefix(2) == ["mod", "download"]
      return downloads ? implied([("go.mod", .goMod), ("go.sum", .goSum)]) : []
    case "bundle", "bundler":
      return sub == "install" || positional.isEmpty ? implied([("Gemfile.lock", .gemfileLock)]) : []
    case "composer":
      return sub == "install" ? implied([("composer.lock", .composerLock)]) : []
    default:
      return []
    }
  }

  private static func implied(_ files: [(String, DependencyFileKind)]) -> [File] {
    files.map { File(path: $0.0, kind: $0.1, isNamed: false) }
  }

  /// `-r PATH`, `-rPATH`, `--requirement PATH`, `--requirement=PATH`, and the same for `-c`/`--constraint`.
  private static func pipRequirementFiles(_ arguments: [String]) -> [File] {
    var files: [File] = []
    var index = arguments.startIndex
    while index < arguments.endIndex {
      let word = arguments[index]
      var path: String?
      for (short, long) in [("-r", "--requirement"), ("-c", "--constraint")] {
        if word == short || word == long {
          path = index + 1 < arguments.endIndex ? arguments[index + 1] : nil
          index += 1
        } else if word.hasPrefix(long + "=") {
          path = String(word.dropFirst(long.count + 1))
        } else if word.hasPrefix(short), !word.hasPrefix("--"), word.count > 2 {
          path = String(word.dropFirst(2))
        }
      }
      if let path, !path.isEmpty {
        files.append(File(path: path, kind: kind(path, default: .requirements), isNamed: true))
      }
      index += 1
    }
    return files
  }

  private static func kind(_ path: String, default fallback: DependencyFileKind)
    -> DependencyFileKind
  {
    DependencyFileKind.from(path: path) ?? fallback
  }

  /// `path` seen from `directory` (both as a command names them); absolute paths are kept.
  static func join(_ directory: String, _ path: String) -> String {
    if path.hasPrefix("/") || directory.isEmpty { return path }
    return (directory.hasSuffix("/") ? directory : directory + "/") + path
  }
}
