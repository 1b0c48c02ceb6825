import Foundation

extension Dockerfile {
  /// The ARGs BuildKit defines for every build; their values depend on the builder and platform.
  static let automaticArgs: Set<String> = [
    "BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION", "BUILDARCH", "BUILDVARIANT", "TARGETPLATFORM",
    "TARGETOS",
    "TARGETOSVERSION", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
  ]

  /// The instructions BuildKit counts in `n` and prints with `[i/n]` (convert.go `buildDispatchStates`).
  static let countedKeywords: Set<String> = ["RUN", "COPY", "ADD", "WORKDIR"]

  /// Groups instructions into stages, follows ARG/ENV values through each stage, and numbers the steps the way
  /// BuildKit's `prefixCommand` does.
  struct Assembler {
    let escape: Unicode.Scalar
    private(set) var globalArgs: [Instruction] = []
    private(set) var stages: [Stage] = []
    private(set) var problems: [String] = []
    private var globalValues: [String: Variable] = [:]

    /// What a stage knows when its last instruction has run: variables and working directory.
    private struct Scope {
      var env: [String: Variable] = [:]
      /// nil when it comes from a base image and cannot be known.
      var workdir: String?
    }

    init(escape: Unicode.Scalar) {
      self.escape = escape
    }

    mutating func assemble(_ instructions: [Instruction]) {
      var groups: [[Instruction]] = []
      for instruction in instructions {
        if instruction.keyword == "FROM" {
          groups.append([instruction])
        } else if groups.isEmpty {
          if instruction.keyword == "ARG" {
            globalArgs.append(instruction)
            declareGlobal(instruction)
          } else if Dockerfile.knownKeywords.contains(instruction.keyword) {
            problems.append(
              "line \(instruction.line): \(instruction.keyword) before the first FROM")
          }
        } else {
          groups[groups.count - 1].append(instruction)
        }
      }
      if groups.isEmpty { problems.append("no FROM instruction: the file defines no build stage") }
      for (index, group) in groups.enumerated() {
        stages.append(makeStage(index: index, instructions: group))
      }
      var scopes: [Scope] = []
      for index in stages.indices {
        scopes.append(numberSteps(of: index, scopes: scopes))
      }
      let single = stages.count == 1 && !hasOtherSources(stages[0])
      for index in stages.indices {
        let stageName: String? = single ? nil : stages[index].displayName
        stages[index].printedStageName = stageName
        for s in stages[index].steps.indices {
          let step = stages[index].steps[s]
          let width = String(step.total).count
          let number =
            String(repeating: " ", count: max(0, width - String(step.index).count))
            + String(step.index)
          stages[index].steps[s].printedName =
            "[" + (stageName.map { $0 + " " } ?? "") + "\(number)/\(step.total)] "
            + (step.isOnBuildTrigger ? "ONBUILD " : "") + step.instruction.stepText
        }
      }
    }

    private mutating func declareGlobal(_ instruction: Instruction) {
      for word in instruction.words {
        let (key, value) = Assembler.splitAssignment(word)
        guard let value else {
          if globalValues[key] == nil { globalValues[key] = .unknown }
          continue
        }
        var expander = WordExpander(escape: escape) { [globalValues] name in
          Assembler.globalLookup(name, values: globalValues)
        }
        if let expanded = expander.expand(value), !expander.sawUnknown {
          globalValues[key] = .value(expanded)
        } else {
          globalValues[key] = .unknown
        }
      }
    }

    private static func globalLookup(_ name: String, values: [String: Variable]) -> Variable {
      if let value = values[name] { return value }
      return Dockerfile.automaticArgs.contains(name) ? .unknown : .unset
    }

    static func splitAssignment(_ word: String) -> (String, String?) {
      guard let eq = word.firstIndex(of: "=") else { return (word, nil) }
      return (String(word[..<eq]), String(word[word.index(after: eq)...]))
    }

    private mutating func makeStage(index: Int, instructions: [Instruction]) -> Stage {
      let from = instructions[0]
      var name: String?
      let words = from.words
      if words.count == 3, words[1].lowercased() == "as" {
        let lowered = words[2].lowercased()
        name = lowered
        if !Assembler.isValidStageName(lowered) {
          problems.append("line \(from.line): invalid name for build stage: \"\(words[2])\"")
        }
      } else if words.count != 1 {
        problems.append("line \(from.line): FROM requires either one or three arguments")
      }
      let written = words.first ?? ""
      var expander = WordExpander(escape: escape) { [globalValues] name in
        Assembler.globalLookup(name, values: globalValues)
      }
      let base = expander.expand(written) ?? written
      if base.isEmpty {
        problems.append("line \(from.line): base name (\(written)) should not be blank")
      }
      let baseStage = stages.last(where: { $0.name != nil && $0.name == base })?.index
      return Stage(
        index: index, name: name, displayName: name ?? "stage-\(index)", printedStageName: nil,
        base: base,
        baseStage: baseStage, platform: from.flags.first(where: { $0.name == "platform" })?.value,
        instructions: instructions, steps: [], totalSteps: 0)
    }

    private static func isValidStageName(_ name: String) -> Bool {
      guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
      return name.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
      }
    }

    /// Whether BuildKit adds a build source besides the stages (an image in `COPY --from`, any RUN mount not
    /// from a stage), which keeps the stage name in a single-stage file's step names.
    private func hasOtherSources(_ stage: Stage) -> Bool {
      let names = Set(stages.compactMap(\.name))
      for instruction in stage.instructions {
        if instruction.keyword == "COPY", let from = instruction.copyFrom {
          if Int(from) == nil && !names.contains(from.lowercased()) { return true }
        }
        if instruction.keyword == "RUN",
          instruction.mounts.contains(where: {
            !names.contains(($0.from ?? "scratch").lowercased())
          })
        {
          return true
        }
      }
      return false
    }

    /// Numbers the steps of stage `index` and refines step texts with the variables known at each instruction.
    private mutating func numberSteps(of index: Int, scopes: [Scope]) -> Scope {
      var stage = stages[index]
      var scope: Scope
      if let base = stage.baseStage, scopes.indices.contains(base) {
        scope = scopes[base]
      } else {
        scope = Scope(env: [:], workdir: stage.base == "scratch" ? "/" : nil)
      }
      let countsFrom = stage.base != "scratch" && stage.baseStage == nil
      let triggers =
        stage.baseStage.map { base in stages[base].instructions.compactMap(\.trigger) } ?? []
      let total =
        (countsFrom ? 1 : 0) + triggers.count
        + stage.instructions.dropFirst().filter { Dockerfile.countedKeywords.contains($0.keyword) }
        .count
      var steps: [NumberedStep] = []
      if countsFrom {
        stage.instructions[0].stepText = "FROM " + Dockerfile.normalizedReference(stage.base)
        steps.append(
          NumberedStep(
            index: 1, total: total, instruction: stage.instructions[0], isOnBuildTrigger: false,
            printedName: ""))
      }
      for trigger in triggers {
        var instruction = trigger
        if apply(&instruction, scope: &scope) {
          steps.append(
            NumberedStep(
              index: steps.count + 1, total: total, instruction: instruction,
              isOnBuildTrigger: true, printedName: ""))
        }
      }
      for position in stage.instructions.indices.dropFirst() {
        if apply(&stage.instructions[position], scope: &scope) {
          steps.append(
            NumberedStep(
              index: steps.count + 1, total: total, instruction: stage.instructions[position],
              isOnBuildTrigger: false,
              printedName: ""))
        }
      }
      stage.steps = steps
      stage.totalSteps = total
      stages[index] = stage
      return scope
    }

    /// Runs one instruction against the scope; returns whether BuildKit prints it as a numbered step.
    private func apply(_ instruction: inout Instruction, scope: inout Scope) -> Bool {
      let env = scope.env
      let lookup: (String) -> Variable = { env[$0] ?? .unknown }
      let code = Dockerfile.trimSpace(instruction.original)
      switch instruction.keyword {
      case "ENV":
        for (key, value) in Assembler.envPairs(instruction) {
          var expander = WordExpander(escape: escape, lookup: lookup)
          if let expanded = expander.expand(value), !expander.sawUnknown {
            scope.env[key] = .value(expanded)
          } else {
            scope.env[key] = .unknown
          }
        }
        return false
      case "ARG":
        for word in instruction.words {
          let (key, value) = Assembler.splitAssignment(word)
          if let value {
            let current = scope.env
            var expander = WordExpander(escape: escape) { current[$0] ?? .unknown }
            if let expanded = expander.expand(value), !expander.sawUnknown {
              scope.env[key] = .value(expanded)
            } else {
              scope.env[key] = .unknown
            }
          } else if case .value(let global)? = globalValues[key] {
            scope.env[key] = .value(global)
          } else {
            scope.env[key] = .unknown
          }
        }
        return false
      case "RUN":
        var name = code
        if !instruction.isJSONForm, let first = instruction.heredocs.first,
          Dockerfile.heredocMarker(instruction.rest) != nil
        {
          name += " (\(Assembler.summarize(first.body)))"
        }
        var expander = WordExpander(
          escape: escape, rawQuotes: true, skipUnset: true, lookup: lookup)
        instruction.stepText = Dockerfile.uppercaseCommand(expander.expand(name) ?? name)
        instruction.mounts = instruction.mounts.map { expandMount($0, lookup: lookup) }
        return true
      case "COPY", "ADD":
        var expander = WordExpander(escape: escape, lookup: lookup)
        instruction.stepText = Dockerfile.uppercaseCommand(expander.expand(code) ?? code)
        (instruction.sources, instruction.destination) = Dockerfile.copyOperands(
          instruction.words, expander: &expander)
        return true
      case "WORKDIR":
        var expander = WordExpander(escape: escape, lookup: lookup)
        instruction.stepText = Dockerfile.uppercaseCommand(expander.expand(code) ?? code)
        var pathExpander = WordExpander(escape: escape, lookup: lookup)
        guard let path = pathExpander.expand(instruction.rest), !pathExpander.sawUnknown else {
          scope.workdir = nil
          return true
        }
        if path.hasPrefix("/") {
          scope.workdir = Assembler.cleanPath(path)
        } else {
          scope.workdir = scope.workdir.map { Assembler.cleanPath($0 + "/" + path) }
        }
        return scope.workdir != "/"
      default:
        return false
      }
    }

    private func expandMount(_ mount: Mount, lookup: @escaping (String) -> Variable) -> Mount {
      var expander = WordExpander(escape: escape, lookup: lookup)
      func expand(_ value: String?) -> String? { value.map { expander.expand($0) ?? $0 } }
      var result = mount
      result.source = expand(mount.source)
      result.target = expand(mount.target)
      result.id = expand(mount.id)
      for (key, value) in mount.options { result.options[key] = expander.expand(value) ?? value }
      return result
    }

    /// ENV's `KEY value` and `KEY=value …` forms (BuildKit's `parseNameVal`).
    static func envPairs(_ instruction: Instruction) -> [(String, String)] {
      guard let first = instruction.words.first else { return [] }
      if !first.contains("=") {
        let parts = instruction.rest.unicodeScalars.split(
          maxSplits: 1, whereSeparator: { " \t\r\u{0B}\u{0C}".unicodeScalars.contains($0) })
        guard parts.count == 2 else { return [] }
        let value = String(parts[1]).unicodeScalars.drop(while: {
          " \t\r\u{0B}\u{0C}".unicodeScalars.contains($0)
        })
        return [(String(parts[0]), String(value))]
      }
      return instruction.words.compactMap { word in
        let (key, value) = splitAssignment(word)
        return value.map { (key, $0) }
      }
    }

    /// BuildKit's `summarizeHeredoc`: the first line of the trimmed body, `...` when there are more.
    static func summarize(_ body: String) -> String {
      let lines = Dockerfile.trimSpace(body).replacingOccurrences(of: "\r\n", with: "\n")
        .split(separator: "\n", omittingEmptySubsequences: false)
      return String(lines.first ?? "") + (lines.count > 1 ? "..." : "")
    }

    /// `path.Clean` for absolute paths.
    static func cleanPath(_ path: String) -> String {
      var parts: [Substring] = []
      for part in path.split(separator: "/") {
        if part == "." { continue }
        if part == ".." {
          _ = parts.popLast()
          continue
        }
        parts.append(part)
      }
      return "/" + parts.joined(separator: "/")
    }
  }
}
