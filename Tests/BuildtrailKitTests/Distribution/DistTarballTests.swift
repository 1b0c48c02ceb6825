import Foundation
import Testing

/// The Debian minbase rootfs `.ci/run` made, if any.
let distRootfs = ProcessInfo.processInfo.environment["BUILDTRAIL_ROOTFS"]

/// The dist tarball (`Scripts/dist.sh`, ``CIWorkspace/tarball``) on a machine without the Swift
/// toolchain: a Debian minbase rootfs with git and libsqlite3 (`Scripts/make-rootfs.sh`), entered
/// with `chroot`. `.ci/run` makes both and names them in BUILDTRAIL_DIST_TARBALL and
/// BUILDTRAIL_ROOTFS; without them (or without root, which chroot needs) the tests are skipped.
@Suite(
  .serialized,
  .enabled(
    if: CIWorkspace.tarball != nil && distRootfs != nil && getuid() == 0,
    "needs BUILDTRAIL_DIST_TARBALL and BUILDTRAIL_ROOTFS (made by .ci/run) and root for chroot"))
struct DistTarballTests {
  static let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/BuildLogTests/Fixtures")

  /// A test's own folder inside the rootfs, beside the tarball unpacked once for the whole run.
  struct Unpacked {
    /// The test's folder on this machine.
    let host: URL
    /// The same folder as the chroot sees it.
    let inside: String
    /// The unpacked tarball on this machine.
    let dist: URL
    /// The unpacked binary as the chroot sees it.
    let binary: String
  }

  /// Where the tarball is unpacked in the rootfs (`tmp/NAME`), or why it could not be.
  static let unpackedTarball: Result<String, UnpackFailure> = {
    guard let rootfs = distRootfs, let tarball = CIWorkspace.tarball else {
      return .failure(UnpackFailure(reason: "no tarball"))
    }
    let dist = URL(fileURLWithPath: rootfs).appendingPathComponent("tmp/\(unpackedName)")
    do {
      try FileManager.default.createDirectory(at: dist, withIntermediateDirectories: true)
      atexit {
        if let rootfs = distRootfs {
          try? FileManager.default.removeItem(
            atPath: "\(rootfs)/tmp/\(DistTarballTests.unpackedName)")
        }
      }
      let r = try CLI.runExecutable(
        URL(fileURLWithPath: "/bin/tar"),
        ["-xzf", tarball.path, "-C", dist.path, "--strip-components=1"])
      return r.status == 0
        ? .success(unpackedName) : .failure(UnpackFailure(reason: "tar: \(r.stderr)"))
    } catch {
      return .failure(UnpackFailure(reason: "\(error)"))
    }
  }()

  /// The unpacked tarball's folder under the rootfs's `tmp`, one per test run.
  static var unpackedName: String { "buildtrail-dist-\(getpid())" }

  /// Why the tarball could not be unpacked.
  struct UnpackFailure: Error { var reason: String }

  /// A new folder for one test, inside the rootfs, removed by the caller.
  static func unpack() throws -> Unpacked {
    let name = try unpackedTarball.get()
    let rootfs = URL(fileURLWithPath: try #require(distRootfs))
    let test = "buildtrail-test-\(UUID().uuidString)"
    let host = rootfs.appendingPathComponent("tmp/\(test)")
    try FileManager.default.createDirectory(at: host, withIntermediateDirectories: true)
    return Unpacked(
      host: host, inside: "/tmp/\(test)", dist: rootfs.appendingPathComponent("tmp/\(name)"),
      binary: "/tmp/\(name)/bin/buildtrail")
  }

  /// Runs a shell script inside the rootfs with a clean environment, in mount and PID namespaces of
  /// its own with a fresh /proc (Swift reads its arguments there), gone when the script ends.
  static func inRootfs(_ script: String) throws -> CLI.Result {
    let rootfs = try #require(distRootfs)
    return try CLI.runExecutable(
      URL(fileURLWithPath: "/usr/bin/unshare"),
      [
        "--mount", "--pid", "--fork", "--mount-proc=\(rootfs)/proc", "chroot", rootfs,
        "/usr/bin/env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin",
        "HOME=/tmp", "LANG=C.UTF-8", "/bin/sh", "-ec", script,
      ])
  }

  @Test func theTarballMatchesItsChecksum() throws {
    let tarball = try #require(CIWorkspace.tarball)
    let r = try CLI.runExecutable(
      URL(fileURLWithPath: "/usr/bin/sha256sum"), ["-c", tarball.lastPathComponent + ".sha256"],
      in: tarball.deletingLastPathComponent())
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("\(tarball.lastPathComponent): OK"))
  }

  @Test func theTarballHoldsTheBinaryCompletionsAndManualPage() throws {
    let unpacked = try Self.unpack()
    defer { try? FileManager.default.removeItem(at: unpacked.host) }
    let dist = unpacked.dist
    for path in [
      "bin/buildtrail", "share/man/man1/buildtrail.1",
      "share/bash-completion/completions/buildtrail", "share/zsh/site-functions/_buildtrail",
      "share/fish/vendor_completions.d/buildtrail.fish", "share/doc/buildtrail/README.md",
    ] {
      let size =
        (try? FileManager.default.attributesOfItem(atPath: dist.appendingPathComponent(path).path)[
          .size] as? Int) ?? 0
      #expect(size > 0, "\(path) is missing or empty in the tarball")
    }
    let manual = try String(
      contentsOf: dist.appendingPathComponent("share/man/man1/buildtrail.1"), encoding: .utf8)
    #expect(manual.contains(".Nm buildtrail") || manual.contains("buildtrail"))
    #expect(manual.contains("record"))
  }

  @Test func theRootfsHasNoSwiftAndTheBinaryNeedsNone() throws {
    let unpacked = try Self.unpack()
    defer { try? FileManager.default.removeItem(at: unpacked.host) }
    let search = try Self.inRootfs(
      "find / -xdev \\( -name 'libswiftCore*' -o -name 'swiftc' \\) -not -path '/tmp/*' | head -1")
    #expect(search.status == 0, "\(search.stderr)")
    #expect(search.stdout.isEmpty, "the rootfs holds a Swift toolchain: \(search.stdout)")
    let ldd = try Self.inRootfs("ldd \(unpacked.binary)")
    #expect(ldd.status == 0, "\(ldd.stdout)\(ldd.stderr)")
    #expect(!ldd.stdout.contains("not found"), "\(ldd.stdout)")
    #expect(!ldd.stdout.contains("libswift"), "\(ldd.stdout)")
    #expect(!ldd.stdout.contains("libFoundation"), "\(ldd.stdout)")
    let version = try Self.inRootfs("\(unpacked.binary) --version")
    #expect(version.status == 0, "\(version.stderr)")
    let pattern = #/^\d+\.\d+\.\d+ \(commit [0-9a-f]{12}(-dirty)?\)\n$/#
    #expect(version.stdout.wholeMatch(of: pattern) != nil, "--version: \(version.stdout)")
  }

  /// `record` in a git work tree (git from the rootfs), then `why` and `report`, as a CI job would.
  @Test func recordWhyAndReportWorkThere() throws {
    let unpacked = try Self.unpack()
    defer { try? FileManager.default.removeItem(at: unpacked.host) }
    for name in ["docker20-multistage-warm.log", "docker20-multistage-after-change.log"] {
      try FileManager.default.copyItem(
        at: Self.fixtures.appendingPathComponent(name),
        to: unpacked.host.appendingPathComponent(name))
    }
    let bt = unpacked.binary
    let dir = unpacked.inside
    let script = """
      cd \(dir) && mkdir repo && cd repo
      git init -q -b main
      printf 'FROM local/busybox:1\\nCOPY app.py /app/\\n' > Dockerfile
      echo 'print(1)' > app.py
      git add -A && git -c user.name=ci -c user.email=ci@example.invalid commit -qm first
      \(bt) record --db \(dir)/history.db \(dir)/docker20-multistage-warm.log
      echo 'print(2)' > app.py
      git -c user.name=ci -c user.email=ci@example.invalid commit -qam 'change the app'
      \(bt) record --db \(dir)/history.db \(dir)/docker20-multistage-after-change.log
      \(bt) builds --db \(dir)/history.db --format json > \(dir)/builds.json
      \(bt) why --db \(dir)/history.db --format json > \(dir)/why.json
      \(bt) why --db \(dir)/history.db > \(dir)/why.txt
      \(bt) report --db \(dir)/history.db --html \(dir)/report.html
      """
    let r = try Self.inRootfs(script)
    #expect(r.status == 0, "exit \(r.status): \(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("recorded build 1: success"), "\(r.stdout)")
    #expect(r.stdout.contains("recorded build 2: success"), "\(r.stdout)")

    let builds = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: unpacked.host.appendingPathComponent("builds.json")))
        as? [String: Any])
    let list = try #require(builds["builds"] as? [[String: Any]])
    #expect(list.count == 2)
    let newest = try #require(list.first)
    #expect(newest["branch"] as? String == "main", "git facts from the rootfs's git: \(newest)")
    #expect(newest["subject"] as? String == "change the app", "\(newest)")

    let why = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: unpacked.host.appendingPathComponent("why.json")))
        as? [String: Any])
    #expect(why["why"] != nil, "\(why)")
    let whyText = try String(
      contentsOf: unpacked.host.appendingPathComponent("why.txt"), encoding: .utf8)
    #expect(whyText.hasPrefix("rebuilt 3 steps"), "\(whyText)")
    #expect(whyText.contains("evidence  git, 1 commit after the baseline's"), "\(whyText)")
    let report = try String(
      contentsOf: unpacked.host.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(report.contains("<html"))
  }
}
