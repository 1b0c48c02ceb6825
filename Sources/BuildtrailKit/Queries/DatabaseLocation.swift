import Foundation

/// Where the history lives: `--db`, else `BUILDTRAIL_DB`, else `$XDG_DATA_HOME/buildtrail/history.db`
/// (`~/.local/share/buildtrail/history.db`).
public enum DatabaseLocation {
  /// The database path: `flag` when given, else as the environment says, else the default.
  public static func resolve(
    flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String {
    if let flag, !flag.isEmpty { return flag }
    if let env = environment["BUILDTRAIL_DB"], !env.isEmpty { return env }
    let dataHome =
      environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
    return dataHome + "/buildtrail/history.db"
  }
}
