/// A step's name as a terminal shows it: runs of spaces collapsed, and a RUN's `--mount=…`,
/// `--network=…` and `--security=…` flags folded into one bracket (`RUN [cache /root/.cache/uv,
/// bind uv.lock] uv sync --frozen`), so the command stays visible at 80 columns. JSON and CSV keep
/// the full text.
public enum StepLabel {
  /// The name with runs of spaces collapsed and a RUN's flags folded.
  public static func folded(_ name: String) -> String {
    let words = name.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    guard let run = words.firstIndex(of: "RUN") else { return words.joined(separator: " ") }
    var flags: [String] = []
    var index = run + 1
    while index < words.count, words[index].hasPrefix("--"), let flag = Self.flag(words[index]) {
      flags.append(flag)
      index += 1
    }
    guard !flags.isEmpty else { return words.joined(separator: " ") }
    let head = words[...run].joined(separator: " ")
    let rest = words[index...].joined(separator: " ")
    return head + " [" + flags.joined(separator: ", ") + "]" + (rest.isEmpty ? "" : " " + rest)
  }

  /// `--mount=type=cache,target=/x` → `cache /x`; `--network=none` → `network none`; nil for a
  /// word that is not a RUN flag.
  private static func flag(_ word: String) -> String? {
    if word.hasPrefix("--network=") { return "network " + word.dropFirst(10) }
    if word.hasPrefix("--security=") { return "security " + word.dropFirst(11) }
    guard word.hasPrefix("--mount=") else { return nil }
    var fields: [String: String] = [:]
    for pair in word.dropFirst(8).split(separator: ",") {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      fields[parts[0].lowercased()] = parts.count == 2 ? parts[1] : ""
    }
    let type = fields["type"] ?? "bind"
    let target = fields["target"] ?? fields["dst"] ?? fields["destination"]
    let source = fields["source"] ?? fields["src"]
    let shown: String?
    switch type {
    case "bind": shown = source ?? target
    case "secret", "ssh": shown = fields["id"] ?? target
    default: shown = target
    }
    return shown.map { type + " " + $0 } ?? type
  }
}
