import BuildStore
import Foundation

/// `buildtrail import`: adds the builds of an export file (JSON Lines) or of another history database
/// to the store, in one transaction; builds already recorded are skipped, so importing is idempotent.
public struct HistoryImport {
  /// The history to import into.
  public var store: BuildStore

  /// An import into `store`.
  public init(store: BuildStore) {
    self.store = store
  }

  /// Imports `source`: a path, or `-` for standard input. A SQLite file is read as a history
  /// (from a temporary copy, so that it is never modified); anything else as JSON Lines.
  /// - Throws: ``ImportError`` naming the file and line when it cannot be read; nothing is imported then.
  public func run(source: String) throws -> ImportReport {
    let data: Data
    do {
      data =
        source == "-"
        ? FileHandle.standardInput.readDataToEndOfFile()
        : try Data(contentsOf: URL(fileURLWithPath: source), options: .alwaysMapped)
    } catch {
      throw ImportError(file: source, reason: "it cannot be read (\(error.localizedDescription))")
    }
    let results =
      data.starts(with: Data("SQLite format 3\u{0}".utf8))
      ? try importDatabase(source, data: data) : try importLines(source, data: data)
    var report = ImportReport(source: source, imported: [], skipped: [])
    for result in results {
      switch result {
      case .recorded(let id): report.imported.append(id)
      case .alreadyRecorded(let id): report.skipped.append(id)
      }
    }
    return report
  }

  private func importLines(_ source: String, data: Data) throws -> [RecordResult] {
    var start = data.startIndex
    var number = 0
    return try store.importBuilds {
      while start < data.endIndex {
        let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
        let line = data[start..<end]
        start = end < data.endIndex ? end + 1 : end
        number += 1
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
        return try Self.build(line, file: source, line: number)
      }
      if number == 0 { throw ImportError(file: source, reason: "it is empty") }
      return nil
    }
  }

  static func build(_ line: Data, file: String, line number: Int) throws -> PortableBuild {
    func failure(_ reason: String) -> ImportError {
      ImportError(file: file, line: number, reason: reason)
    }
    guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
      throw failure("not a JSON object (a cut or damaged line?)")
    }
    guard let format = object["buildtrail_export"] as? Int else {
      throw failure("not a buildtrail export line (it has no buildtrail_export field)")
    }
    guard format == ExportLine.currentFormat else {
      throw failure(
        "export format \(format) is not the one this buildtrail reads (\(ExportLine.currentFormat))"
      )
    }
    do {
      return try ExportLine.decode(line).portable
    } catch let error as DecodingError {
      throw failure(Self.describe(error))
    }
  }

  static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(
        separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
      return
        "field \([path(context), key.stringValue].filter { !$0.isEmpty }.joined(separator: ".")) is missing"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "field \(path(context)) has the wrong type"
    case .dataCorrupted(let context):
      return "field \(path(context)) is invalid: \(context.debugDescription)"
    @unknown default:
      return "\(error)"
    }
  }

  private func importDatabase(_ source: String, data: Data) throws -> [RecordResult] {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "buildtrail-import-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let copy = folder.appendingPathComponent("history.db")
    let other: BuildStore
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try data.write(to: copy)
      other = try BuildStore(path: copy.path)
    } catch {
      let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
      throw ImportError(file: source, reason: "it cannot be read as a history (\(message))")
    }
    if let problem = try other.columnTypeProblem() {
      throw ImportError(file: source, reason: "it is damaged: \(problem)")
    }
    var ids = try other.buildIDs()[...]
    return try store.importBuilds {
      guard let id = ids.popFirst() else { return nil }
      return try other.portableBuild(id: id)
    }
  }
}
