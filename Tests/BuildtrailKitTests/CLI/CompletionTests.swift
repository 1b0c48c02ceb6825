import Foundation
import Testing

/// Shell completions come from ArgumentParser and are mentioned in the help.
@Suite struct CompletionTests {
  @Test(arguments: ["bash", "zsh", "fish"])
  func aCompletionScriptNamesTheSubcommands(_ shell: String) throws {
    let r = try CLI.run(["--generate-completion-script", shell])
    #expect(r.status == 0)
    for command in ["record", "why", "broke", "regressions"] {
      #expect(r.stdout.contains(command), "\(shell): \(command)")
    }
  }

  @Test func theHelpSaysHowToGetThem() throws {
    let r = try CLI.run(["--help"])
    #expect(r.stdout.contains("buildtrail --generate-completion-script bash|zsh|fish"))
    #expect(r.stdout.contains("swift package generate-manual"))
  }
}
