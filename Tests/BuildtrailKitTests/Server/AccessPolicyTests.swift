import Foundation
import Testing

@testable import BuildtrailServer

/// The tokens file and the decisions made from it, without a server.
@Suite struct AccessPolicyTests {
  static let reader = "bt_" + String(repeating: "a", count: 64)
  static let recorder = "bt_" + String(repeating: "b", count: 64)
  static let both = "bt_" + String(repeating: "c", count: 64)

  static func file() throws -> TokenFile {
    try TokenFile(
      text: """
        # who may read and record
        dashboard read \(AccessToken.hash(reader))

        ci-runner record \(AccessToken.hash(recorder))
        \tadmin@example\tread,record \(AccessToken.hash(both))
        """, path: "tokens")
  }

  @Test func readsTheTokensFile() throws {
    let file = try Self.file()
    #expect(file.entries.map(\.name) == ["dashboard", "ci-runner", "admin@example"])
    #expect(file.entries.map(\.scopes) == [[.read], [.record], [.read, .record]])
  }

  @Test(arguments: [
    ("dashboard read", "tokens line 1: a token line is NAME SCOPES SHA256HEX"),
    ("dashboard write \(String(repeating: "0", count: 64))", "tokens line 1: scopes are read"),
    ("dashboard read bt_secret", "tokens line 1: the hash is the token's SHA-256"),
    ("dash/board read \(String(repeating: "0", count: 64))", "tokens line 1: a token name is"),
    ("dashboard read \(String(repeating: "A", count: 64))", "tokens line 1: the hash is"),
    (
      "a read \(String(repeating: "0", count: 64))\n\nb record \(String(repeating: "0", count: 64))",
      "tokens line 3: the same token is listed twice"
    ),
  ])
  func refusesBadLines(text: String, message: String) {
    do {
      _ = try TokenFile(text: text, path: "tokens")
      Issue.record("accepted \(text)")
    } catch {
      #expect("\(error.localizedDescription)".hasPrefix(message), "\(error.localizedDescription)")
    }
  }

  @Test func decidesByTokenAndScope() throws {
    let policy = AccessPolicy(tokens: try Self.file(), readAnonymous: false)
    #expect(
      policy.decide(authorization: "Bearer \(Self.reader)", needs: .read) == .allowed("dashboard"))
    #expect(
      policy.decide(authorization: "bearer \(Self.both)", needs: .record)
        == .allowed("admin@example"))
    #expect(
      policy.decide(authorization: "Bearer \(Self.recorder)", needs: .record)
        == .allowed("ci-runner"))
    guard
      case .forbidden(let message) = policy.decide(
        authorization: "Bearer \(Self.recorder)", needs: .read)
    else {
      Issue.record("a record token read")
      return
    }
    #expect(message.contains("ci-runner") && !message.contains(Self.recorder))
    for header in [
      nil, "Bearer", "Bearer nope", "Basic \(Self.reader)", "Bearer \(Self.reader)x",
      "Bearer " + String(repeating: "a", count: 300), "Bearer \(AccessToken.hash(Self.reader))",
    ] {
      guard case .unauthenticated = policy.decide(authorization: header, needs: .read) else {
        Issue.record("\(header ?? "no header") was let in")
        continue
      }
    }
  }

  @Test func readAnonymousLetsReadsInButNotBadTokensOrRecording() throws {
    let policy = AccessPolicy(tokens: try Self.file(), readAnonymous: true)
    #expect(policy.decide(authorization: nil, needs: .read) == .allowed(nil))
    #expect(
      policy.decide(authorization: "Bearer nope", needs: .read)
        == .unauthenticated("the token is not known to this server"))
    #expect(
      policy.decide(authorization: nil, needs: .record)
        == .unauthenticated("this needs a bearer token with scope record"))
  }

  @Test func generatesDistinctTokensWhoseHashesTheFileAccepts() throws {
    let tokens = (0..<50).map { _ in AccessToken.generate() }
    #expect(Set(tokens).count == 50)
    for token in tokens {
      #expect(token.hasPrefix("bt_") && token.count == 67)
      let line = AccessToken.line(
        name: "n", scopes: [.record, .read], hash: AccessToken.hash(token))
      #expect(line.hasPrefix("n read,record "))
      let policy = AccessPolicy(tokens: try TokenFile(text: line, path: "t"), readAnonymous: false)
      #expect(policy.decide(authorization: "Bearer \(token)", needs: .record) == .allowed("n"))
    }
  }
}
