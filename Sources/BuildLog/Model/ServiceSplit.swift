import Foundation

/// Splits one BuildKit session that built several compose services (compose v2, `buildx bake`) into
/// one build per service, by the service prefix of its step names (`[api 2/6] …`, `[api internal] …`,
/// `[api] exporting to image`).
///
/// - A vertex that bake targets share (printed as `[worker 2/6]`, then `[api 2/6]`) goes to each of them,
///   under that service's name.
/// - A vertex with no service prefix (`[internal] load local bake definitions`, `[auth] …`) is the
///   session's own work: it goes to every service, so that none of them loses a step it waited for.
/// - Each service gets its own context size (its `[svc internal] load build context`) and the image
///   names compose gives it (`PROJECT-svc`); the image digest only when the session built one service.
/// - Each service gets its own outcome: failed when one of its steps failed or the final error names
///   it (`target api: failed to solve: …`), canceled when one was canceled, success when the session
///   succeeded or its own steps all ended and its image was exported, else unknown.
enum ServiceSplit {
  /// The builds `build` holds, one per service; `build` itself when it names no service.
  /// `services` are the names known from the compose file (bake targets replace `.` by `_`).
  static func split(_ build: ParsedBuild, services: [String]) -> [ParsedBuild] {
    guard build.service == nil else { return [build] }
    var targets: [String: String] = [:]
    for name in services {
      targets[name] = name
      targets[name.replacingOccurrences(of: ".", with: "_")] = name
    }
    for step in build.steps {
      for name in [step.name] + step.otherNames {
        if let target = certainTarget(in: name), targets[target] == nil { targets[target] = target }
      }
    }
    var order: [String] = []
    var membership: [[(service: String, name: String)]] = []
    for step in build.steps {
      var members: [(service: String, name: String)] = []
      for name in [step.name] + step.otherNames {
        guard let target = target(in: name, known: targets), let service = targets[target],
          !members.contains(where: { $0.service == service })
        else { continue }
        members.append((service, name))
        if !order.contains(service) { order.append(service) }
      }
      membership.append(members)
    }
    guard !order.isEmpty else {
      guard services.count == 1 else { return [build] }
      var only = build
      only.service = services[0]
      return [only]
    }
    let blamed = blamedService(build.errorMessage, targets: targets)
    return order.map { service in
      var steps: [ParsedStep] = []
      for (step, members) in zip(build.steps, membership) {
        if members.isEmpty {
          steps.append(step)
        } else if let member = members.first(where: { $0.service == service }) {
          var copy = step
          copy.name = member.name
          copy.otherNames = []
          steps.append(copy)
        }
      }
      return serviceBuild(service, steps: steps, of: build, blamed: blamed, order: order)
    }
  }

  private static func serviceBuild(
    _ service: String, steps: [ParsedStep], of build: ParsedBuild, blamed: String?,
    order: [String]
  ) -> ParsedBuild {
    var result = build
    result.service = service
    result.steps = steps
    let ownError = steps.contains { $0.status == .error && !BuilderEvidence.isNonFatal($0) }
    if blamed == service || (blamed == nil && ownError) {
      result.errorMessage = build.errorMessage
    } else {
      result.errorMessage = nil
    }
    result.outcome = outcome(of: result, session: build, ownError: ownError)
    let starts = steps.compactMap(\.startedAt)
    let ends = steps.compactMap(\.completedAt)
    if let first = starts.min() { result.startedAt = first }
    if let last = ends.max() { result.endedAt = last }
    result.imageNames = build.imageNames.filter { imageName($0, isFor: service) }
    result.imageDigest = order.count == 1 ? build.imageDigest : nil
    result.contextTransferBytes =
      steps.last {
        $0.transferredBytes != nil && $0.name.hasSuffix("load build context")
          && target(in: $0.name, known: [:]) != nil
      }?.transferredBytes ?? (order.count == 1 ? build.contextTransferBytes : nil)
    result.unrecognizedLineCount = service == order.first ? build.unrecognizedLineCount : 0
    return result
  }

  private static func outcome(of build: ParsedBuild, session: ParsedBuild, ownError: Bool)
    -> BuildOutcome
  {
    if ownError || build.errorMessage != nil { return .failed }
    if build.steps.contains(where: { $0.status == .canceled }) { return .canceled }
    if session.outcome == .success { return .success }
    let exported = build.steps.contains {
      $0.parsedName.kind == .export && $0.status == .done
    }
    let ended = !build.steps.contains { $0.status == .unfinished && isOwnStep($0) }
    return exported && ended ? .success : .unknown
  }

  /// A Dockerfile step or an export: the steps whose end says that the service's build ended.
  private static func isOwnStep(_ step: ParsedStep) -> Bool {
    let name = step.parsedName
    return name.index != nil || name.kind == .export
  }

  /// The service the final error names: `target api: failed to solve: …`, or `[api 3/6]` in it.
  private static func blamedService(_ message: String?, targets: [String: String]) -> String? {
    guard let message else { return nil }
    if message.hasPrefix("target "), let colon = message.range(of: ": ") {
      let target = String(
        message[message.index(message.startIndex, offsetBy: 7)..<colon.lowerBound])
      if let service = targets[target] { return service }
    }
    for (target, service) in targets.sorted(by: { $0.key.count > $1.key.count })
    where message.contains("[\(target) ") || message.contains("[\(target)]") {
      return service
    }
    return nil
  }

  /// Whether an image name is the service's: compose names images `PROJECT-SERVICE` (v2) or
  /// `PROJECT_SERVICE` (v1) unless the file says `image:`.
  private static func imageName(_ image: String, isFor service: String) -> Bool {
    var repository = Substring(image.split(separator: "/").last ?? Substring(image))
    if let colon = repository.lastIndex(of: ":") { repository = repository[..<colon] }
    return repository == service || repository.hasSuffix("-" + service)
      || repository.hasSuffix("_" + service)
  }

  /// The words inside a name's leading `[…]`, nil when it has none.
  private static func bracketWords(_ name: String) -> [Substring]? {
    guard name.hasPrefix("["), let close = name.firstIndex(of: "]") else { return nil }
    return name[name.index(after: name.startIndex)..<close].split(separator: " ")
  }

  private static func isStepNumber(_ word: Substring) -> Bool {
    guard let slash = word.firstIndex(of: "/") else { return false }
    return Int(word[..<slash]) != nil && Int(word[word.index(after: slash)...]) != nil
  }

  private static func isTargetWord(_ word: Substring) -> Bool {
    !word.contains("/") && !isStepNumber(word)
      && !["internal", "auth", "context", "+"].contains(word)
  }

  /// A target prefix that only buildx or compose prints: `[api internal]`, `[api auth]`,
  /// `[api] exporting to image`, `[api stage 2/6]`. A Dockerfile step of one build never looks so.
  static func certainTarget(in name: String) -> String? {
    guard let words = bracketWords(name), let first = words.first, isTargetWord(first) else {
      return nil
    }
    switch words.count {
    case 1:
      return String(first)
    case 2:
      return words[1] == "internal" || words[1] == "auth" ? String(first) : nil
    default:
      guard let last = words.last else { return nil }
      let platformed = words.dropFirst().first.map { $0.contains("/") } ?? false
      return isStepNumber(last) || last == "internal" || last == "auth" || platformed
        ? String(first) : nil
    }
  }

  /// The target a name is prefixed with, given the targets known: `[api 2/6]` reads as target `api`
  /// only when `api` is known, since it is also how a stage named `api` prints.
  private static func target(in name: String, known: [String: String]) -> String? {
    if let target = certainTarget(in: name) { return target }
    guard let words = bracketWords(name), words.count == 2, isStepNumber(words[1]),
      known[String(words[0])] != nil
    else { return nil }
    return String(words[0])
  }
}
