import Foundation
import Mustache

/// The Mustache templates of the HTML pages, embedded in the binary, with an escaping that works on
/// Unicode scalars: a quote followed by a combining mark is still escaped, and control characters
/// become U+FFFD (Mustache's own HTML escaping compares whole characters and misses both).
enum HTMLTemplates {
  /// The content type every template names in its `CONTENT_TYPE` pragma.
  static let contentType = "BUILDTRAIL_HTML"

  struct ScalarEscaping: MustacheContentType {
    func escapeText(_ text: String) -> String { HTMLReport.escape(text) }
  }

  /// Every template, by its file name without `.mustache`.
  static let sources: [String: String] = [
    "report": String(decoding: PackageResources.report_mustache, as: UTF8.self),
    "stylesheet": String(decoding: PackageResources.stylesheet_mustache, as: UTF8.self),
    "trend-chart": String(decoding: PackageResources.trend_chart_mustache, as: UTF8.self),
    "waterfall": String(decoding: PackageResources.waterfall_mustache, as: UTF8.self),
    "commit": String(decoding: PackageResources.commit_mustache, as: UTF8.self),
    "build": String(decoding: PackageResources.build_mustache, as: UTF8.self),
    "page-stylesheet": String(decoding: PackageResources.page_stylesheet_mustache, as: UTF8.self),
    "not-found": String(decoding: PackageResources.not_found_mustache, as: UTF8.self),
  ]

  static let library: MustacheLibrary = {
    MustacheContentTypes.register(ScalarEscaping(), named: contentType)
    var library = MustacheLibrary()
    for (name, source) in sources {
      // The templates are part of the binary and covered by the golden tests.
      // swiftlint:disable:next force_try
      try! library.register(source, named: name)
    }
    return library
  }()

  /// `context` rendered with the template `template`.
  static func render(_ context: Any, template: String) -> String {
    library.render(context, withTemplate: template) ?? ""
  }
}
