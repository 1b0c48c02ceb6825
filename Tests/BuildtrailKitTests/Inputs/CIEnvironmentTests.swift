import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

struct CIEnvironmentTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let environment: [String: String]
    let expected: CIRun?
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    .init(
      name: "GitHub Actions push",
      environment: [
        "GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": "9876543210", "GITHUB_RUN_ATTEMPT": "2",
        "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/shop",
        "GITHUB_JOB": "build",
        "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567", "GITHUB_REF_NAME": "main",
        "GITHUB_HEAD_REF": "",
        "GITHUB_REF_TYPE": "branch",
      ],
      expected: CIRun(
        provider: "github-actions", runID: "9876543210", attempt: 2, jobID: "build",
        url: "https://github.com/acme/shop/actions/runs/9876543210",
        commit: "0123456789abcdef0123456789abcdef01234567", branch: "main")),
    .init(
      name: "GitHub Actions pull request",
      environment: [
        "GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": "1", "GITHUB_HEAD_REF": "feature/login",
        "GITHUB_REF_NAME": "7/merge",
      ],
      expected: CIRun(provider: "github-actions", runID: "1", branch: "feature/login")),
    .init(
      name: "GitHub Actions tag",
      environment: [
        "GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": "5", "GITHUB_REF_NAME": "v1.2",
        "GITHUB_REF_TYPE": "tag",
      ],
      expected: CIRun(provider: "github-actions", runID: "5")),
    .init(
      name: "GitLab CI",
      environment: [
        "GITLAB_CI": "true", "CI_PIPELINE_ID": "4242", "CI_JOB_ID": "99",
        "CI_JOB_URL": "https://gitlab.com/a/b/-/jobs/99",
        "CI_COMMIT_SHA": "abc123", "CI_COMMIT_REF_NAME": "develop",
      ],
      expected: CIRun(
        provider: "gitlab-ci", runID: "4242", jobID: "99", url: "https://gitlab.com/a/b/-/jobs/99",
        commit: "abc123",
        branch: "develop")),
    .init(
      name: "Buildkite",
      environment: [
        "BUILDKITE": "true", "BUILDKITE_BUILD_ID": "0190-uuid",
        "BUILDKITE_BUILD_URL": "https://buildkite.com/acme/app/builds/12",
        "BUILDKITE_COMMIT": "fedcba", "BUILDKITE_BRANCH": "main", "BUILDKITE_JOB_ID": "job-uuid",
      ],
      expected: CIRun(
        provider: "buildkite", runID: "0190-uuid", jobID: "job-uuid",
        url: "https://buildkite.com/acme/app/builds/12",
        commit: "fedcba", branch: "main")),
    .init(
      name: "Buildkite unresolved HEAD commit",
      environment: ["BUILDKITE": "true", "BUILDKITE_BUILD_ID": "b", "BUILDKITE_COMMIT": "HEAD"],
      expected: CIRun(provider: "buildkite", runID: "b")),
    .init(
      name: "CircleCI workflow",
      environment: [
        "CIRCLECI": "true", "CIRCLE_WORKFLOW_ID": "wf-1", "CIRCLE_BUILD_NUM": "314",
        "CIRCLE_BUILD_URL": "https://circleci.com/gh/acme/app/314", "CIRCLE_SHA1": "aaa",
        "CIRCLE_BRANCH": "topic",
      ],
      expected: CIRun(
        provider: "circleci", runID: "wf-1", jobID: "314",
        url: "https://circleci.com/gh/acme/app/314", commit: "aaa",
        branch: "topic")),
    .init(
      name: "CircleCI without workflow",
      environment: ["CIRCLECI": "true", "CIRCLE_BUILD_NUM": "7"],
      expected: CIRun(provider: "circleci", runID: "7", jobID: "7")),
    .init(
      name: "Jenkins git plugin",
      environment: [
        "JENKINS_URL": "https://ci.example.com/", "BUILD_ID": "55", "BUILD_NUMBER": "55",
        "BUILD_URL": "https://ci.example.com/job/app/55/", "GIT_COMMIT": "bbb",
        "GIT_BRANCH": "origin/release",
        "JOB_NAME": "app",
      ],
      expected: CIRun(
        provider: "jenkins", runID: "55", jobID: "app", url: "https://ci.example.com/job/app/55/",
        commit: "bbb",
        branch: "release")),
    .init(
      name: "Jenkins multibranch",
      environment: [
        "JENKINS_URL": "https://ci/", "BUILD_NUMBER": "3", "BRANCH_NAME": "PR-12",
        "GIT_BRANCH": "origin/x",
      ],
      expected: CIRun(provider: "jenkins", runID: "3", branch: "PR-12")),
    .init(
      name: "Azure Pipelines",
      environment: [
        "TF_BUILD": "True", "BUILD_BUILDID": "777",
        "SYSTEM_COLLECTIONURI": "https://dev.azure.com/acme/",
        "SYSTEM_TEAMPROJECT": "Shop Front", "BUILD_SOURCEVERSION": "ccc",
        "BUILD_SOURCEBRANCH": "refs/heads/feature/cart",
        "BUILD_SOURCEBRANCHNAME": "cart", "SYSTEM_JOBID": "job-guid",
      ],
      expected: CIRun(
        provider: "azure-pipelines", runID: "777", jobID: "job-guid",
        url: "https://dev.azure.com/acme/Shop%20Front/_build/results?buildId=777", commit: "ccc",
        branch: "feature/cart")),
    .init(
      name: "Azure Pipelines branch name only",
      environment: ["TF_BUILD": "True", "BUILD_BUILDID": "8", "BUILD_SOURCEBRANCHNAME": "main"],
      expected: CIRun(provider: "azure-pipelines", runID: "8", branch: "main")),
    .init(name: "not CI", environment: ["PATH": "/usr/bin", "CI": "true"], expected: nil),
    .init(
      name: "GitHub flag false", environment: ["GITHUB_ACTIONS": "false", "GITHUB_RUN_ID": "1"],
      expected: nil),
    .init(
      name: "GitHub without run id", environment: ["GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": ""],
      expected: nil),
    .init(name: "Azure without build id", environment: ["TF_BUILD": "True"], expected: nil),
  ]

  @Test(arguments: cases)
  func detection(_ testCase: Case) {
    #expect(CIEnvironment.detect(testCase.environment) == testCase.expected)
  }

  @Test(arguments: cases)
  func theVariableNamesHoldAllThatDetectionReads(_ testCase: Case) {
    let kept = testCase.environment.filter { CIEnvironment.variableNames.contains($0.key) }
    #expect(CIEnvironment.detect(kept) == testCase.expected)
    #expect(
      GitMetadata.branchFromEnvironment(kept)
        == GitMetadata.branchFromEnvironment(testCase.environment))
  }
}
