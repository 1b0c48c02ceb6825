import BuildtrailKit
import Foundation

/// One build's HTML page, as `buildtrail serve` answers `GET /builds/{id}`: what `show` says (facts,
/// steps in Dockerfile order, errors) and what `why` says (verdict, baseline, root misses), with links
/// to the report, the build's neighbours on its branch and target, its baseline and its CI run. Inline
/// CSS, no scripts; every value escaped by the templates.
public enum HTMLBuildPage {
  /// The page of `page`, its links under `base` (`/`: the report at `/`, builds at `/builds/ID`).
  public static func render(
    _ page: BuildPage, base: String, version: String = BuildtrailVersion.current
  ) -> String {
    HTMLTemplates.render(model(page, base: base, version: version), template: "build")
  }

  /// The page for a build that is not in the history: `message` and a link to the report at `base`.
  public static func notFound(
    _ message: String, base: String, version: String = BuildtrailVersion.current
  ) -> String {
    struct NotFound {
      var version: String
      var title: String
      var message: String
      var reportHref: String
    }
    return HTMLTemplates.render(
      NotFound(version: version, title: "Not found", message: message, reportHref: base),
      template: "not-found")
  }

  /// The address of build `id`'s page under `base`.
  public static func address(of id: Int64, base: String) -> String {
    base + "builds/\(id)"
  }
}
