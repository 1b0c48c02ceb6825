import BuildLog
import BuildStore
import BuildtrailKit
import Foundation

/// `show`'s lines for what a build was invoked with: its build arguments (secret ones as a hash) and
/// its cache plumbing (`--no-cache`, `--cache-from`, the builder booted, cache imports and how they ended).
struct InvocationLines {
  var detail: BuildDetail
  /// The terminal's width: an import's error is cut to it.
  var width: Int

  /// One build argument in `show --format json`: a secret's value is `sha256:<hex>`, an unset one null.
  struct ArgumentJSON: Encodable {
    var name: String
    var value: String?
    var secret: Bool
    var source: String
    var fromEnvironment: Bool

    init(_ argument: BuildArgumentFact) {
      name = argument.name
      value = argument.shownValue
      secret = argument.secret
      source = argument.source.rawValue
      fromEnvironment = argument.fromEnvironment
    }
  }

  var text: String {
    var out = ""
    for argument in detail.buildArguments {
      let value = argument.shownValue.map { $0.count > 64 ? String($0.prefix(63)) + "…" : $0 }
      out += safeLine(
        "  arg      \(argument.name)=\(value ?? "(unset)")"
          + (argument.fromEnvironment ? " (from the environment)" : ""))
    }
    guard let plumbing = detail.cachePlumbing else { return out }
    var flags: [String] = []
    if plumbing.noCache { flags.append("--no-cache") }
    flags += plumbing.noCacheFilter.map { "--no-cache-filter \($0)" }
    flags += plumbing.cacheFrom.map { "--cache-from \($0)" }
    flags += plumbing.cacheTo.map { "--cache-to \($0)" }
    if plumbing.bootedBuilder { flags.append("builder booted for this build") }
    if !flags.isEmpty { out += safeLine("  cache    " + flags.joined(separator: ", ")) }
    for cacheImport in plumbing.cacheImports {
      let how: String
      switch cacheImport.outcome {
      case .imported: how = "imported"
      case .failed: how = "FAILED" + (cacheImport.error.map { ": \($0)" } ?? "")
      case .unfinished: how = "unfinished"
      }
      out +=
        truncate(TerminalText.sanitized("  import   \(cacheImport.reference): \(how)"), to: width)
        + "\n"
    }
    return out
  }
}
