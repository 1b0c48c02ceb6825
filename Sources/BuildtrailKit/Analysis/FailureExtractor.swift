import BuildStore
import Foundation

/// Finds a failed step's decisive error lines in its kept output, by a small table of the error
/// shapes of the tools builds run (Python, pip, uv, npm, pnpm, yarn, apt, compilers, webpack), then
/// BuildKit's own error text (`COPY` sources not found, pulls denied), then the shell's exit code.
public enum FailureExtractor {
  /// What the extractor found.
  public struct Finding: Sendable, Equatable, Codable {
    /// The tool and its decisive message.
    public var signature: FailureSignature
    /// The decisive lines, as printed, oldest first (at most ``lineLimit``).
    public var lines: [String]
    /// The failed command's exit code, when the error text gives it.
    public var exitCode: Int?
  }

  /// The most decisive lines kept.
  static let lineLimit = 8
  /// The longest line kept, in characters.
  static let lineLength = 400

  /// The decisive lines of a failed step: `stepName` (a RUN's command tells which tool ran),
  /// `errorText` (BuildKit's `ERROR:` text) and `output` (the step's kept output, oldest first).
  /// Nil only when there is nothing at all to go on.
  public static func extract(stepName: String, errorText: String?, output: [String]) -> Finding? {
    let lines = output.suffix(2_000).map { String(trimmedRight($0).prefix(lineLength)) }
    let exit = errorText.flatMap(exitCode(in:))
    let command = stepName.lowercased()
    for rule in rules {
      if let (tool, decisive, message) = rule(lines, command) {
        return Finding(
          signature: FailureSignature(tool: tool, message: message),
          lines: Array(decisive.prefix(lineLimit)),
          exitCode: exit)
      }
    }
    if let error = errorText.map({ trimmedRight($0) }), !error.isEmpty {
      if let notFound = dockerNotFound(error) {
        return Finding(
          signature: FailureSignature(tool: "docker", message: notFound), lines: [error],
          exitCode: exit)
      }
      if let exit {
        let last = lines.last { line in
          let t = line.trimmingCharacters(in: .whitespaces)
          return !t.isEmpty && !noise.contains { t.hasPrefix($0) }
        }
        let message =
          last.map { "\($0.trimmingCharacters(in: .whitespaces)) (exit code \(exit))" }
          ?? "exit code \(exit)"
        return Finding(
          signature: FailureSignature(tool: "shell", message: message),
          lines: (last.map { [$0] } ?? []) + [error],
          exitCode: exit)
      }
      return Finding(
        signature: FailureSignature(tool: "buildkit", message: error), lines: [error], exitCode: nil
      )
    }
    return nil
  }

  /// The failure to record with a new build: its first failed step's finding, else the build's
  /// final error message; nil unless the build failed.
  public static func storedFailure(of build: NewBuild) -> StoredFailure? {
    guard build.outcome == .failed else { return nil }
    let steps = build.parsed.steps
    guard let position = steps.firstIndex(where: { $0.status == .error }) else {
      return build.parsed.errorMessage.flatMap { extract(stepName: "", errorText: $0, output: []) }
        .map {
          stored($0, position: nil)
        }
    }
    let step = steps[position]
    return extract(stepName: step.name, errorText: step.errorText, output: step.outputTail).map {
      stored($0, position: position)
    }
  }

  /// A finding as the store keeps it.
  public static func stored(_ finding: Finding, position: Int?) -> StoredFailure {
    StoredFailure(
      stepPosition: position, tool: finding.signature.tool, message: finding.signature.message,
      signature: finding.signature.text, lines: finding.lines, exitCode: finding.exitCode)
  }

  typealias Rule = @Sendable ([String], String) -> (tool: String, lines: [String], message: String)?

  /// Most specific first: a traceback beats the pip or shell lines around it.
  static let rules: [Rule] = [
    python, pip, uv, npm, pnpm, yarn, apt, rust, typescript, cmake, webpack, compiler,
  ]

  /// Lines that come after the error and say nothing about it.
  static let noise = [
    "npm notice", "npm WARN", "npm warn", "------", "Use 'docker scan'", "Removing intermediate",
  ]

  // MARK: - Rules

  private static let pythonAlways = [
    "ModuleNotFoundError", "ImportError", "SyntaxError", "IndentationError",
  ]

  /// The last traceback line: `ModuleNotFoundError: …` (any exception after a `Traceback` line), with
  /// the frame it was raised in.
  static func python(_ lines: [String], _ command: String) -> (String, [String], String)? {
    let traceback = lines.firstIndex { $0.contains("Traceback (most recent call last):") }
    guard
      let index = lines.indices.last(where: { i in
        guard let name = exceptionName(lines[i].trimmingCharacters(in: .whitespaces)) else {
          return false
        }
        return pythonAlways.contains { name.hasSuffix($0) } || (traceback.map { i > $0 } ?? false)
      })
    else { return nil }
    var decisive: [String] = []
    if let frame = lines[..<index].lastIndex(where: {
      $0.trimmingCharacters(in: .whitespaces).hasPrefix("File \"")
    }),
      index - frame <= 5
    {
      decisive += lines[frame..<index].filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        .prefix(3)
    }
    decisive.append(lines[index])
    return ("python", decisive, lines[index])
  }

  /// `ModuleNotFoundError` in `ModuleNotFoundError: No module named 'x'`, `pkg.errors.Boom` in `pkg.errors.Boom: …`.
  static func exceptionName(_ line: String) -> String? {
    let head = line.prefix { $0 != ":" }
    guard head.count < line.count || head.hasSuffix("Error"), !head.isEmpty,
      head.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }),
      head.first?.isLetter == true,
      head.hasSuffix("Error") || head.hasSuffix("Exception") || head.hasSuffix("Exit")
        || head.hasSuffix("Interrupt")
    else { return nil }
    return String(head)
  }

  private static let pipAnchors = [
    "ERROR: No matching distribution found for", "ERROR: Could not find a version that satisfies",
    "ERROR: ResolutionImpossible", "ERROR: Cannot install",
  ]

  /// pip's `ERROR:` lines, with the conflict lines of a `ResolutionImpossible`.
  static func pip(_ lines: [String], _ command: String) -> (String, [String], String)? {
    let errors = lines.indices.filter {
      lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("ERROR: ")
    }
    let anchored = errors.contains { i in
      pipAnchors.contains { lines[i].trimmingCharacters(in: .whitespaces).hasPrefix($0) }
    }
    guard anchored || (command.contains("pip ") && !errors.isEmpty) else { return nil }
    var decisive: [String] = []
    if let conflict = lines.firstIndex(where: { $0.contains("The conflict is caused by:") }) {
      decisive += lines[conflict...].prefix(5).filter {
        !$0.trimmingCharacters(in: .whitespaces).isEmpty
      }
    }
    decisive = errors.map { lines[$0] } + decisive
    let key =
      errors.map { lines[$0] }.first { $0.contains("No matching distribution found for") }
      ?? errors.map { lines[$0] }.first { $0.contains("Cannot install") } ?? lines[errors.first!]
    return ("pip", decisive, dropPrefix(key.trimmingCharacters(in: .whitespaces), "ERROR: "))
  }

  /// uv's `× No solution found …` with its `╰─▶` lines, or `error: …` with its `Caused by:` lines.
  static func uv(_ lines: [String], _ command: String) -> (String, [String], String)? {
    if let cross = lines.lastIndex(where: {
      $0.trimmingCharacters(in: .whitespaces).hasPrefix("× ")
    }) {
      let block =
        [lines[cross]]
        + lines[(cross + 1)...].prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
      let reason = block.first { $0.contains("╰─▶") }
      let message = (reason ?? lines[cross]).replacingOccurrences(of: "╰─▶", with: "")
      return ("uv", Array(block), message.trimmingCharacters(in: .whitespaces))
    }
    guard
      let error = lines.lastIndex(where: {
        $0.trimmingCharacters(in: .whitespaces).hasPrefix("error: ")
      }),
      command.contains("uv ")
        || lines[(error + 1)...].contains(where: { $0.contains("Caused by:") })
    else { return nil }
    let causes = lines[(error + 1)...].prefix { $0.contains("Caused by:") || $0.hasPrefix("  ") }
    let last = causes.last { $0.contains("Caused by:") }
    let message =
      last.map { dropPrefix($0.trimmingCharacters(in: .whitespaces), "Caused by: ") }
      ?? lines[error]
    return ("uv", [lines[error]] + causes, message)
  }

  private static let npmFields = [
    "code ", "errno ", "syscall ", "path ", "command ", "signal ", "cwd ",
  ]

  /// `npm ERR!` (npm 6 to 9) or `npm error` (npm 10) lines, without the log-file trailer.
  static func npm(_ lines: [String], _ command: String) -> (String, [String], String)? {
    let prefixes = ["npm ERR! ", "npm error "]
    let found = lines.compactMap { line -> String? in
      let t = line.trimmingCharacters(in: .whitespaces)
      guard let p = prefixes.first(where: { t.hasPrefix($0) }) else { return nil }
      let rest = String(t.dropFirst(p.count)).trimmingCharacters(in: .whitespaces)
      return rest.isEmpty || rest.hasPrefix("A complete log of this run")
        || rest.hasPrefix("/root/.npm/") ? nil : t
    }
    guard !found.isEmpty else { return nil }
    let message =
      found.first { line in
        let rest = prefixes.reduce(line) { dropPrefix($0, $1) }
        return !npmFields.contains { rest.hasPrefix($0) }
      } ?? found[0]
    return ("npm", found, prefixes.reduce(message) { dropPrefix($0, $1) })
  }

  /// `ERR_PNPM_… message`.
  static func pnpm(_ lines: [String], _ command: String) -> (String, [String], String)? {
    guard let index = lines.firstIndex(where: { $0.contains("ERR_PNPM_") }) else { return nil }
    let block =
      [lines[index]]
      + lines[(index + 1)...].prefix(3).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    return ("pnpm", block, lines[index].trimmingCharacters(in: .whitespaces))
  }

  /// Yarn classic's `error …` lines, when the step runs yarn.
  static func yarn(_ lines: [String], _ command: String) -> (String, [String], String)? {
    guard command.contains("yarn") else { return nil }
    let found = lines.filter { $0.hasPrefix("error ") || $0.contains("YN0001") }
    guard let first = found.first else { return nil }
    return ("yarn", found, first.trimmingCharacters(in: .whitespaces))
  }

  /// apt's `E: …` lines.
  static func apt(_ lines: [String], _ command: String) -> (String, [String], String)? {
    let found = lines.filter { $0.hasPrefix("E: ") }
    guard let first = found.first else { return nil }
    return ("apt", found, first)
  }

  /// rustc's first `error[E…]:` with its `-->` location.
  static func rust(_ lines: [String], _ command: String) -> (String, [String], String)? {
    guard let index = lines.firstIndex(where: { $0.hasPrefix("error[E") }) else { return nil }
    let location = lines[(index + 1)...].prefix(2).filter { $0.contains("--> ") }
    return ("rust", [lines[index]] + location, lines[index])
  }

  /// tsc's first `error TS…:`.
  static func typescript(_ lines: [String], _ command: String) -> (String, [String], String)? {
    guard
      let index = lines.firstIndex(where: {
        $0.range(of: #"error TS[0-9]+:"#, options: .regularExpression) != nil
      })
    else { return nil }
    let message = lines[index].range(of: #"TS[0-9]+:.*"#, options: .regularExpression).map {
      String(lines[index][$0])
    }
    return ("typescript", [lines[index]], message ?? lines[index])
  }

  /// CMake's first `CMake Error` with the lines that say what is wrong.
  static func cmake(_ lines: [String], _ command: String) -> (String, [String], String)? {
    guard let index = lines.firstIndex(where: { $0.hasPrefix("CMake Error") }) else { return nil }
    let detail = lines[(index + 1)...].prefix { $0.isEmpty || $0.hasPrefix(" ") }.filter {
      !$0.trimmingCharacters(in: .whitespaces).isEmpty
    }.prefix(2)
    let message =
      ([lines[index]] + detail.prefix(1).map { $0.trimmingCharacters(in: .whitespaces) }).joined(
        separator: " ")
    return ("cmake", [lines[index]] + detail, message)
  }

  /// Next.js and webpack's `Failed to compile.` and the lines after it.
  static func webpack(_ lines: [String], _ command: String) -> (String, [String], String)? {
    guard
      let index = lines.lastIndex(where: {
        $0.trimmingCharacters(in: .whitespaces) == "Failed to compile."
      })
    else {
      return nil
    }
    let after = lines[(index + 1)...].filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
      .prefix(4)
    let key = after.first { line in
      let t = line.trimmingCharacters(in: .whitespaces)
      return t.hasPrefix("x ") || t.hasPrefix("Type error:") || t.hasPrefix("Module not found:")
        || (t.hasPrefix("Error:") && t.count > 7)
    }
    let tool = lines.contains { $0.contains("Next.js") } ? "next" : "webpack"
    return (
      tool, [lines[index]] + after,
      (key ?? after.first ?? lines[index]).trimmingCharacters(in: .whitespaces)
    )
  }

  /// A compiler's first `error:` line (`file.c:3:5: error: …`, `error: …`).
  static func compiler(_ lines: [String], _ command: String) -> (String, [String], String)? {
    guard
      let index = lines.firstIndex(where: { line in
        line.hasPrefix("error: ") || line.hasPrefix("fatal error: ")
          || line.range(
            of: #"^\S+:[0-9]+(:[0-9]+)?: (fatal )?error: "#, options: .regularExpression) != nil
      })
    else { return nil }
    return ("compiler", [lines[index]], lines[index])
  }

  // MARK: - BuildKit's error text

  /// `"/requirements.txt": not found` from a COPY whose source is missing, or the legacy `COPY failed: …`.
  static func dockerNotFound(_ error: String) -> String? {
    if let range = error.range(of: #""[^"]*": not found"#, options: .regularExpression) {
      return String(error[range])
    }
    if let range = error.range(of: "COPY failed: ") { return String(error[range.lowerBound...]) }
    return nil
  }

  /// `exit code: 2` (BuildKit) or `returned a non-zero code: 2` (the legacy builder).
  static func exitCode(in error: String) -> Int? {
    for marker in ["exit code: ", "returned a non-zero code: "] {
      if let range = error.range(of: marker, options: .backwards) {
        return Int(error[range.upperBound...].prefix { $0.isNumber }.prefix(9))
      }
    }
    return nil
  }

  private static func dropPrefix(_ text: String, _ prefix: String) -> String {
    text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
  }

  private static func trimmedRight(_ text: String) -> String {
    var t = Substring(text)
    while let last = t.last, last == " " || last == "\t" || last == "\r" { t.removeLast() }
    return String(t)
  }
}
