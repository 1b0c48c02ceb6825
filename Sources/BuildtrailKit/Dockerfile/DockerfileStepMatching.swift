import Foundation

extension Dockerfile {
  /// Finds the instruction behind a printed step name such as `[build 2/3] COPY app/ ./`,
  /// `[linux/arm64 builder 2/5] RUN …`, `[web base 1/3] FROM …` or `[2/4] RUN make`: first by stage and
  /// index (the keyword must agree), then by stage and normalised step text.
  public func step(matching printedName: String) -> (stage: Stage, step: NumberedStep)? {
    guard let printed = PrintedStep(printedName) else { return nil }
    let candidates: [Stage]
    if let token = printed.prefixTokens.last,
      let stage = stages.first(where: { $0.displayName == token })
    {
      candidates = [stage]
    } else if stages.count == 1 {
      candidates = stages
    } else {
      candidates = stages.filter { $0.steps.contains(where: { printed.keywordMatches($0) }) }
    }
    let byIndexAndTotal: (Stage) -> NumberedStep? = { stage in
      stage.steps.first {
        $0.index == printed.index && $0.total == printed.total && printed.keywordMatches($0)
      }
    }
    let byText: (Stage) -> NumberedStep? = { stage in
      stage.steps.first { printed.keywordMatches($0) && printed.textMatches($0.instruction) }
    }
    let byIndex: (Stage) -> NumberedStep? = { stage in
      stage.steps.first { $0.index == printed.index && printed.keywordMatches($0) }
    }
    for rule in [byIndexAndTotal, byText, byIndex] {
      let hits = candidates.compactMap { stage in rule(stage).map { (stage, $0) } }
      if hits.count == 1, let hit = hits.first { return (stage: hit.0, step: hit.1) }
    }
    return nil
  }

  /// A printed step name read into its parts.
  struct PrintedStep {
    /// The words before `i/n` inside the brackets: service, platform, stage.
    var prefixTokens: [String]
    var index: Int
    var total: Int
    /// The instruction text after the brackets, without an `ONBUILD ` or `LINK ` marker.
    var text: String
    var keyword: String
    var isOnBuild: Bool

    init?(_ name: String) {
      var line = Substring(name.trimmingCharacters(in: .whitespaces))
      if line.hasPrefix("#"), let space = line.firstIndex(of: " ") {
        line = line[line.index(after: space)...].drop(while: { $0 == " " })
      }
      guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { return nil }
      var tokens = line[line.index(after: line.startIndex)..<close].split(
        whereSeparator: \.isWhitespace)
      guard let counter = tokens.popLast(), let slash = counter.firstIndex(of: "/"),
        let index = Int(counter[..<slash]), let total = Int(counter[counter.index(after: slash)...])
      else { return nil }
      prefixTokens = tokens.map(String.init)
      self.index = index
      self.total = total
      var body = line[line.index(after: close)...].drop(while: { $0 == " " })
      isOnBuild = false
      if body.hasPrefix("ONBUILD ") {
        isOnBuild = true
        body = body.dropFirst("ONBUILD ".count)
      } else if body.hasPrefix("LINK ") {
        body = body.dropFirst("LINK ".count)
      }
      text = String(body)
      keyword = String(body.prefix(while: { $0 != " " })).uppercased()
    }

    func keywordMatches(_ step: NumberedStep) -> Bool {
      step.instruction.keyword == keyword && step.isOnBuildTrigger == isOnBuild
    }

    func textMatches(_ instruction: Instruction) -> Bool {
      var printed = PrintedStep.collapse(text)
      var ours = PrintedStep.collapse(instruction.stepText)
      if keyword == "FROM" {
        printed = PrintedStep.fromText(printed)
        ours = PrintedStep.fromText(ours)
      }
      var truncated = false
      if printed.hasSuffix("...") && !ours.hasSuffix("...") {
        printed = String(printed.dropLast(3))
        truncated = true
      }
      if printed == ours || (truncated && ours.hasPrefix(printed)) { return true }
      return PrintedStep.wildcardMatch(ours, printed, prefixOnly: truncated)
    }

    static func collapse(_ text: String) -> String {
      text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `FROM <ref>` with the reference normalised and any digest removed.
    static func fromText(_ text: String) -> String {
      let words = text.split(separator: " ")
      guard words.count >= 2 else { return text }
      var ref = String(words[1])
      if let at = ref.firstIndex(of: "@") { ref = String(ref[..<at]) }
      return "FROM " + Dockerfile.normalizedReference(ref)
    }

    /// Whether `pattern` matches `text` when each `$NAME` / `${…}` in `pattern` may stand for any text
    /// (a variable BuildKit expanded with a value this file does not know).
    static func wildcardMatch(_ pattern: String, _ text: String, prefixOnly: Bool) -> Bool {
      var segments: [String] = [""]
      let scalars = Array(pattern.unicodeScalars)
      var i = 0
      while i < scalars.count {
        let c = scalars[i]
        if c == "$", i + 1 < scalars.count, scalars[i + 1] == "{",
          let close = scalars[(i + 2)...].firstIndex(of: "}")
        {
          segments.append("")
          i = close + 1
          continue
        }
        if c == "$", i + 1 < scalars.count,
          scalars[i + 1] == "_" || scalars[i + 1].properties.isAlphabetic
        {
          i += 1
          while i < scalars.count,
            scalars[i] == "_" || scalars[i].properties.isAlphabetic
              || scalars[i].properties.numericType == .decimal
          {
            i += 1
          }
          segments.append("")
          continue
        }
        segments[segments.count - 1].unicodeScalars.append(c)
        i += 1
      }
      guard segments.count > 1, let first = segments.first, let last = segments.last else {
        return false
      }
      guard text.hasPrefix(first) else { return prefixOnly && first.hasPrefix(text) }
      var rest = text.dropFirst(first.count)
      for segment in segments.dropFirst().dropLast() where !segment.isEmpty {
        guard let range = rest.range(of: segment) else { return prefixOnly }
        rest = rest[range.upperBound...]
      }
      return prefixOnly || rest.hasSuffix(last)
    }
  }
}
