import BuildStore
import BuildtrailKit
import Foundation

/// Renders what `prune`, `delete`, `vacuum` and `import` did to the history.
public struct MaintenanceRenderer: Sendable {
  public var format: OutputFormat
  public var terminal: Terminal

  public init(format: OutputFormat, terminal: Terminal) {
    self.format = format
    self.terminal = terminal
  }

  struct PruneJSON: Encodable {
    var dryRun: Bool
    var builds: [BuildSummaryJSON]
    var cleanup: CleanupReport?
  }

  static let cleanupHeader = [
    "deleted_builds", "step_names", "input_blobs", "input_blob_bytes", "context_nodes",
    "context_node_bytes", "freed_bytes",
  ]

  public func render(prune result: HistoryMaintenance.PruneResult) -> String {
    switch format {
    case .json:
      return JSONOutput.encode([
        "prune": PruneJSON(
          dryRun: result.cleanup == nil, builds: result.builds.map(BuildSummaryJSON.init),
          cleanup: result.cleanup)
      ])
    case .csv:
      guard let cleanup = result.cleanup else {
        return BuildListRenderer(format: .csv, terminal: terminal).render(result.builds)
      }
      return csv(cleanup)
    case .table:
      guard let cleanup = result.cleanup else {
        guard !result.builds.isEmpty else { return "no build would be deleted\n" }
        return "would delete \(count(result.builds.count, "build")):\n"
          + BuildListRenderer(format: .table, terminal: terminal).render(result.builds)
      }
      return sentence(cleanup) + "\n"
    }
  }

  public func render(delete cleanup: CleanupReport) -> String {
    switch format {
    case .json: return JSONOutput.encode(["delete": cleanup])
    case .csv: return csv(cleanup)
    case .table: return sentence(cleanup) + "\n"
    }
  }

  public func render(vacuum report: VacuumReport, path: String) -> String {
    switch format {
    case .json: return JSONOutput.encode(["vacuum": report])
    case .csv:
      let c = report.cleanup
      return CSV.line(["bytes_before", "bytes_after", "outputs_recompressed"] + Self.cleanupHeader)
        + "\n"
        + CSV.line(
          [report.bytesBefore, report.bytesAfter, Int64(report.outputsRecompressed)].map(
            String.init)
            + fields(c)) + "\n"
    case .table:
      var text =
        "vacuumed \(path): \(formatBytes(report.bytesBefore)) → \(formatBytes(report.bytesAfter))"
      if report.outputsRecompressed > 0 {
        text += "; compressed the kept output of \(count(report.outputsRecompressed, "build"))"
      }
      let garbage = removed(report.cleanup)
      return text + (garbage.isEmpty ? "" : "; removed " + garbage) + "\n"
    }
  }

  public func render(import report: ImportReport) -> String {
    switch format {
    case .json: return JSONOutput.encode(["import": report])
    case .csv:
      return CSV.line(["source", "imported", "skipped"]) + "\n"
        + CSV.line([report.source, String(report.imported.count), String(report.skipped.count)])
        + "\n"
    case .table:
      var text =
        "imported \(count(report.imported.count, "build"))\(ids(report.imported)) from \(BuildtrailError.name(report.source))"
      if !report.skipped.isEmpty {
        text += "; skipped \(report.skipped.count) already recorded\(ids(report.skipped))"
      }
      return text + "\n"
    }
  }

  private func sentence(_ c: CleanupReport) -> String {
    var text = "deleted \(count(c.deletedBuilds.count, "build"))\(ids(c.deletedBuilds))"
    let garbage = removed(c)
    if !garbage.isEmpty { text += "; removed " + garbage }
    if c.freedBytes > 0 {
      text +=
        "; \(formatBytes(c.freedBytes)) of the file free for reuse (`buildtrail vacuum` returns it to the disk)"
    }
    return text
  }

  private func removed(_ c: CleanupReport) -> String {
    var parts: [String] = []
    if c.stepNames > 0 { parts.append(count(c.stepNames, "unused step name")) }
    if c.inputBlobs > 0 {
      parts.append(count(c.inputBlobs, "input blob") + " (\(formatBytes(c.inputBlobBytes)))")
    }
    if c.contextNodes > 0 {
      parts.append(
        count(c.contextNodes, "context list node") + " (\(formatBytes(c.contextNodeBytes)))")
    }
    return parts.joined(separator: ", ")
  }

  private func csv(_ c: CleanupReport) -> String {
    CSV.line(Self.cleanupHeader) + "\n" + CSV.line(fields(c)) + "\n"
  }

  private func fields(_ c: CleanupReport) -> [String] {
    [
      Int64(c.deletedBuilds.count), Int64(c.stepNames), Int64(c.inputBlobs), c.inputBlobBytes,
      Int64(c.contextNodes), c.contextNodeBytes, c.freedBytes,
    ].map(String.init)
  }

  private func ids(_ ids: [Int64]) -> String {
    guard !ids.isEmpty else { return "" }
    let shown = ids.prefix(20).map(String.init).joined(separator: ", ")
    return " (\(shown)\(ids.count > 20 ? ", …" : ""))"
  }

  private func count(_ n: Int, _ noun: String) -> String {
    "\(n) \(noun)\(n == 1 ? "" : "s")"
  }
}
