import Foundation
import Testing

@testable import BuildtrailRendering

/// The report's markup lives in Mustache templates; escaping must hold by construction there.
@Suite struct HTMLTemplateTests {
  /// No template prints a value unescaped (`{{{x}}}` or `{{&x}}`), and every template that prints
  /// values names the scalar-safe content type.
  @Test func everyTemplateEscapesEveryValue() {
    #expect(HTMLTemplates.sources.count == 8)
    for (name, source) in HTMLTemplates.sources {
      #expect(!source.contains("{{{") && !source.contains("{{&"), "\(name) prints raw values")
      let printsValues = source.replacingOccurrences(of: "{{%", with: "").contains("{{")
      if printsValues {
        #expect(
          source.hasPrefix("{{% CONTENT_TYPE: \(HTMLTemplates.contentType)}}"),
          "\(name) escapes with Mustache's own HTML escaping")
      }
    }
  }

  /// Mustache's HTML escaping compares whole characters, so a quote followed by a combining mark
  /// (one character) would pass raw and end an attribute; the page escapes scalars.
  @Test func aQuoteWithACombiningMarkStaysEscaped() {
    let hostile = "x\"\u{301} onmouseover=alert(1) <\u{301}b>"
    let html = HTMLReport.render(HTMLReportTests.data(filledWith: hostile))
    let rawQuote = "\"" + "\u{301}"
    let rawBracket = "<" + "\u{301}"
    let escaped = "x&quot;" + "\u{301}" + " onmouseover=alert(1) &lt;" + "\u{301}" + "b&gt;"
    #expect(!html.contains(rawQuote))
    #expect(!html.contains(rawBracket))
    #expect(html.contains(escaped))
  }

  /// A nil optional must not show the value of an enclosing part of the same name: a build without
  /// a commit, a CI link or a verdict shows none, whatever the page's other values are.
  @Test func aMissingValueNeverShowsAnotherOne() {
    var data = HTMLReportTests.data(filledWith: "T")
    data.builds = [
      HTMLReportData.Build(
        id: 9, when: "2026-01-02 03:04 UTC", outcome: "success", seconds: 3, cached: 1, total: 1)
    ]
    data.latest = data.builds[0]
    let html = HTMLReport.render(data)
    let row = html.components(separatedBy: "<tbody>").last ?? ""
    #expect(row.contains("<td class=\"num\">#9</td>"))
    #expect(!row.contains("<code"))
    #expect(!row.contains("href="))
    #expect(!row.contains("why:"))
  }
}
