import ArgumentParser
import BuildtrailKit
import BuildtrailRendering
import BuildtrailServer
import Foundation

struct TokenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token",
    abstract: "Make bearer tokens for `buildtrail serve --tokens FILE`.",
    subcommands: [New.self])

  struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "new",
      abstract:
        "Print a new token and its line for the tokens file (which keeps only its SHA-256).",
      discussion: """
        buildtrail token new ci-runner --scope record
        buildtrail token new dashboard --scope read | tail -1 >> /etc/buildtrail/tokens
        The first line is the token: hand it to its holder now, it is not stored anywhere.
        """)

    @Argument(help: "Who holds it: a CI job, a person (letters, digits, . _ - @).") var name: String
    @Option(name: .long, help: "What it may do: read, record, or read,record.") var scope: String

    func validate() throws {
      _ = try scopes()
      do {
        try AccessToken.checkName(name)
      } catch {
        throw ValidationError(TerminalText.sanitized(ErrorText.commandLine(error)))
      }
    }

    private func scopes() throws -> [TokenScope] {
      let words = scope.split(separator: ",", omittingEmptySubsequences: false)
      let scopes = words.compactMap { TokenScope(rawValue: String($0)) }
      guard !words.isEmpty, scopes.count == words.count else {
        throw ValidationError(
          "--scope takes read, record or read,record, got '\(TerminalText.sanitized(scope))'")
      }
      return Array(Set(scopes))
    }

    func run() throws {
      let token = AccessToken.generate()
      let line = AccessToken.line(
        name: name, scopes: try scopes(), hash: AccessToken.hash(token))
      try emit(token + "\n" + line + "\n")
      note(
        "line 1 is the token: give it to its holder now, it is kept nowhere; line 2 goes in the tokens file"
      )
    }
  }
}
