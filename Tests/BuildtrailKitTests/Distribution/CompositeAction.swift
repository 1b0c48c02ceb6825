import Foundation
import Yams

/// A composite GitHub Action as its `action.yml` declares it: inputs with defaults, outputs, steps.
struct CompositeAction {
  struct Step {
    var id: String?
    var condition: String?
    var shell: String
    var run: String
    var environment: [String: String]
    var workingDirectory: String?
  }

  var inputDefaults: [String: String]
  var outputs: [String: String]
  var steps: [Step]
  var using: String

  init(yaml: String) throws {
    guard let root = try Yams.load(yaml: yaml) as? [String: Any] else {
      throw ActionError.malformed("action.yml is not a mapping")
    }
    let inputs = root["inputs"] as? [String: [String: Any]] ?? [:]
    inputDefaults = inputs.mapValues { ($0["default"]).map { "\($0)" } ?? "" }
    outputs = (root["outputs"] as? [String: [String: Any]] ?? [:]).compactMapValues {
      $0["value"] as? String
    }
    let runs = root["runs"] as? [String: Any] ?? [:]
    using = runs["using"] as? String ?? ""
    steps = try (runs["steps"] as? [[String: Any]] ?? []).map { step in
      guard let run = step["run"] as? String, let shell = step["shell"] as? String else {
        throw ActionError.malformed("a step without run and shell: \(step)")
      }
      return Step(
        id: step["id"] as? String, condition: step["if"] as? String, shell: shell, run: run,
        environment: (step["env"] as? [String: Any] ?? [:]).mapValues { "\($0)" },
        workingDirectory: step["working-directory"] as? String)
    }
  }

  enum ActionError: Error, CustomStringConvertible {
    case malformed(String)
    case unsupported(String)

    var description: String {
      switch self {
      case .malformed(let text): "malformed action: \(text)"
      case .unsupported(let text): "the test runner does not evaluate \(text)"
      }
    }
  }
}
