import BuildStore
import BuildtrailKit
import Foundation

extension StructuralBreak {
  /// The sentence `why` and `broke` show.
  public var summary: String { sentence(naming: "this step") }

  /// The primer's layer order, as the change to make while the break lasts.
  public var advice: String {
    "put the step ahead of `\(copy)` again: copy or bind-mount only the files it reads (the lockfile, "
      + "the manifest) before it, and the rest of the sources after it"
  }

  /// The sentence with the step called `step`.
  public func sentence(naming step: String) -> String {
    let when = since.commit.map { String($0.prefix(8)) } ?? "build \(since.id)"
    return "since \(when), `\(copy)` runs before \(step), so every source change reruns it"
  }
}
