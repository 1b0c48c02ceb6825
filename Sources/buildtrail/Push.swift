import ArgumentParser
import BuildtrailClient
import BuildtrailKit
import BuildtrailRendering
import Foundation

struct Push: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "push",
    abstract: "Send the builds waiting in the spool to the server, oldest first.",
    discussion: """
      `record --server` keeps a build in the spool when the server cannot be reached or fails; \
      `push` (and every later `record --server`) sends it. Exits 1 while any build is still waiting.
      BUILDTRAIL_SERVER=https://buildtrail.internal buildtrail push
      buildtrail push --spool "$CI_PROJECT_DIR/.buildtrail-spool"
      """)

  @OptionGroup var upload: UploadOptions
  @OptionGroup var output: FormatOptions

  func run() async throws {
    let environment = ProcessInfo.processInfo.environment
    guard let uploader = try upload.uploader(db: nil, environment: environment) else {
      throw fail(
        ClientErrorText.Failure(
          "push needs a server: pass --server URL or set BUILDTRAIL_SERVER"))
    }
    let spool = upload.uploadSpool(environment: environment)
    let pusher = SpoolPusher(uploader: uploader, spool: spool, environment: environment)
    let (pushed, warnings) = await pusher.push()
    for warning in warnings { warn(warning) }
    for upload in pushed where upload.fate == .sent {
      for warning in upload.warnings { warn(warning) }
    }
    try emit(
      PushRenderer(format: output.format, terminal: .standardOutput()).render(
        (pushed, spool.folder.path)))
    if !spool.entries().isEmpty || pushed.contains(where: { $0.fate == .rejected }) {
      throw ExitCode(1)
    }
  }
}
