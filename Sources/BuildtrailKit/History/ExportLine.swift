import BuildLog
import BuildStore
import Foundation

/// One line of `buildtrail export`: one build and everything stored about it, in format version 1.
/// Keys are snake_case; lists keep their stored order; absent values are left out.
struct ExportLine: Codable {
  struct Label: Codable {
    var key: String
    var value: String
  }
  struct BaseImage: Codable {
    var stage: String?
    var reference: String
    var digest: String?
    var source: String
    var position: Int?
  }
  struct Output: Codable {
    var position: Int
    var lines: [String]
  }
  struct Input: Codable {
    var path: String
    var role: InputFact.Role
    var sha256: String
    var bytes: Int
    var content: Data?
  }
  struct Manifest: Codable {
    var text: String
    var truncated: Bool
  }
  struct Failure: Codable {
    var stepPosition: Int?
    var tool: String
    var message: String
    var signature: String
    var lines: [String]
    var exitCode: Int?
  }

  static let currentFormat = 1
  private static let truncatedLine = "# truncated\n"

  var buildtrailExport: Int
  var id: Int64
  var build: BuildRow
  var labels: [Label]
  var warnings: [String]
  var baseImages: [BaseImage]
  var contextEntries: [ContextEntry]
  var steps: [StoredStep]
  var outputs: [Output]
  var inputs: [Input]
  var contextManifest: Manifest?
  var failure: Failure?
  /// Left out when the build has none (and in exports from before schema 7).
  var buildArguments: [BuildArgumentFact]?
  var cachePlumbing: CachePlumbingFact?

  init(_ b: PortableBuild) {
    buildtrailExport = Self.currentFormat
    id = b.id
    build = b.row
    labels = b.labels.sorted { $0.key < $1.key }.map { Label(key: $0.key, value: $0.value) }
    warnings = b.warnings
    baseImages = b.baseImages.map {
      BaseImage(
        stage: $0.stage, reference: $0.reference, digest: $0.digest, source: $0.source,
        position: $0.position)
    }
    contextEntries = b.contextEntries
    steps = b.steps
    outputs = b.outputs.sorted { $0.key < $1.key }.map { Output(position: $0.key, lines: $0.value) }
    inputs = b.inputs.map {
      Input(path: $0.path, role: $0.role, sha256: $0.sha256, bytes: $0.bytes, content: $0.content)
    }
    buildArguments = b.buildArguments.isEmpty ? nil : b.buildArguments
    cachePlumbing = b.cachePlumbing
    contextManifest = b.contextManifest.map {
      let text = String(decoding: $0, as: UTF8.self)
      let truncated = text.hasPrefix(Self.truncatedLine)
      return Manifest(
        text: truncated ? String(text.dropFirst(Self.truncatedLine.count)) : text,
        truncated: truncated)
    }
    failure = b.failure.map {
      Failure(
        stepPosition: $0.stepPosition, tool: $0.tool, message: $0.message, signature: $0.signature,
        lines: $0.lines, exitCode: $0.exitCode)
    }
  }

  var portable: PortableBuild {
    var labelsByKey: [String: String] = [:]
    for label in labels { labelsByKey[label.key] = label.value }
    var outputsByPosition: [Int: [String]] = [:]
    for output in outputs { outputsByPosition[output.position] = output.lines }
    var portable = PortableBuild(
      id: id, row: build, labels: labelsByKey, warnings: warnings,
      baseImages: baseImages.map {
        StoredBaseImage(
          stage: $0.stage, reference: $0.reference, digest: $0.digest, source: $0.source,
          position: $0.position)
      },
      contextEntries: contextEntries, steps: steps, outputs: outputsByPosition,
      inputs: inputs.map {
        PortableBuild.Input(
          path: $0.path, role: $0.role, sha256: $0.sha256, bytes: $0.bytes, content: $0.content)
      },
      contextManifest: contextManifest.map {
        Data(((($0.truncated ? Self.truncatedLine : "") + $0.text)).utf8)
      },
      failure: failure.map {
        StoredFailure(
          stepPosition: $0.stepPosition, tool: $0.tool, message: $0.message,
          signature: $0.signature,
          lines: $0.lines, exitCode: $0.exitCode)
      })
    portable.buildArguments = buildArguments ?? []
    portable.cachePlumbing = cachePlumbing
    return portable
  }

  /// The line's bytes, without its newline.
  func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(UTCTimestamp.string(from: date))
    }
    return try encoder.encode(self)
  }

  /// The keys whose camelCase form `convertFromSnakeCase` would not give back (acronyms).
  private static let acronymKeys = [
    "log_sha256": "logSHA256", "run_id": "runID", "job_id": "jobID",
  ]

  /// Reads a line; throws `DecodingError` when a field is missing or of the wrong type.
  static func decode(_ line: Data) throws -> ExportLine {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .custom { path in
      let key = path[path.count - 1].stringValue
      if let camel = acronymKeys[key] { return AnyCodingKey(camel) }
      let words = key.split(separator: "_")
      let camel =
        (words.first.map(String.init) ?? "") + words.dropFirst().map { $0.capitalized }.joined()
      return AnyCodingKey(camel)
    }
    decoder.dateDecodingStrategy = .custom { decoder in
      let container = try decoder.singleValueContainer()
      let text = try container.decode(String.self)
      guard let date = UTCTimestamp.date(from: text) else {
        throw DecodingError.dataCorruptedError(
          in: container, debugDescription: "'\(text)' is not a UTC timestamp")
      }
      return date
    }
    return try decoder.decode(ExportLine.self, from: line)
  }

  /// A coding key made from a string.
  struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }
}
