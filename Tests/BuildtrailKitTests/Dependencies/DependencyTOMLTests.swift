import Foundation
import TOMLKit
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// The TOMLKit-backed reader: values as TOML 1.0 defines them, errors as `DependencyFileError`s.
struct DependencyTOMLTests {
  static func parse(_ string: String) throws -> DependencyFile.TOMLDocument {
    guard let text = try DependencyFile.Text(data: Data(string.utf8), path: "test.toml") else {
      throw DependencyFileError(path: "test.toml", line: nil, reason: "blank")
    }
    return try DependencyFile.TOMLDocument(text)
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
      """#
    ).root
    #expect(document["basic"]?.string == "tab\there \"quoted\" é 😀")
    #expect(document["literal"]?.string == #"C:\Users\nobody"#)
    #expect(document["multi"]?.string == "first second")
    #expect(document["raw"]?.string == "line one\nline two")
    #expect(document["quoted key"]?.string == "q")
    #expect(document["literal key"]?.string == "l")
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
    let packages = document.root["package"]?.array
    #expect(packages?.count == 2)
    #expect(packages?[0].value(at: "metadata", "requires")?.array?[0].string == "x")
    #expect(packages?[1].value(at: "source", "registry")?.string == "https://pypi.org/simple")
    #expect(document.root.value(at: "tool", "poetry", "dependencies", "python")?.string == "^3.11")
    #expect(document.root.value(at: "tool", "missing", "python") == nil)
    #expect(document.arrayHeaderLines("package", count: 2) == [1, 7])
    #expect(document.arrayHeaderLines("package", count: 3) == nil)
  }

  @Test func inlineArraysOfTablesHaveNoHeaderLines() throws {
    let document = try Self.parse("package = [{ name = \"a\" }]\n")
    #expect(document.root["package"]?.array?.count == 1)
    #expect(document.arrayHeaderLines("package", count: 1) == nil)
  }

  /// toml++ reports where parsing stopped; the reason is its own, after `not valid TOML: `.
  @Test(arguments: [
    ("a = ", 1),
    ("a = 1 2", 1),
    ("a 1", 1),
    ("[table]\n= 1", 2),
    ("x = \"\\q\"", 1),
    ("[a]\nb = 1\n[a.b]\n", 3),
    ("a = 1\n[a.b]\n", 2),
    ("[[a]]\n[a]\n", 2),
    ("t = { a = 1, a = 2 }", 1),
    ("t = { a = 1", 1),
    ("s = \"\"\"\nnever closed", 2),
    ("name = my-service", 1),
    (String(repeating: "a = [", count: 1) + String(repeating: "[", count: 5_000), 1),
  ])
  func errors(text: String, line: Int) {
    do {
      _ = try Self.parse(text)
      Issue.record("\(text.prefix(40).debugDescription) parsed")
    } catch let error as DependencyFileError {
      #expect(error.path == "test.toml")
      #expect(error.line == line, "\(text.prefix(40).debugDescription): \(error.reason)")
      #expect(error.reason.hasPrefix("not valid TOML: "))
      #expect(error.reason.count > "not valid TOML: ".count)
    } catch {
      Issue.record("\(error) is not a DependencyFileError")
    }
  }
}
