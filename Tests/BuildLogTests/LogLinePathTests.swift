import Foundation
import Testing

@testable import BuildLog

/// `#N 12.345 text` lines take a shorter path than other vertex lines (no retain of the build or
/// the vertex); these check the cases at its edges read as every other line is read.
@Suite struct LogLinePathTests {
  @Test func interleavedLogLinesAndARawContinuationGoToTheirVertices() throws {
    let b = try onlyBuild(
      """
      #3 [a 2/3] RUN make
      #4 [b 2/3] RUN npm ci
      #3 0.101 one
      #4 0.202 two
       and the rest of two
      #3 -0.001 three
      #3 DONE 0.3s
      #4 DONE 0.4s

      """)
    #expect(b.steps.map(\.outputTail) == [["one", "three"], ["two and the rest of two"]])
    #expect(b.steps.map(\.outputLineCount) == [2, 1])
    #expect(b.outcome == .success)
  }

  @Test func aLogLineBeforeItsHeaderIsKeptAndTheHeaderNamesTheVertex() throws {
    let b = try onlyBuild("#5 0.100 early\n#5 [2/2] RUN ./build.sh\n#5 0.200 late\n#5 DONE 0.2s\n")
    #expect(b.steps.map(\.name) == ["[2/2] RUN ./build.sh"])
    #expect(b.steps[0].outputTail == ["early", "late"])
  }

  @Test func aLogLineAfterTheFinalErrorStartsAnotherBuild() {
    let log = parse(
      """
      #2 [1/1] RUN false
      #2 0.100 before
      #2 ERROR: process "/bin/sh -c false" did not complete successfully: exit code: 1
      ERROR: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1
      #2 0.200 after

      """)
    #expect(log.builds.count == 2)
    #expect(log.builds.first?.steps.first?.outputTail == ["before"])
    #expect(log.builds.first?.outcome == .failed)
  }

  @Test func aLogLineEndsTheTrailerItFollows() throws {
    let b = try onlyBuild(
      """
      #6 [2/3] RUN make
      #6 0.100 compiling

      ------
       > [2/3] RUN make:
      ------
      #6 0.200 still compiling
      #6 DONE 0.2s

      """)
    #expect(b.steps[0].outputTail == ["compiling", "still compiling"])
    #expect(b.steps[0].outputLineCount == 2)
  }

  @Test func vertexNumbersBeyondTheArrayTakeTheSameRoute() throws {
    let b = try onlyBuild("#5000 [2/2] RUN x\n#5000 0.100 far\n#5000 0.200 away\n#5000 DONE 0.2s\n")
    #expect(b.steps[0].outputTail == ["far", "away"])
    #expect(b.steps[0].vertex == 5000)
  }

  @Test func aLogLineOfTheFirstVertexReadsAsBefore() throws {
    let b = try onlyBuild(
      "#1 [internal] load build definition from Dockerfile\n#1 0.012 transferring\n#1 DONE 0.0s\n")
    #expect(b.steps[0].outputTail == ["transferring"])
  }
}
