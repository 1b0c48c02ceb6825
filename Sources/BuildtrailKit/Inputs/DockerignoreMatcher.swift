import Foundation

// One cohesive thing over 400 lines: BuildKit's .dockerignore pattern language and its context-walk semantics.

/// Decides which paths of a build context a `.dockerignore` file excludes, the way BuildKit's context walk does.
public struct DockerignoreMatcher: Sendable {
  /// One cleaned pattern of a `.dockerignore` file.
  public struct Pattern: Sendable, Equatable, CustomStringConvertible {
    /// The cleaned pattern without its leading `!`.
    public let text: String
    /// Whether the line started with `!`, re-including what it matches.
    public let isException: Bool
    let program: PatternProgram?

    /// Whether the pattern is well formed; a malformed one matches nothing here (BuildKit rejects the build).
    public var isValid: Bool { program != nil }

    /// The pattern as it would be written back, with its `!` if any.
    public var description: String { isException ? "!" + text : text }

    /// Patterns are equal when their text and exception flag are.
    public static func == (lhs: Pattern, rhs: Pattern) -> Bool {
      lhs.text == rhs.text && lhs.isException == rhs.isException
    }
  }

  /// The patterns in file order, comments and blank lines dropped.
  public let patterns: [Pattern]
  private let hasExceptions: Bool

  /// Parses the text of a `.dockerignore` file.
  public init(text: String) {
    var lines: [String] = []
    for (index, rawLine) in text.split(
      omittingEmptySubsequences: false, whereSeparator: \.isNewline
    )
    .enumerated() {
      var line = Substring(rawLine)
      if index == 0, line.unicodeScalars.first == "\u{FEFF}" {
        line = Substring(line.unicodeScalars.dropFirst())
      }
      if line.utf8.first == UInt8(ascii: "#") { continue }
      var pattern = line.trimmingCharacters(in: .whitespacesAndNewlines)
      if pattern.isEmpty { continue }
      let isException = pattern.utf8.first == UInt8(ascii: "!")
      if isException {
        pattern = String(pattern.unicodeScalars.dropFirst()).trimmingCharacters(
          in: .whitespacesAndNewlines)
      }
      if !pattern.isEmpty {
        pattern = PathCleaner.clean(pattern)
        if pattern.utf8.count > 1, pattern.utf8.first == UInt8(ascii: "/") {
          pattern = String(pattern.unicodeScalars.dropFirst())
        }
      }
      lines.append(isException ? "!" + pattern : pattern)
    }
    self.init(patterns: lines)
  }

  /// Reads and parses a `.dockerignore` file: its first 8 MiB, and only when it is a regular file.
  public init(contentsOf url: URL) throws {
    let data = try RegularFile.read(url.path, limit: CacheInputSnapshot.maxStoredBytes)
    self.init(text: String(decoding: data, as: UTF8.self))
  }

  /// Builds a matcher from already-read pattern lines (a leading `!` marks an exception).
  public init(patterns lines: [String]) {
    var compiled: [Pattern] = []
    for line in lines {
      var cleaned = line.trimmingCharacters(in: .whitespacesAndNewlines)
      if cleaned.isEmpty { continue }
      cleaned = PathCleaner.clean(cleaned)
      let isException = cleaned.utf8.first == UInt8(ascii: "!")
      if isException { cleaned = String(cleaned.unicodeScalars.dropFirst()) }
      let program = cleaned.isEmpty ? nil : PatternProgram(cleaned)
      compiled.append(Pattern(text: cleaned, isException: isException, program: program))
    }
    patterns = compiled
    hasExceptions = compiled.contains { $0.isException }
  }

  /// Whether `relativePath` (slash-separated, relative to the context) is left out of the build context.
  public func isExcluded(_ relativePath: String) -> Bool {
    let path = Self.normalize(relativePath)
    if path == "." || path.isEmpty || patterns.isEmpty { return false }
    let bytes = Array(path.utf8)
    var state: WalkState?
    var excluded = false
    for end in bytes.indices where end + 1 == bytes.count || bytes[end + 1] == UInt8(ascii: "/") {
      (excluded, state) = decide(String(decoding: bytes[0...end], as: UTF8.self), parent: state)
    }
    return excluded
  }

  /// Whether a walk may skip this directory's contents: it is excluded and no exception can re-include any of them.
  public func canSkipDirectory(_ relativePath: String) -> Bool {
    let path = Self.normalize(relativePath)
    if path == "." || path.isEmpty { return false }
    return isExcluded(path) && !exceptionCouldMatchBeneath(path)
  }

  /// Per-pattern results for a directory, handed to its children during a walk.
  struct WalkState: Sendable {
    var matched: [Bool]
  }

  /// Decides a path from its parent's state (nil for top-level paths), like BuildKit's `MatchesUsingParentResults`.
  func decide(_ path: String, parent: WalkState?) -> (excluded: Bool, state: WalkState) {
    var matched = false
    var results = [Bool](repeating: false, count: patterns.count)
    var subject: PathSubject?
    for (index, pattern) in patterns.enumerated() {
      var hit = parent?.matched[index] ?? false
      if !hit {
        if pattern.isException != matched { continue }
        guard let program = pattern.program else { continue }
        if subject == nil { subject = PathSubject(path) }
        if let subject { hit = program.matches(subject) }
      }
      results[index] = hit
      if hit { matched = !pattern.isException }
    }
    return (matched, WalkState(matched: results))
  }

  /// Whether some exception pattern could match a path strictly beneath `directory`.
  func exceptionCouldMatchBeneath(_ directory: String) -> Bool {
    guard hasExceptions else { return false }
    let prefix = directory + "/"
    return patterns.contains { pattern in
      guard pattern.isException, let program = pattern.program else { return false }
      return program.couldMatchSomethingStarting(with: prefix)
    }
  }

  static func normalize(_ relativePath: String) -> String {
    var path = PathCleaner.clean(relativePath)
    while path.utf8.first == UInt8(ascii: "/") { path = String(path.unicodeScalars.dropFirst()) }
    return path.isEmpty ? "." : path
  }
}

extension DockerignoreMatcher {
  /// A path prepared for matching: its bytes and Unicode scalars.
  struct PathSubject {
    let bytes: [UInt8]
    let scalars: [Unicode.Scalar]

    init(_ path: String) {
      bytes = Array(path.utf8)
      scalars = Array(path.unicodeScalars)
    }
  }

  /// A compiled pattern, keeping moby/patternmatcher's exact, prefix and suffix shortcuts and their quirks.
  struct PatternProgram: Sendable {
    enum Kind: Sendable {
      case exact([UInt8])
      case prefix([UInt8])
      case suffix([UInt8])
      case tokens([PatternToken])
    }

    let kind: Kind

    /// Compiles a cleaned pattern; nil when it is malformed.
    init?(_ pattern: String) {
      let scalars = Array(pattern.unicodeScalars)
      var tokens: [PatternToken] = []
      var detected = DetectedKind.exact
      var index = 0
      var iteration = 0
      while index < scalars.count {
        let scalar = scalars[index]
        index += 1
        defer { iteration += 1 }
        switch scalar {
        case "*":
          if index < scalars.count, scalars[index] == "*" {
            index += 1
            if index < scalars.count, scalars[index] == "/" { index += 1 }
            if index == scalars.count {
              if detected == .exact {
                detected = .prefix
              } else {
                tokens.append(.anything)
                detected = .tokens
              }
            } else {
              tokens.append(.optionalDirectories)
              detected = .tokens
            }
            if iteration == 0 { detected = .suffix }
          } else {
            tokens.append(.starWithinSegment)
            detected = .tokens
          }
        case "?":
          tokens.append(.oneWithinSegment)
          detected = .tokens
        case "\\":
          guard index < scalars.count else { return nil }
          tokens.append(.literal(scalars[index]))
          index += 1
          detected = .tokens
        case "[":
          guard let (set, next) = PatternToken.ScalarClass.parse(scalars, from: index) else {
            return nil
          }
          tokens.append(.set(set))
          index = next
          detected = .tokens
        default:
          tokens.append(.literal(scalar))
        }
      }
      let bytes = Array(pattern.utf8)
      switch detected {
      case .exact: kind = .exact(bytes)
      case .prefix: kind = .prefix(Array(bytes.dropLast(2)))
      case .suffix: kind = .suffix(Array(bytes.dropFirst(2)))
      case .tokens: kind = .tokens(tokens)
      }
    }

    private enum DetectedKind { case exact, prefix, suffix, tokens }

    func matches(_ subject: PathSubject) -> Bool {
      switch kind {
      case .exact(let bytes):
        return subject.bytes == bytes
      case .prefix(let bytes):
        return subject.bytes.starts(with: bytes)
      case .suffix(let bytes):
        if subject.bytes.count >= bytes.count,
          subject.bytes.suffix(bytes.count).elementsEqual(bytes)
        {
          return true
        }
        return bytes.first == UInt8(ascii: "/") && subject.bytes.elementsEqual(bytes.dropFirst())
      case .tokens(let tokens):
        var automaton = TokenAutomaton(tokens)
        for scalar in subject.scalars {
          automaton.consume(scalar)
          if automaton.isDead { return false }
        }
        return automaton.accepts
      }
    }

    /// Whether a path longer than `prefix` and starting with it could match; may wrongly say yes, never wrongly no.
    func couldMatchSomethingStarting(with prefix: String) -> Bool {
      switch kind {
      case .exact(let bytes):
        let prefixBytes = Array(prefix.utf8)
        return bytes.count > prefixBytes.count && bytes.starts(with: prefixBytes)
      case .prefix(let bytes):
        let prefixBytes = Array(prefix.utf8)
        return bytes.starts(with: prefixBytes) || prefixBytes.starts(with: bytes)
      case .suffix:
        return true
      case .tokens(let tokens):
        var automaton = TokenAutomaton(tokens)
        for scalar in prefix.unicodeScalars {
          automaton.consume(scalar)
          if automaton.isDead { return false }
        }
        return automaton.canContinue
      }
    }
  }

  /// One step of a compiled pattern.
  enum PatternToken: Sendable {
    case literal(Unicode.Scalar)
    /// `?`: one character other than `/`.
    case oneWithinSegment
    /// `*`: any run of characters other than `/`.
    case starWithinSegment
    /// `**/` in the middle: nothing, or anything ending with `/`.
    case optionalDirectories
    /// Trailing `**` after other wildcards: anything.
    case anything
    case set(ScalarClass)

    /// A `[...]` class; like Go's regexp (which BuildKit compiles to), a negated class also matches `/`.
    struct ScalarClass: Sendable {
      var negated: Bool
      var ranges: [ClosedRange<UInt32>]

      func contains(_ scalar: Unicode.Scalar) -> Bool {
        ranges.contains { $0.contains(scalar.value) } != negated
      }

      /// Parses after the `[`: the set and the index after `]`, or nil when `filepath.Match` would call it malformed.
      static func parse(_ scalars: [Unicode.Scalar], from start: Int) -> (ScalarClass, Int)? {
        var index = start
        var negated = false
        if index < scalars.count, scalars[index] == "^" {
          negated = true
          index += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        func element() -> Unicode.Scalar? {
          guard index < scalars.count else { return nil }
          var scalar = scalars[index]
          if scalar == "-" || scalar == "]" { return nil }
          if scalar == "\\" {
            index += 1
            guard index < scalars.count else { return nil }
            scalar = scalars[index]
          }
          index += 1
          return scalar
        }
        while true {
          guard index < scalars.count else { return nil }
          if scalars[index] == "]", !ranges.isEmpty {
            return (ScalarClass(negated: negated, ranges: ranges), index + 1)
          }
          guard let low = element() else { return nil }
          var high = low
          if index < scalars.count, scalars[index] == "-" {
            index += 1
            guard let upper = element() else { return nil }
            high = upper
          }
          guard low.value <= high.value else { return nil }
          ranges.append(low.value...high.value)
        }
      }
    }
  }

  /// Runs a token list as a nondeterministic automaton, one scalar at a time, without backtracking.
  struct TokenAutomaton {
    private let tokens: [PatternToken]
    /// `states[2*i]`: before token i; `states[2*i+1]`: inside the `.*` of an `optionalDirectories` token i.
    private var states: [Bool]
    private var next: [Bool]

    init(_ tokens: [PatternToken]) {
      self.tokens = tokens
      states = [Bool](repeating: false, count: 2 * (tokens.count + 1))
      next = states
      add(0, to: &states)
    }

    var accepts: Bool { states[2 * tokens.count] }
    var isDead: Bool { !states.contains(true) }
    /// Whether a further character could still lead to a match.
    var canContinue: Bool { states.dropLast(2).contains(true) }

    mutating func consume(_ scalar: Unicode.Scalar) {
      for index in next.indices { next[index] = false }
      for token in 0..<tokens.count {
        let before = states[2 * token]
        let inside = states[2 * token + 1]
        guard before || inside else { continue }
        switch tokens[token] {
        case .literal(let expected):
          if before, scalar == expected { add(token + 1, to: &next) }
        case .oneWithinSegment:
          if before, scalar != "/" { add(token + 1, to: &next) }
        case .starWithinSegment:
          if before, scalar != "/" { add(token, to: &next) }
        case .anything:
          if before { add(token, to: &next) }
        case .optionalDirectories:
          next[2 * token + 1] = true
          if scalar == "/" { add(token + 1, to: &next) }
        case .set(let set):
          if before, set.contains(scalar) { add(token + 1, to: &next) }
        }
      }
      swap(&states, &next)
    }

    /// Marks the state before `token` and everything reachable from it without consuming input.
    private func add(_ token: Int, to set: inout [Bool]) {
      var current = token
      while true {
        if set[2 * current] { return }
        set[2 * current] = true
        guard current < tokens.count else { return }
        switch tokens[current] {
        case .starWithinSegment, .anything, .optionalDirectories:
          current += 1
        default:
          return
        }
      }
    }
  }

  /// Go's `filepath.Clean` for slash-separated paths, byte-wise.
  enum PathCleaner {
    static func clean(_ path: String) -> String {
      let bytes = Array(path.utf8)
      if bytes.isEmpty { return "." }
      let slash = UInt8(ascii: "/")
      let dot = UInt8(ascii: ".")
      let rooted = bytes[0] == slash
      var parts: [ArraySlice<UInt8>] = []
      for part in bytes.split(separator: slash, omittingEmptySubsequences: true) {
        if part.count == 1, part.first == dot { continue }
        if part.count == 2, part.allSatisfy({ $0 == dot }) {
          if let last = parts.last, !(last.count == 2 && last.allSatisfy { $0 == dot }) {
            parts.removeLast()
          } else if !rooted {
            parts.append(part)
          }
          continue
        }
        parts.append(part)
      }
      var result: [UInt8] = rooted ? [slash] : []
      for (index, part) in parts.enumerated() {
        if index > 0 { result.append(slash) }
        result.append(contentsOf: part)
      }
      if result.isEmpty { return "." }
      return String(decoding: result, as: UTF8.self)
    }
  }
}
