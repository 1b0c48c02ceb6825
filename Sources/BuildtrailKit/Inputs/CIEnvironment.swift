import Foundation

/// The CI run a build happened in.
public struct CIRun: Sendable, Equatable, Codable {
  /// `github-actions`, `gitlab-ci`, `buildkite`, `circleci`, `jenkins` or `azure-pipelines`.
  public var provider: String
  /// The provider's id for the whole run (workflow run, pipeline, build).
  public var runID: String
  /// Which try of the run this is, where the provider counts them (GitHub Actions).
  public var attempt: Int?
  /// The provider's id or name for the job within the run.
  public var jobID: String?
  /// A web page for the run or job.
  public var url: String?
  /// The commit the CI system says it built.
  public var commit: String?
  /// The branch the CI system says it built.
  public var branch: String?

  /// Creates a run description.
  public init(
    provider: String, runID: String, attempt: Int? = nil, jobID: String? = nil, url: String? = nil,
    commit: String? = nil, branch: String? = nil
  ) {
    self.provider = provider
    self.runID = runID
    self.attempt = attempt
    self.jobID = jobID
    self.url = url
    self.commit = commit
    self.branch = branch
  }
}

/// Recognises CI systems from their environment variables.
public enum CIEnvironment {
  /// Every variable that ``detect(_:)`` and ``GitMetadata/branchFromEnvironment(_:)`` read: what a
  /// build's environment must keep to be recorded later as the CI run it was.
  public static let variableNames: Set<String> = [
    "GITHUB_ACTIONS", "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT", "GITHUB_JOB", "GITHUB_SERVER_URL",
    "GITHUB_REPOSITORY",
    "GITHUB_SHA", "GITHUB_HEAD_REF", "GITHUB_REF_NAME", "GITHUB_REF_TYPE",
    "GITLAB_CI", "CI_PIPELINE_ID", "CI_PIPELINE_URL", "CI_JOB_ID", "CI_JOB_URL", "CI_COMMIT_SHA",
    "CI_COMMIT_REF_NAME",
    "BUILDKITE", "BUILDKITE_BUILD_ID", "BUILDKITE_JOB_ID", "BUILDKITE_BUILD_URL",
    "BUILDKITE_COMMIT", "BUILDKITE_BRANCH",
    "CIRCLECI", "CIRCLE_WORKFLOW_ID", "CIRCLE_BUILD_NUM", "CIRCLE_BUILD_URL", "CIRCLE_SHA1",
    "CIRCLE_BRANCH",
    "TF_BUILD", "BUILD_BUILDID", "SYSTEM_COLLECTIONURI", "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI",
    "SYSTEM_TEAMPROJECT",
    "SYSTEM_JOBID", "SYSTEM_PULLREQUEST_SOURCEBRANCH", "BUILD_SOURCEBRANCH",
    "BUILD_SOURCEBRANCHNAME",
    "BUILD_SOURCEVERSION",
    "JENKINS_URL", "BUILD_ID", "BUILD_NUMBER", "BUILD_URL", "JOB_NAME", "GIT_COMMIT", "GIT_BRANCH",
    "BRANCH_NAME",
  ]

  /// The CI run described by `environment`, nil outside CI or when the provider's run id is missing.
  public static func detect(_ environment: [String: String]) -> CIRun? {
    let env = Variables(environment)
    let detectors: [(Variables) -> CIRun?] = [
      gitHubActions, gitLab, buildkite, circleCI, azurePipelines, jenkins,
    ]
    for detector in detectors {
      if let run = detector(env) { return run }
    }
    return nil
  }

  private static func gitHubActions(_ env: Variables) -> CIRun? {
    guard env.isTrue("GITHUB_ACTIONS"), let runID = env["GITHUB_RUN_ID"] else { return nil }
    var url: String?
    if let server = env["GITHUB_SERVER_URL"], let repository = env["GITHUB_REPOSITORY"] {
      url = "\(trimmingTrailingSlash(server))/\(repository)/actions/runs/\(runID)"
    }
    var branch = env["GITHUB_HEAD_REF"]
    if branch == nil, env["GITHUB_REF_TYPE"] != "tag" { branch = env["GITHUB_REF_NAME"] }
    return CIRun(
      provider: "github-actions", runID: runID,
      attempt: env["GITHUB_RUN_ATTEMPT"].flatMap { Int($0) },
      jobID: env["GITHUB_JOB"], url: url, commit: env["GITHUB_SHA"], branch: branch)
  }

  private static func gitLab(_ env: Variables) -> CIRun? {
    guard env["GITLAB_CI"] != nil, let runID = env["CI_PIPELINE_ID"] else { return nil }
    return CIRun(
      provider: "gitlab-ci", runID: runID, jobID: env["CI_JOB_ID"],
      url: env["CI_JOB_URL"] ?? env["CI_PIPELINE_URL"],
      commit: env["CI_COMMIT_SHA"], branch: env["CI_COMMIT_REF_NAME"])
  }

  private static func buildkite(_ env: Variables) -> CIRun? {
    guard env.isTrue("BUILDKITE"), let runID = env["BUILDKITE_BUILD_ID"] else { return nil }
    let commit = env["BUILDKITE_COMMIT"].flatMap { $0 == "HEAD" ? nil : $0 }
    return CIRun(
      provider: "buildkite", runID: runID, jobID: env["BUILDKITE_JOB_ID"],
      url: env["BUILDKITE_BUILD_URL"],
      commit: commit, branch: env["BUILDKITE_BRANCH"])
  }

  private static func circleCI(_ env: Variables) -> CIRun? {
    guard env.isTrue("CIRCLECI"), let runID = env["CIRCLE_WORKFLOW_ID"] ?? env["CIRCLE_BUILD_NUM"]
    else {
      return nil
    }
    return CIRun(
      provider: "circleci", runID: runID, jobID: env["CIRCLE_BUILD_NUM"],
      url: env["CIRCLE_BUILD_URL"],
      commit: env["CIRCLE_SHA1"], branch: env["CIRCLE_BRANCH"])
  }

  private static func azurePipelines(_ env: Variables) -> CIRun? {
    guard env.isTrue("TF_BUILD"), let runID = env["BUILD_BUILDID"] else { return nil }
    var url: String?
    if let collection = env["SYSTEM_COLLECTIONURI"] ?? env["SYSTEM_TEAMFOUNDATIONCOLLECTIONURI"],
      let project = env["SYSTEM_TEAMPROJECT"]
    {
      let encodedProject =
        project.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? project
      let encodedID = runID.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? runID
      url =
        "\(trimmingTrailingSlash(collection))/\(encodedProject)/_build/results?buildId=\(encodedID)"
    }
    var branch = env["BUILD_SOURCEBRANCHNAME"]
    if let full = env["BUILD_SOURCEBRANCH"], full.hasPrefix("refs/heads/") {
      branch = String(full.dropFirst("refs/heads/".count))
    }
    if let pullRequestSource = env["SYSTEM_PULLREQUEST_SOURCEBRANCH"] {
      branch =
        pullRequestSource.hasPrefix("refs/heads/")
        ? String(pullRequestSource.dropFirst("refs/heads/".count)) : pullRequestSource
    }
    return CIRun(
      provider: "azure-pipelines", runID: runID, jobID: env["SYSTEM_JOBID"], url: url,
      commit: env["BUILD_SOURCEVERSION"], branch: branch)
  }

  private static func jenkins(_ env: Variables) -> CIRun? {
    guard env["JENKINS_URL"] != nil, let runID = env["BUILD_ID"] ?? env["BUILD_NUMBER"] else {
      return nil
    }
    var branch = env["BRANCH_NAME"]
    if branch == nil, let gitBranch = env["GIT_BRANCH"] {
      branch =
        gitBranch.hasPrefix("origin/") ? String(gitBranch.dropFirst("origin/".count)) : gitBranch
    }
    return CIRun(
      provider: "jenkins", runID: runID, jobID: env["JOB_NAME"], url: env["BUILD_URL"],
      commit: env["GIT_COMMIT"],
      branch: branch)
  }

  private static func trimmingTrailingSlash(_ text: String) -> String {
    var result = Substring(text)
    while result.hasSuffix("/") { result = result.dropLast() }
    return String(result)
  }

  /// Environment lookups that treat empty values as unset.
  private struct Variables {
    let values: [String: String]

    init(_ values: [String: String]) { self.values = values }

    subscript(name: String) -> String? {
      guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
        return nil
      }
      return value
    }

    func isTrue(_ name: String) -> Bool {
      self[name]?.lowercased() == "true"
    }
  }
}
