import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// The shell-word rules of BuildKit's `shell.Lex` that step names and FROM references go through.
struct DockerfileShellWordsTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let input: String
    let output: String?
    var rawQuotes = false
    var skipUnset = false
    var testDescription: String {
      input + (rawQuotes ? " (raw)" : "") + (skipUnset ? " (skip)" : "")
    }
  }

  /// `A=a`, `EMPTY=""`, `PATHV=/usr/local/bin`, `U` unknown, anything else unset.
  static func lookup(_ name: String) -> Dockerfile.Variable {
    switch name {
    case "A": return .value("a")
    case "EMPTY": return .value("")
    case "PATHV": return .value("/usr/local/bin")
    case "U": return .unknown
    default: return .unset
    }
  }

  static let cases: [Case] = [
    .init(input: "$A ${A} x$A-y", output: "a a xa-y"),
    .init(input: "$NOPE|${NOPE}|", output: "||"),
    .init(input: "$NOPE|${NOPE}", output: "$NOPE|${NOPE}", skipUnset: true),
    .init(input: "$U ${U} ${U:-d}", output: "$U ${U} ${U:-d}"),
    .init(input: "${NOPE:-def} ${EMPTY:-def} ${EMPTY-def} ${A:-def}", output: "def def  a"),
    .init(input: "${A:+set} ${NOPE:+set}|", output: "set |"),
    .init(
      input: "${PATHV%/*} ${PATHV%%/*}| ${PATHV#*/} ${PATHV##*/}",
      output: "/usr/local | usr/local/bin bin"),
    .init(input: "${PATHV/local/opt} ${PATHV//l/L}", output: "/usr/opt/bin /usr/LocaL/bin"),
    .init(input: "${A//*/r} ${PATHV/?usr/} ${A/x/y}", output: "r /local/bin a"),
    .init(input: "'$A' \"$A\" \\$A", output: "$A a $A"),
    .init(input: "'$A' \"$A\"", output: "'$A' \"a\"", rawQuotes: true),
    .init(input: "\"a\\\"b\" \"c\\d\"", output: "a\"b c\\d"),
    .init(input: "$ $1 $@ $$", output: "$   ", skipUnset: false),
    .init(input: "echo $(id -u) $((1+2))", output: "echo $(id -u) $((1+2))", skipUnset: true),
    .init(input: "'open", output: nil),
    .init(input: "\"open", output: nil),
    .init(input: "${", output: nil),
    .init(input: "${}", output: nil),
    .init(input: "${A", output: nil),
    .init(input: "${NOPE?must be set}", output: nil),
    .init(input: "${A:x}", output: nil),
  ]

  @Test(arguments: cases)
  func expand(_ c: Case) {
    var expander = Dockerfile.WordExpander(
      escape: "\\", rawQuotes: c.rawQuotes, skipUnset: c.skipUnset, lookup: Self.lookup)
    #expect(expander.expand(c.input) == c.output)
  }

  @Test func reportsUnknownVariables() {
    var expander = Dockerfile.WordExpander(escape: "\\", lookup: Self.lookup)
    _ = expander.expand("$A")
    #expect(!expander.sawUnknown)
    _ = expander.expand("x${U}y")
    #expect(expander.sawUnknown)
  }

  @Test func backtickEscape() {
    var expander = Dockerfile.WordExpander(escape: "`", lookup: Self.lookup)
    #expect(expander.expand("c:\\dir `$A") == "c:\\dir $A")
  }

  struct WordsCase: CustomTestStringConvertible, Sendable {
    let input: String
    let words: [String]
    var testDescription: String { input }
  }

  static let parseWordsCases: [WordsCase] = [
    .init(input: "A=1 B=\"two words\"  C='x y'", words: ["A=1", "B=\"two words\"", "C='x y'"]),
    .init(input: "name value\\ with\\ spaces", words: ["name", "value\\ with\\ spaces"]),
    .init(input: "E=\"\"", words: ["E=\"\""]),
  ]

  @Test(arguments: parseWordsCases)
  func parseWords(_ c: WordsCase) {
    #expect(Dockerfile.parseWords(c.input, escape: "\\") == c.words)
  }
}
