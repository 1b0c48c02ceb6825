import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

@Suite struct TerminalTextTests {
  @Test func escapeSequencesBecomeVisible() {
    #expect(TerminalText.sanitized("\u{1B}]52;c;aGk=\u{7}") == "\\e]52;c;aGk=\\x07")
    #expect(TerminalText.sanitized("\u{1B}[2Jgone") == "\\e[2Jgone")
  }

  @Test(arguments: [
    ("\u{7}", "\\x07"), ("\u{8}", "\\x08"), ("\r", "\\r"), ("\n", "\\n"), ("\u{B}", "\\x0b"),
    ("\u{C}", "\\x0c"),
    ("\u{0}", "\\x00"), ("\u{7F}", "\\x7f"), ("\u{9B}", "\\u009b"), ("\u{9D}", "\\u009d"),
    ("\u{80}", "\\u0080"),
    ("\u{202E}", "\\u202e"), ("\u{2066}", "\\u2066"),
  ])
  func everyControlBecomesAVisibleEscape(_ control: String, _ visible: String) {
    #expect(TerminalText.sanitized("a\(control)b") == "a\(visible)b")
    #expect(!TerminalText.isSafe(control))
  }

  @Test func printableTextAndTabsAreKept() {
    let text = "[build 2/3] RUN uv sync --frozen\tüñí 漢字 ⣿ █ \\e literally"
    #expect(TerminalText.sanitized(text) == text)
    #expect(TerminalText.isSafe(text))
  }

  @Test func applyingItTwiceChangesNothingMore() {
    let once = TerminalText.sanitized(HostileHistory.payload)
    #expect(TerminalText.sanitized(once) == once)
    #expect(TerminalText.isSafe(once))
  }

  @Test func tableCellsAreMeasuredAfterSanitising() {
    var table = TextTable([("NAME", .left), ("N", .right)])
    table.add(["\u{1B}[2J", "1"])
    table.add(["abcdef", "2"])
    let lines = table.render(width: 80).split(separator: "\n")
    #expect(lines[1] == "\\e[2J   1")
    #expect(lines[2] == "abcdef  2")
  }

  @Test func githubAnnotationsKeepOneLineEach() {
    let escaped = BuildCheckRenderer.escapeAnnotation("50% slower\nsee \u{1B}]52;c;x\u{7}\r\nend")
    #expect(escaped == "50%25 slower%0Asee \\e]52;c;x\\x07%0Aend")
    #expect(BuildCheckRenderer.escapeAnnotation("a:b,c", property: true) == "a%3Ab%2Cc")
  }

  @Test func markdownSummaryCellsHaveNoRawControls() {
    #expect(BuildCheckRenderer.escapeMarkdown("a|b\n\u{1B}[2J") == "a\\|b \\e[2J")
  }
}
