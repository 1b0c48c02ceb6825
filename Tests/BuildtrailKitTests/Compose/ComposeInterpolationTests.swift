import BuildtrailKit
import BuildtrailRendering
import Foundation
import Testing

struct ComposeInterpolationTests {
  let interpolation = ComposeInterpolation(variables: [
    "SET": "value", "EMPTY": "", "OTHER": "other",
  ])

  func run(_ text: String) throws -> String {
    try interpolation.interpolate(text, file: "compose.yaml")
  }

  @Test func plainAndBracedVariables() throws {
    #expect(try run("$SET") == "value")
    #expect(try run("${SET}") == "value")
    #expect(try run("a-${SET}-b") == "a-value-b")
    #expect(try run("$SET/x") == "value/x")
    #expect(try run("$UNSET") == "")
    #expect(try run("${UNSET}") == "")
    #expect(try run("no variable") == "no variable")
  }

  @Test func defaultsTellUnsetFromEmpty() throws {
    #expect(try run("${UNSET:-d}") == "d")
    #expect(try run("${EMPTY:-d}") == "d")
    #expect(try run("${SET:-d}") == "value")
    #expect(try run("${UNSET-d}") == "d")
    #expect(try run("${EMPTY-d}") == "")
    #expect(try run("${UNSET:-}") == "")
  }

  @Test func alternativesTellUnsetFromEmpty() throws {
    #expect(try run("${SET:+alt}") == "alt")
    #expect(try run("${EMPTY:+alt}") == "")
    #expect(try run("${EMPTY+alt}") == "alt")
    #expect(try run("${UNSET+alt}") == "")
  }

  @Test func requiredVariablesFailWithTheirMessage() throws {
    #expect(try run("${SET:?must be set}") == "value")
    #expect(try run("${EMPTY?must be set}") == "")
    #expect(throws: ComposeError.self) { try run("${EMPTY:?must be set}") }
    do {
      _ = try run("${UNSET?set UNSET in .env}")
      Issue.record("no error")
    } catch let error as ComposeError {
      let text = error.errorDescription ?? ""
      #expect(text.contains("compose.yaml"))
      #expect(text.contains("required variable UNSET is missing a value: set UNSET in .env"))
    }
  }

  @Test func dollarDollarIsALiteralDollar() throws {
    #expect(try run("$$SET") == "$SET")
    #expect(try run("cost: $$5") == "cost: $5")
    #expect(try run("$${SET}") == "${SET}")
  }

  @Test func nestedDefaults() throws {
    #expect(try run("${UNSET:-${OTHER}}") == "other")
    #expect(try run("${UNSET:-${ALSO_UNSET:-deep}}") == "deep")
    #expect(try run("${UNSET:-a}${SET}") == "avalue")
  }

  @Test func malformedTemplatesAreErrorsNotTraps() {
    for text in ["${", "${SET", "$", "${}", "${1X}", "${SET!x}", "$ money", "$1"] {
      #expect(throws: ComposeError.self, "\(text)") { try run(text) }
    }
    let deep = String(repeating: "${U:-", count: 100) + "x" + String(repeating: "}", count: 100)
    #expect(throws: ComposeError.self) { try run(deep) }
  }

  @Test func unicodeAroundVariablesIsKept() throws {
    #expect(try run("é${SET}✓") == "évalue✓")
  }
}
