import ArgumentParser
import BuildtrailClient
import BuildtrailKit
import BuildtrailRendering
import Foundation

extension Record {
  /// Sends the log to the server: a file as it is, standard input once kept in the spool. A log the
  /// server cannot take now stays in the spool, with a warning, for `push` or the next `record`.
  func runUpload(_ request: RecordRequest, _ uploader: BuildUploader) async throws {
    let environment = ProcessInfo.processInfo.environment
    let spool = upload.uploadSpool(environment: environment)
    let path = request.logPath ?? "-"
    // Standard input, a FIFO or a device is kept in the spool first: it can be read only once.
    var isDirectory: ObjCBool = false
    let regular =
      path != "-" && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      && !isDirectory.boolValue
      && (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType)
        == .typeRegular
    let fromStandardInput = !regular
    let log: URL
    do {
      if fromStandardInput {
        log = try spool.temporaryLog()
        try LogCopy.copy(path, to: log)
      } else {
        log = URL(fileURLWithPath: path)
      }
    } catch {
      throw fail(error)
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: log.path)[.size] as? NSNumber)
    if size?.intValue == 0 {
      if fromStandardInput { try? FileManager.default.removeItem(at: log) }
      throw fail(BuildtrailError.emptyLog(path == "-" ? "standard input" : path))
    }
    var warnings: [String] = []
    let (document, contents) = UploadPreparation.prepare(request, warnings: &warnings)
    for warning in warnings { warn(warning) }
    do {
      let summary = try await uploader.upload(
        logAt: log.path, upload: document, contents: contents)
      if fromStandardInput { try? FileManager.default.removeItem(at: log) }
      for warning in summary.warnings { warn(warning) }
      try emit(
        RecordReportRenderer(format: output.format, terminal: .standardOutput()).render(summary))
      await pushBacklog(uploader, spool: spool, environment: environment)
    } catch let sendError as ClientError {
      let access = sendError.isAboutAccess
      guard sendError.isTransient || (fromStandardInput && access) else {
        if fromStandardInput { try? FileManager.default.removeItem(at: log) }
        throw fail(ClientErrorText.Failure(ClientErrorText.line(sendError, scope: "record")))
      }
      let entry: UploadSpoolEntry
      do {
        entry = try spool.add(
          log: log, moving: fromStandardInput, upload: document, contents: contents)
      } catch {
        throw fail(
          ClientErrorText.Failure(
            "\(sendError); keeping the log in \(spool.folder.path) failed too: \(error)"))
      }
      let kept = "it is kept in \(entry.directory.path) for `buildtrail push`"
      guard !access else {
        throw fail(
          ClientErrorText.Failure(ClientErrorText.line(sendError, scope: "record") + "; \(kept)"))
      }
      warn(
        "cannot send the build: \(sendError); \(kept) (or the next `buildtrail record --server`)")
    }
  }

  /// Runs the build; a child `buildtrail recover` sends it, or keeps it in the spool.
  func runBuildForServer(_ request: RecordRequest, _ uploader: BuildUploader) throws {
    let spool = upload.uploadSpool()
    let format = output.format
    let server = uploader.client.address.base
    var recorderEnvironment = request.environment
    if let token = uploader.client.token { recorderEnvironment["BUILDTRAIL_TOKEN"] = token }
    let result: (exitCode: Int32, warnings: [String])
    do {
      var build = WrappedBuild(request: request, databasePath: spool.wrappedBuildsBase) { held in
        [
          "recover", "--spool", held, "--server", server, "--upload-spool", spool.folder.path,
          "--format", format.rawValue,
        ]
      }
      build.recorderEnvironment = recorderEnvironment
      build.laterRecording = "the next `buildtrail record --server` or `buildtrail push`"
      result = try build.run()
    } catch let failure as RecordFailure {
      throw fail(failure.error, code: failure.exitCode)
    }
    for w in result.warnings { warn(w) }
    if result.exitCode != 0 { throw ExitCode(result.exitCode) }
  }
}

/// Sends what the spool holds once the server has taken a build, with a line per upload.
func pushBacklog(_ uploader: BuildUploader, spool: UploadSpool, environment: [String: String])
  async
{
  guard !spool.entries().isEmpty else { return }
  let pusher = SpoolPusher(uploader: uploader, spool: spool, environment: environment)
  let (pushed, warnings) = await pusher.push()
  for warning in warnings { warn(warning) }
  let renderer = PushRenderer(format: .table, terminal: .plain)
  for upload in pushed { note(renderer.line(upload)) }
}
