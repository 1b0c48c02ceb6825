import BuildStore

extension BuildStore {
  /// When `filters` matched nothing in a history that has builds: the phrase saying so, with how many
  /// builds there are and on which branches (`no build matches --branch x (3 builds recorded;
  /// branches: main)`). Nil when no filter was given or the history is empty.
  public func noMatch(_ filters: [String]) throws -> String? {
    guard !filters.isEmpty else { return nil }
    let groups = try branchesAndTargets()
    let total = groups.reduce(0) { $0 + $1.builds }
    guard total > 0 else { return nil }
    var branches: [String] = []
    for group in groups {
      let name = group.branch ?? "(no branch)"
      if !branches.contains(name) { branches.append(name) }
    }
    let shown =
      branches.prefix(8).joined(separator: ", ")
      + (branches.count > 8 ? ", … (\(branches.count - 8) more)" : "")
    return
      "no build matches \(filters.joined(separator: " ")) (\(total) build\(total == 1 ? "" : "s") recorded; branches: \(shown))"
  }
}
