import Foundation

// One cohesive thing over 400 lines: the Dockerfile's shell-word, quoting and variable-expansion rules, which must agree with each other.

extension Dockerfile {
  /// What is known of a variable when expanding a word.
  enum Variable: Sendable, Equatable {
    /// Set, to this value.
    case value(String)
    /// Possibly set, to a value that cannot be known here (base image env, build args, platform args).
    case unknown
    /// Certainly not set.
    case unset
  }

  /// Expands `$VAR`, `${VAR}` and `${VAR<op>word}` and processes quotes and escapes in one word, the way
  /// BuildKit's `shell.Lex.ProcessWord` does. A variable that is `.unknown` is kept as written.
  struct WordExpander {
    var escape: Unicode.Scalar
    /// Keep quote characters (BuildKit's `RawQuotes`, used for RUN step names).
    var rawQuotes = false
    /// Keep unset variables as written (BuildKit's `SkipUnsetEnv`).
    var skipUnset = false
    var lookup: (String) -> Variable
    /// Set when an `.unknown` variable was met.
    private(set) var sawUnknown = false

    private var chars: [Unicode.Scalar] = []
    private var pos = 0
    private var rawEscapes = false

    private struct Failure: Error {}

    init(
      escape: Unicode.Scalar, rawQuotes: Bool = false, skipUnset: Bool = false,
      lookup: @escaping (String) -> Variable
    ) {
      self.escape = escape
      self.rawQuotes = rawQuotes
      self.skipUnset = skipUnset
      self.lookup = lookup
    }

    /// The processed word, or nil where BuildKit would fail (unterminated quote, bad substitution).
    mutating func expand(_ word: String) -> String? {
      chars = Array(word.unicodeScalars)
      pos = 0
      rawEscapes = false
      sawUnknown = false
      return try? processUntil(nil, rawEscapes: false)
    }

    private var peek: Unicode.Scalar? { pos < chars.count ? chars[pos] : nil }

    private mutating func next() -> Unicode.Scalar? {
      guard pos < chars.count else { return nil }
      defer { pos += 1 }
      return chars[pos]
    }

    private mutating func processUntil(_ stop: Unicode.Scalar?, rawEscapes raw: Bool) throws
      -> String
    {
      let saved = rawEscapes
      rawEscapes = raw
      defer { rawEscapes = saved }
      var result = String.UnicodeScalarView()
      while let ch = peek {
        if let stop, ch == stop {
          pos += 1
          return String(result)
        }
        switch ch {
        case "$":
          result.append(contentsOf: try dollar().unicodeScalars)
        case "'":
          result.append(contentsOf: try singleQuoted().unicodeScalars)
        case "\"":
          result.append(contentsOf: try doubleQuoted().unicodeScalars)
        default:
          pos += 1
          if ch == escape {
            if rawEscapes { result.append(ch) }
            guard let escaped = next() else { break }
            result.append(escaped)
          } else {
            result.append(ch)
          }
        }
      }
      if stop != nil { throw Failure() }
      return String(result)
    }

    private mutating func singleQuoted() throws -> String {
      pos += 1
      var result = rawQuotes ? "'" : ""
      while true {
        guard let ch = next() else { throw Failure() }
        if ch == "'" {
          if rawQuotes { result.unicodeScalars.append(ch) }
          return result
        }
        result.unicodeScalars.append(ch)
      }
    }

    private mutating func doubleQuoted() throws -> String {
      pos += 1
      var result = rawQuotes ? "\"" : ""
      while true {
        guard let ch = peek else { throw Failure() }
        if ch == "\"" {
          pos += 1
          if rawQuotes { result.unicodeScalars.append(ch) }
          return result
        }
        if ch == "$" {
          result += try dollar()
          continue
        }
        pos += 1
        var out = ch
        if ch == escape {
          if rawEscapes { result.unicodeScalars.append(ch) }
          guard let following = peek else { continue }
          if following == "\"" || following == "$" || following == escape {
            pos += 1
            out = following
          }
        }
        result.unicodeScalars.append(out)
      }
    }

    private mutating func name() -> String {
      var name = String.UnicodeScalarView()
      while let ch = peek {
        if name.isEmpty, ch.properties.numericType == .decimal {
          while let digit = peek, digit.properties.numericType == .decimal {
            name.append(digit)
            pos += 1
          }
          return String(name)
        }
        if name.isEmpty, "@*#?-$!0".unicodeScalars.contains(ch) {
          pos += 1
          return String(ch)
        }
        guard ch.properties.isAlphabetic || ch.properties.numericType == .decimal || ch == "_"
        else { break }
        name.append(ch)
        pos += 1
      }
      return String(name)
    }

    private mutating func dollar() throws -> String {
      pos += 1
      guard peek == "{" else {
        let variable = name()
        if variable.isEmpty { return "$" }
        switch lookup(variable) {
        case .value(let value): return value
        case .unknown:
          sawUnknown = true
          return "$" + variable
        case .unset: return skipUnset ? "$" + variable : ""
        }
      }
      pos += 1
      guard let first = peek, first != "{", first != "}", first != ":" else { throw Failure() }
      let variable = name()
      guard var op = next() else { throw Failure() }
      switch op {
      case "}":
        switch lookup(variable) {
        case .value(let value): return value
        case .unknown:
          sawUnknown = true
          return "${\(variable)}"
        case .unset: return skipUnset ? "${\(variable)}" : ""
        }
      case ":", "+", "-", "?", "#", "%":
        var spelled = String(op)
        let nullIsUnset = op == ":"
        if nullIsUnset {
          guard let modifier = next() else { throw Failure() }
          op = modifier
          spelled.unicodeScalars.append(modifier)
        }
        let trims = op == "#" || op == "%"
        if nullIsUnset && trims { throw Failure() }
        var word = try processUntil("}", rawEscapes: trims)
        let state = lookup(variable)
        if state == .unknown {
          sawUnknown = true
          return "${\(variable)\(spelled)\(word)}"
        }
        if state == .unset && skipUnset { return "${\(variable)\(spelled)\(word)}" }
        let value: String
        let isSet: Bool
        if case .value(let v) = state {
          value = v
          isSet = true
        } else {
          value = ""
          isSet = false
        }
        let absent = !isSet || (nullIsUnset && value.isEmpty)
        switch op {
        case "-": return absent ? word : value
        case "+": return absent ? "" : word
        case "?":
          if absent { throw Failure() }
          return value
        case "#", "%":
          var greedy = false
          if word.unicodeScalars.first == op {
            greedy = true
            word = String(word.unicodeScalars.dropFirst())
          }
          return op == "%"
            ? Glob.trimSuffix(word, from: value, greedy: greedy)
            : Glob.trimPrefix(word, from: value, greedy: greedy)
        default: throw Failure()
        }
      case "/":
        let all = peek == "/"
        if all { pos += 1 }
        let pattern = try processUntil("/", rawEscapes: true)
        let replacement = try processUntil("}", rawEscapes: true)
        let state = lookup(variable)
        if state == .unknown {
          sawUnknown = true
          return "${\(variable)/\(all ? "/" : "")\(pattern)/\(replacement)}"
        }
        guard case .value(let value) = state else {
          return skipUnset ? "${\(variable)/\(pattern)/\(replacement)}" : ""
        }
        return Glob.replace(pattern, in: value, with: replacement, all: all)
      default:
        throw Failure()
      }
    }
  }

  /// Shell-style pattern helpers for `${VAR%pattern}`, `${VAR#pattern}` and `${VAR/pattern/repl}`.
  enum Glob {
    static func matches(_ pattern: [Unicode.Scalar], _ text: ArraySlice<Unicode.Scalar>) -> Bool {
      var p = 0
      var t = text.startIndex
      var star: Int?
      var starText = t
      while t < text.endIndex {
        if p < pattern.count {
          let c = pattern[p]
          if c == "*" {
            star = p
            starText = t
            p += 1
            continue
          }
          if c == "\\", p + 1 < pattern.count, pattern[p + 1] == text[t] {
            p += 2
            t += 1
            continue
          }
          if c == "?" || (c != "\\" && c == text[t]) {
            p += 1
            t += 1
            continue
          }
        }
        guard let s = star else { return false }
        p = s + 1
        starText += 1
        t = starText
      }
      while p < pattern.count, pattern[p] == "*" { p += 1 }
      return p == pattern.count
    }

    static func trimPrefix(_ pattern: String, from value: String, greedy: Bool) -> String {
      let p = Array(pattern.unicodeScalars)
      let v = Array(value.unicodeScalars)
      let lengths = greedy ? Array(stride(from: v.count, through: 0, by: -1)) : Array(0...v.count)
      for n in lengths where matches(p, v[0..<n]) {
        return String(String.UnicodeScalarView(v[n...]))
      }
      return value
    }

    static func trimSuffix(_ pattern: String, from value: String, greedy: Bool) -> String {
      let p = Array(pattern.unicodeScalars)
      let v = Array(value.unicodeScalars)
      let starts = greedy ? Array(0...v.count) : Array(stride(from: v.count, through: 0, by: -1))
      for s in starts where matches(p, v[s...]) { return String(String.UnicodeScalarView(v[..<s])) }
      return value
    }

    static func replace(_ pattern: String, in value: String, with replacement: String, all: Bool)
      -> String
    {
      let p = Array(pattern.unicodeScalars)
      let v = Array(value.unicodeScalars)
      var out = String.UnicodeScalarView()
      var start = 0
      var replaced = false
      var lastEnd = -1
      while start <= v.count {
        if all || !replaced {
          var hit: Int?
          for end in stride(from: v.count, through: start, by: -1) where matches(p, v[start..<end])
          {
            hit = end
            break
          }
          // An empty match right after a previous match does not count (as in Go's ReplaceAll).
          if let end = hit, !p.isEmpty, end > start || start != lastEnd {
            out.append(contentsOf: replacement.unicodeScalars)
            replaced = true
            lastEnd = end
            if end > start {
              start = end
              continue
            }
          }
        }
        if start < v.count { out.append(v[start]) }
        start += 1
      }
      return String(out)
    }
  }

  /// BuildKit's `parseWords`: whitespace-separated words, quotes and escapes kept (used for ENV and ARG).
  static func parseWords(_ text: String, escape: Unicode.Scalar) -> [String] {
    var words: [String] = []
    var word = String.UnicodeScalarView()
    var inWord = false
    var quote: Unicode.Scalar?
    var blankOK = false
    let chars = Array(text.unicodeScalars)
    var i = 0
    func flush() {
      if blankOK || !word.isEmpty { words.append(String(word)) }
      word = String.UnicodeScalarView()
      blankOK = false
    }
    while i < chars.count {
      let ch = chars[i]
      if let q = quote {
        if ch == q { quote = nil }
        if ch == escape && q != "'" {
          if i + 1 == chars.count {
            quote = nil
            i += 1
            continue
          }
          word.append(ch)
          i += 1
          word.append(chars[i])
          i += 1
          continue
        }
        word.append(ch)
        i += 1
        continue
      }
      if !inWord {
        if ch.properties.isWhitespace {
          i += 1
          continue
        }
        inWord = true
      }
      if ch.properties.isWhitespace {
        inWord = false
        flush()
        i += 1
        continue
      }
      if ch == "'" || ch == "\"" {
        quote = ch
        blankOK = true
      }
      if ch == escape {
        if i + 1 == chars.count {
          i += 1
          continue
        }
        word.append(ch)
        i += 1
      }
      word.append(chars[i])
      i += 1
    }
    if inWord || quote != nil { flush() }
    return words
  }

  /// BuildKit's `extractBuilderFlags`: the leading `--flag` words (quotes and escapes removed) and the rest.
  static func extractFlags(_ text: String, escape: Unicode.Scalar) -> (
    flags: [String], rest: String
  ) {
    let chars = Array(text.unicodeScalars)
    var words: [String] = []
    var word = String.UnicodeScalarView()
    var blankOK = false
    var quote: Unicode.Scalar?
    var i = 0
    func rest(from index: Int) -> String { String(String.UnicodeScalarView(chars[index...])) }
    while true {
      while i < chars.count, chars[i].properties.isWhitespace { i += 1 }
      guard i < chars.count else { return (words, "") }
      guard chars[i] == "-", i + 1 < chars.count, chars[i + 1] == "-" else {
        return (words, rest(from: i))
      }
      word = String.UnicodeScalarView()
      blankOK = false
      quote = nil
      while i < chars.count {
        let ch = chars[i]
        if let q = quote {
          if ch == q {
            quote = nil
          } else if ch == escape {
            if i + 1 == chars.count {
              quote = nil
            } else {
              i += 1
              word.append(chars[i])
            }
          } else {
            word.append(ch)
          }
          i += 1
          continue
        }
        if ch.properties.isWhitespace { break }
        if ch == "'" || ch == "\"" {
          quote = ch
          blankOK = true
        } else if ch == escape {
          if i + 1 < chars.count {
            i += 1
            word.append(chars[i])
          }
        } else {
          word.append(ch)
        }
        i += 1
      }
      let finished = String(word)
      if finished == "--" { return (words, i < chars.count ? rest(from: i) : "") }
      if blankOK || !finished.isEmpty { words.append(finished) }
    }
  }

  /// BuildKit's `ProcessWords` without variable expansion (variables stay as written): shell words with
  /// quotes and escapes (`\`) either kept or processed. Nil on an unterminated quote.
  static func shellWords(_ text: String, rawQuotes: Bool, rawEscapes: Bool) -> [String]? {
    let chars = Array(text.unicodeScalars)
    var words: [String] = []
    var word = String.UnicodeScalarView()
    var inWord = false
    var i = 0
    func push() {
      if !word.isEmpty { words.append(String(word)) }
      word = String.UnicodeScalarView()
      inWord = false
    }
    while i < chars.count {
      let ch = chars[i]
      switch ch {
      case "\\":
        if rawEscapes { word.append(ch) }
        inWord = true
        i += 1
        if i < chars.count {
          word.append(chars[i])
          i += 1
        }
      case "'":
        guard let close = chars[(i + 1)...].firstIndex(of: "'") else { return nil }
        word.append(contentsOf: rawQuotes ? chars[i..<(close + 1)] : chars[(i + 1)..<close])
        inWord = true
        i = close + 1
      case "\"":
        if rawQuotes { word.append(ch) }
        i += 1
        var closed = false
        while i < chars.count {
          let c = chars[i]
          if c == "\"" {
            closed = true
            if rawQuotes { word.append(c) }
            i += 1
            break
          }
          if c == "\\", i + 1 < chars.count, "\"$\\".unicodeScalars.contains(chars[i + 1]) {
            if rawEscapes { word.append(c) }
            word.append(chars[i + 1])
            i += 2
            continue
          }
          word.append(c)
          i += 1
        }
        guard closed else { return nil }
        inWord = true
      case "<" where i + 1 < chars.count && chars[i + 1] == "<":
        word.append(contentsOf: "<<".unicodeScalars)
        i += 2
        while i < chars.count, chars[i] == " " || chars[i] == "\t" {
          word.append(chars[i])
          i += 1
        }
        inWord = true
      default:
        if ch.properties.isWhitespace {
          if inWord { push() }
        } else {
          word.append(ch)
          inWord = true
        }
        i += 1
      }
    }
    push()
    return words
  }
}
