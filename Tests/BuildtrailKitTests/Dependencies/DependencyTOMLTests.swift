import Testing

@testable import BuildtrailKit

struct DependencyTOMLTests {
  static func parse(_ text: String) throws -> DependencyFile.TOMLValue {
    var parser = DependencyFile.TOMLParser(text: text, path: "test.toml")
    return try parser.parse()
  }

  @Test func stringsOfEveryKind() throws {
    let document = try Self.parse(
      #"""
      basic = "tab\there \"quoted\" \u00e9 \U0001F600"
      literal = 'C:\Users\nobody'
      multi = """
      first \
        second"""
      raw = '''
      line one
      line two'''
      "quoted key" = "q"
      'literal key' = "l"
      """#)
    #expect(document["basic"] == .string("tab\there \"quoted\" é 😀"))
    #expect(document["literal"] == .string(#"C:\Users\nobody"#))
    #expect(document["multi"] == .string("first second"))
    #expect(document["raw"] == .string("line one\nline two"))
    #expect(document["quoted key"] == .string("q"))
    #expect(document["literal key"] == .string("l"))
  }

  @Test func scalarsArraysAndInlineTables() throws {
    let document = try Self.parse(
      """
      int = -42
      float = 6.02e+23
      flag = true
      when = 1979-05-27 07:32:00Z
      nested = [ [1, 2], ["a", 'b'], ]
      point = { x = 1, y.z = "deep" }
      """)
    #expect(document["int"] == .scalar("-42"))
    #expect(document["float"] == .scalar("6.02e+23"))
    #expect(document["flag"] == .scalar("true"))
    #expect(document["when"] == .scalar("1979-05-27 07:32:00Z"))
    #expect(
      document["nested"]
        == .array([.array([.scalar("1"), .scalar("2")]), .array([.string("a"), .string("b")])]))
    #expect(document.value(at: ["point", "y", "z"]) == .string("deep"))
  }

  @Test func tablesArraysOfTablesAndDottedKeys() throws {
    let document = try Self.parse(
      """
      [[package]]
      name = "a"

      [package.metadata]
      requires = ["x"]

      [[package]]
      name = "b"
      source.registry = "https://pypi.org/simple"

      [tool.poetry.dependencies]
      python = "^3.11"
      """)
    let packages = document["package"]?.array ?? []
    #expect(packages.count == 2)
    #expect(packages.first?.value(at: ["metadata", "requires"]) == .array([.string("x")]))
    #expect(packages.last?.value(at: ["source", "registry"]) == .string("https://pypi.org/simple"))
    #expect(packages.last?.line == 7)
    #expect(document.value(at: ["tool", "poetry", "dependencies", "python"]) == .string("^3.11"))
  }

  @Test(arguments: [
    ("a = ", 1, "expected a value, found the end of the file"),
    ("a = 1 2", 1, "unexpected `2` after value"),
    ("a 1", 1, "expected `=` after key `a`"),
    ("[table]\n= 1", 2, "expected a key, found `=`"),
    ("x = \"\\q\"", 1, "invalid escape `\\q` in string"),
    ("[a]\nb = 1\n[a.b]\n", 3, "`a.b` is defined twice with different types"),
    ("a = 1\n[a.b]\n", 2, "`a` is a value, not a table"),
    ("[[a]]\n[a]\n", 2, "`a` is defined twice with different types"),
    ("t = { a = 1, a = 2 }", 1, "duplicate key `a` in inline table"),
    ("t = { a = 1", 1, "unterminated inline table opened on line 1"),
    ("s = \"\"\"\nnever closed", 2, "unterminated multi-line string opened on line 1"),
  ])
  func errors(text: String, line: Int, reason: String) {
    #expect(throws: DependencyFileError(path: "test.toml", line: line, reason: reason)) {
      try Self.parse(text)
    }
  }
}
