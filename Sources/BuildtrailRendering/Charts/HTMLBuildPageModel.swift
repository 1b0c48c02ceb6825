/// What a build page's template shows, as stored strings, flags and lists, formatted but never
/// escaped (the template escapes every value). As in ``HTMLReportPage``, an optional never shares its
/// name with a field of an enclosing part: a nil one would show the enclosing value instead.
struct HTMLBuildPageModel {
  /// A link of the navigation line.
  struct NavLink {
    var separator: String
    var href: String
    var rel: String
    var text: String
  }

  /// One line of the facts table; `factLink` is an `http(s)` address shown after the value.
  struct Fact {
    var label: String
    var value: String
    var monospace: Bool
    var factLink: String?
  }

  struct StepRow {
    var vertex: Int
    var statusClass: String
    var status: String
    var time: String
    var cache: String
    var name: String
  }

  struct InputRow {
    var path: String
    var role: String
    var sha: String
    var size: String
  }

  /// A failed step with its error line and the last kept output lines.
  struct ErrorBlock {
    var stepName: String
    var errorText: String?
    var output: String?
  }

  struct Failure {
    var failedName: String
    var tool: String
    var lines: String
    var relatedChange: String?
    var repeats: String?
  }

  struct RootMissRow {
    var missName: String
    var cost: String
    var cause: String
    var via: String?
    /// Structural breaks of a broad `COPY`, as sentences.
    var breaks: [String]
    var advice: String?
    var cascade: [String]
    var hasCascade: Bool
  }

  /// `why`'s answer for the build.
  struct Why {
    var verdict: String
    var baselineID: Int64?
    var baselineHref: String?
    var baselineReason: String
    var evidence: String
    var commits: [String]
    var failure: Failure?
    var rootMisses: [RootMissRow]
    var failedAlone: String?
    var notes: [String]
  }

  var version: String
  var title: String
  var id: Int64
  var nav: [NavLink]
  var badge: HTMLReportPage.Badge
  var heading: String
  var facts: [Fact]
  var steps: [StepRow]
  var hasSteps: Bool
  var inputs: [InputRow]
  var hasInputs: Bool
  var errors: [ErrorBlock]
  var errorMessage: String?
  var hasErrors: Bool
  var warnings: [String]
  var hasWarnings: Bool
  var why: Why?
  var whyUnavailable: String?
}
