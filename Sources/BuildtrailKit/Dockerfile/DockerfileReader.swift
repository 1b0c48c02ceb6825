import Foundation

// One cohesive thing over 400 lines: the Dockerfile parser (continuations, directives, heredocs, instructions).

extension Dockerfile {
  /// The instruction keywords BuildKit knows.
  static let knownKeywords: Set<String> = [
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER",
    "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
  ]

  /// Turns the text into instructions the way BuildKit's `parser.Parse` does: parser directives, comments,
  /// line continuations (with the escape character), empty continuation lines and heredoc bodies.
  struct Reader {
    private(set) var directives: [String: String] = [:]
    private(set) var escape: Unicode.Scalar = "\\"
    private(set) var instructions: [Instruction] = []
    private(set) var problems: [String] = []

    private var lines: [(text: String, newline: Bool)] = []
    private var cursor = 0
    private var directivesDone = false

    init(text: String) {
      var parts = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
      let endsWithNewline = text.unicodeScalars.last == "\n"
      if endsWithNewline { parts.removeLast() }
      lines = parts.enumerated().map { index, part in
        (String(part), index < parts.count - 1 || endsWithNewline)
      }
      if var first = lines.first, first.text.unicodeScalars.first == "\u{FEFF}" {
        first.text = String(first.text.unicodeScalars.dropFirst())
        lines[0] = first
      }
      read()
    }

    private mutating func read() {
      while cursor < lines.count {
        let startLine = cursor + 1
        let firstLine = Reader.trimLeadingWhitespace(Reader.trimNewline(lines[cursor].text))
        cursor += 1
        if !directivesDone { readDirective(firstLine, line: startLine) }
        if Reader.isComment(firstLine) { continue }
        var (joined, ended) = trimContinuation(firstLine)
        if ended && joined.isEmpty { continue }
        var sawEmptyContinuation = false
        while !ended && cursor < lines.count {
          let next = Reader.trimNewline(lines[cursor].text)
          cursor += 1
          if Reader.isComment(next) { continue }
          if Reader.trimLeadingWhitespace(next).isEmpty {
            sawEmptyContinuation = true
            continue
          }
          let (piece, pieceEnds) = trimContinuation(next)
          joined += piece
          ended = pieceEnds
        }
        if sawEmptyContinuation {
          problems.append(
            "line \(startLine): empty continuation line (BuildKit warns; a future release rejects it)"
          )
        }
        let header = Dockerfile.Header(joined, escape: escape)
        var heredocs: [Heredoc] = []
        if header.canContainHeredoc, joined.contains("<<") {
          for marker in Dockerfile.heredocMarkers(in: joined) {
            heredocs.append(readHeredocBody(marker, startLine: startLine))
          }
        }
        let (instruction, instructionProblems) = Dockerfile.makeInstruction(
          joined, header: header, line: startLine, endLine: cursor, heredocs: heredocs,
          escape: escape)
        instructions.append(instruction)
        problems += instructionProblems
      }
    }

    private mutating func readHeredocBody(_ marker: Heredoc, startLine: Int) -> Heredoc {
      var heredoc = marker
      var body = ""
      while cursor < lines.count {
        let (text, newline) = lines[cursor]
        cursor += 1
        var candidate = Substring(Reader.trimNewline(text))
        if marker.stripTabs { candidate = candidate.drop(while: { $0 == "\t" }) }
        if candidate == marker.name {
          heredoc.body = body
          return heredoc
        }
        body += text + (newline ? "\n" : "")
      }
      problems.append("line \(startLine): unterminated heredoc \(marker.name)")
      heredoc.body = body
      return heredoc
    }

    /// `# key=value` before anything else; the first line that is not one ends the directives.
    private mutating func readDirective(_ line: String, line number: Int) {
      guard let (key, value) = Reader.directive(in: line) else {
        directivesDone = true
        return
      }
      guard ["syntax", "escape", "check"].contains(key) else {
        directivesDone = true
        return
      }
      if directives[key] != nil {
        problems.append("line \(number): only one \(key) parser directive can be used")
        return
      }
      directives[key] = value
      if key == "escape" {
        if value == "`" || value == "\\", let scalar = value.unicodeScalars.first {
          escape = scalar
        } else {
          problems.append("line \(number): invalid escape token '\(value)' does not match ` or \\")
        }
      }
    }

    static func directive(in line: String) -> (key: String, value: String)? {
      guard line.unicodeScalars.first == "#" else { return nil }
      let body = Array(line.unicodeScalars.dropFirst().drop(while: { $0.properties.isWhitespace }))
      func isRegexSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\r" || c == "\u{0C}"
      }
      var i = 0
      guard i < body.count, body[i].isASCII, body[i].properties.isAlphabetic else { return nil }
      while i < body.count, body[i].isASCII,
        body[i].properties.isAlphabetic || ("0"..."9").contains(body[i])
      {
        i += 1
      }
      let key = String(String.UnicodeScalarView(body[..<i])).lowercased()
      while i < body.count, isRegexSpace(body[i]) { i += 1 }
      guard i < body.count, body[i] == "=" else { return nil }
      i += 1
      while i < body.count, isRegexSpace(body[i]) { i += 1 }
      var end = body.count
      while end > i, isRegexSpace(body[end - 1]) { end -= 1 }
      guard end > i else { return nil }
      return (key, String(String.UnicodeScalarView(body[i..<end])))
    }

    /// Removes a trailing escape character (plus spaces and tabs after it) unless it is itself escaped;
    /// `ended` is false when the instruction continues on the next line.
    private func trimContinuation(_ line: String) -> (String, ended: Bool) {
      let chars = Array(line.unicodeScalars)
      var end = chars.count
      while end > 0, chars[end - 1] == " " || chars[end - 1] == "\t" { end -= 1 }
      guard end > 0, chars[end - 1] == escape else { return (line, true) }
      if end >= 2, chars[end - 2] == escape { return (line, true) }
      return (String(String.UnicodeScalarView(chars[..<(end - 1)])), false)
    }

    static func trimNewline(_ text: String) -> String {
      var scalars = Substring(text).unicodeScalars
      while let last = scalars.last, last == "\n" || last == "\r" { scalars.removeLast() }
      return String(scalars)
    }

    static func trimLeadingWhitespace(_ text: String) -> String {
      String(text.unicodeScalars.drop(while: { $0.properties.isWhitespace }))
    }

    static func isComment(_ text: String) -> Bool {
      text.unicodeScalars.first(where: { !$0.properties.isWhitespace }) == "#"
    }
  }

  /// The parts of a logical line BuildKit's `splitCommand` finds: keyword, flags, the rest, and whether the
  /// rest is a JSON array.
  struct Header {
    var keyword: String
    var afterKeyword: String
    var flagWords: [String]
    var rest: String
    var json: [String]?
    /// For ONBUILD: the header of the trigger.
    var child: [Header]

    init(_ line: String, escape: Unicode.Scalar) {
      let trimmed = Dockerfile.trimSpace(line)
      let scalars = Array(trimmed.unicodeScalars)
      func isSeparator(_ c: Unicode.Scalar) -> Bool {
        " \t\r\u{0B}\u{0C}".unicodeScalars.contains(c)
      }
      var i = 0
      while i < scalars.count, !isSeparator(scalars[i]) { i += 1 }
      keyword = String(String.UnicodeScalarView(scalars[..<i]))
      while i < scalars.count, isSeparator(scalars[i]) { i += 1 }
      afterKeyword = String(String.UnicodeScalarView(scalars[i...]))
      let (flags, rest) = Dockerfile.extractFlags(afterKeyword, escape: escape)
      flagWords = flags
      self.rest = Dockerfile.trimSpace(rest)
      let upper = keyword.uppercased()
      json =
        ["RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"].contains(upper)
        ? Dockerfile.jsonArray(self.rest) : nil
      child = upper == "ONBUILD" && !self.rest.isEmpty ? [Header(self.rest, escape: escape)] : []
    }

    /// BuildKit reads heredocs for RUN, COPY and ADD in shell form, also as ONBUILD triggers.
    var canContainHeredoc: Bool {
      if let trigger = child.first { return trigger.canContainHeredoc }
      return ["RUN", "COPY", "ADD"].contains(keyword.uppercased()) && json == nil
    }
  }

  /// Go's `strings.TrimSpace`.
  static func trimSpace(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[start...end])
  }

  /// BuildKit's `parseJSON`: a JSON array of strings, or nil.
  static func jsonArray(_ text: String) -> [String]? {
    let trimmed = String(text.unicodeScalars.drop(while: { $0.properties.isWhitespace }))
    guard trimmed.hasPrefix("["), let data = trimmed.data(using: .utf8),
      let array = try? JSONSerialization.jsonObject(with: data) as? [Any]
    else { return nil }
    var strings: [String] = []
    for element in array {
      guard let string = element as? String else { return nil }
      strings.append(string)
    }
    return strings
  }

  /// The heredoc markers of a line (`<<EOF`, `<<-EOF`, `3<<"EOF"`), as BuildKit's `heredocsFromLine` finds them.
  static func heredocMarkers(in line: String) -> [Heredoc] {
    guard let words = shellWords(line, rawQuotes: true, rawEscapes: true) else { return [] }
    return words.compactMap(heredocMarker)
  }

  /// BuildKit's `ParseHeredoc`: `^(\d*)<<(-?)\s*([^<]*)$` with a one-word terminator.
  static func heredocMarker(_ word: String) -> Heredoc? {
    let scalars = Array(word.unicodeScalars)
    var i = 0
    while i < scalars.count, ("0"..."9").contains(scalars[i]) { i += 1 }
    let descriptor = Int(String(String.UnicodeScalarView(scalars[..<i]))) ?? 0
    guard i + 1 < scalars.count, scalars[i] == "<", scalars[i + 1] == "<" else { return nil }
    i += 2
    let stripTabs = i < scalars.count && scalars[i] == "-"
    if stripTabs { i += 1 }
    while i < scalars.count, " \t\r\n\u{0C}".unicodeScalars.contains(scalars[i]) { i += 1 }
    let rest = String(String.UnicodeScalarView(scalars[i...]))
    guard !rest.isEmpty, !rest.unicodeScalars.contains("<") else { return nil }
    guard let words = shellWords(rest, rawQuotes: false, rawEscapes: false), words.count == 1,
      let rawWords = shellWords(rest, rawQuotes: true, rawEscapes: false), rawWords.count == 1
    else { return nil }
    func quoteCount(_ s: String) -> Int {
      s.unicodeScalars.filter { $0 == "'" || $0 == "\"" }.count
    }
    return Heredoc(
      name: words[0], body: "", stripTabs: stripTabs,
      quoted: quoteCount(words[0]) != quoteCount(rawWords[0]),
      fileDescriptor: descriptor)
  }

  /// Builds an instruction from a logical line; the step text is refined later, when the stage's
  /// variables are known.
  static func makeInstruction(
    _ original: String, header: Header, line: Int, endLine: Int, heredocs: [Heredoc],
    escape: Unicode.Scalar
  ) -> (Instruction, [String]) {
    var problems: [String] = []
    let keyword = header.keyword.uppercased()
    let code = trimSpace(original)
    let flags = header.flagWords.map { word -> Instruction.Flag in
      let body = word.hasPrefix("--") ? String(word.dropFirst(2)) : word
      if let eq = body.firstIndex(of: "=") {
        return Instruction.Flag(
          name: String(body[..<eq]), value: String(body[body.index(after: eq)...]))
      }
      return Instruction.Flag(name: body, value: nil)
    }
    let words: [String]
    switch keyword {
    case "ADD", "COPY", "VOLUME", "FROM", "EXPOSE":
      words = header.json ?? splitWhitespace(header.rest)
    case "ARG", "ENV", "LABEL":
      words = parseWords(header.rest, escape: escape)
    default:
      words = header.json ?? (header.rest.isEmpty ? [] : [header.rest])
    }
    var instruction = Instruction(
      keyword: keyword, arguments: header.afterKeyword, flags: flags, line: line, endLine: endLine,
      heredocs: heredocs, stepText: uppercaseCommand(code), sources: [], copyFrom: nil,
      destination: nil,
      mounts: [], command: nil, isJSONForm: header.json != nil, original: original,
      rest: header.rest,
      words: words, triggerStorage: [])

    if !knownKeywords.contains(keyword) {
      problems.append("line \(line): unknown instruction: \(header.keyword)")
    }
    switch keyword {
    case "RUN":
      instruction.command = header.json.map { $0.joined(separator: " ") } ?? header.rest
      instruction.mounts = flags.filter { $0.name == "mount" }.map { parseMount($0.value ?? "") }
    case "COPY", "ADD":
      if words.count < 2 {
        problems.append("line \(line): \(keyword) requires at least two arguments")
      }
      if keyword == "COPY" {
        instruction.copyFrom = flags.first(where: { $0.name == "from" })?.value
      }
    case "ONBUILD":
      if let childHeader = header.child.first {
        let triggerKeyword = childHeader.keyword.uppercased()
        if ["ONBUILD", "FROM", "MAINTAINER"].contains(triggerKeyword) {
          problems.append("line \(line): \(triggerKeyword) isn't allowed as an ONBUILD trigger")
        } else {
          let (trigger, triggerProblems) = makeInstruction(
            header.afterKeyword, header: childHeader, line: line, endLine: endLine,
            heredocs: heredocs,
            escape: escape)
          instruction.triggerStorage = [trigger]
          problems += triggerProblems
        }
      } else {
        problems.append("line \(line): ONBUILD requires at least one argument")
      }
    default:
      break
    }
    if ["COPY", "ADD"].contains(keyword) {
      var expander = WordExpander(escape: escape) { _ in .unknown }
      (instruction.sources, instruction.destination) = copyOperands(words, expander: &expander)
    }
    return (instruction, problems)
  }

  /// COPY/ADD sources (heredoc words left out) and destination, each processed as a shell word.
  static func copyOperands(_ words: [String], expander: inout WordExpander) -> ([String], String?) {
    guard words.count >= 2, let last = words.last else { return ([], nil) }
    let sources = words.dropLast().filter { heredocMarker($0) == nil }.map {
      expander.expand($0) ?? $0
    }
    return (sources, expander.expand(last) ?? last)
  }

  /// BuildKit's `uppercaseCmd`: the first space-separated word uppercased.
  static func uppercaseCommand(_ text: String) -> String {
    guard let space = text.firstIndex(of: " ") else { return text.uppercased() }
    return text[..<space].uppercased() + text[space...]
  }

  /// Splits on runs of `[\t\v\f\r ]`, as BuildKit's `parseStringsWhitespaceDelimited`.
  static func splitWhitespace(_ text: String) -> [String] {
    text.unicodeScalars.split(whereSeparator: { " \t\r\u{0B}\u{0C}".unicodeScalars.contains($0) })
      .map(String.init)
  }

  /// Parses one `--mount` value: comma-separated `key=value` fields, double quotes allowed.
  static func parseMount(_ spec: String) -> Mount {
    var mount = Mount()
    for field in csvFields(spec) {
      let key: String
      let value: String?
      if let eq = field.firstIndex(of: "=") {
        key = field[..<eq].lowercased()
        value = String(field[field.index(after: eq)...])
      } else {
        key = field.lowercased()
        value = nil
      }
      switch key {
      case "type": mount.type = (value ?? "").lowercased()
      case "source", "src": mount.source = value
      case "target", "dst", "destination": mount.target = value
      case "from": mount.from = value
      case "id": mount.id = value
      case "readonly", "ro":
        mount.options["readonly"] =
          value.map { ["1", "t", "true"].contains($0.lowercased()) ? "true" : "false" } ?? "true"
      case "readwrite", "rw":
        mount.options["readonly"] =
          value.map { ["1", "t", "true"].contains($0.lowercased()) ? "false" : "true" } ?? "false"
      default:
        if !key.isEmpty { mount.options[key] = value ?? "true" }
      }
    }
    return mount
  }

  /// Splits a CSV record: commas separate fields, double quotes quote them (`""` is a quote).
  static func csvFields(_ text: String) -> [String] {
    var fields: [String] = []
    var field = ""
    var quoted = false
    var iterator = Array(text).makeIterator()
    var pending: Character?
    while let ch = pending ?? iterator.next() {
      pending = nil
      if quoted {
        if ch == "\"" {
          if let following = iterator.next() {
            if following == "\"" {
              field.append("\"")
            } else {
              quoted = false
              pending = following
            }
          } else {
            quoted = false
          }
        } else {
          field.append(ch)
        }
      } else if ch == "\"" {
        quoted = true
      } else if ch == "," {
        fields.append(field)
        field = ""
      } else {
        field.append(ch)
      }
    }
    fields.append(field)
    return fields.filter { !$0.isEmpty }
  }
}
