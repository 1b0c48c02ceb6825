import BuildStore
import Foundation

/// Makes the upload of a log for `record --server`: gathers the metadata exactly as `record` does,
/// and takes the kept inputs' contents out of it, to travel apart by SHA-256.
public enum UploadPreparation {
  /// The upload document for `request`'s log and the contents of its kept inputs; what could not
  /// be read is added to `warnings`.
  public static func prepare(
    _ request: RecordRequest, recordedAt: Date = Date(), exitCode: Int32? = nil,
    startedAt: Date? = nil, endedAt: Date? = nil, warnings: inout [String]
  ) -> (upload: UploadMetadata, contents: [String: Data]) {
    var metadata = MetadataCollector(request: request).collect(warnings: &warnings)
    if !request.command.isEmpty { metadata.command = request.command.joined(separator: " ") }
    var contents: [String: Data] = [:]
    metadata.inputs = strip(metadata.inputs, into: &contents)
    for (service, own) in metadata.services {
      metadata.services[service]?.inputs = strip(own.inputs, into: &contents)
    }
    let logName = request.logPath.flatMap { $0 == "-" ? nil : $0 }
    return (
      UploadMetadata(
        logName: logName, recordedAt: recordedAt, exitCode: exitCode, startedAt: startedAt,
        endedAt: endedAt, metadata: metadata),
      contents
    )
  }

  private static func strip(_ inputs: [InputFact], into contents: inout [String: Data])
    -> [InputFact]
  {
    inputs.map { input in
      var stripped = input
      if let content = input.content { contents[input.sha256] = content }
      stripped.content = nil
      return stripped
    }
  }
}
