import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

struct BuildCommandArgumentsTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let argv: [String]
    let expected: BuildCommandArguments?
    var testDescription: String { argv.joined(separator: " ") }
  }

  static let cases: [Case] = [
    .init(
      argv: [
        "docker", "buildx", "build", "-f", "docker/Dockerfile", "--target", "prod", "-t", "app:1",
        "--progress=plain",
        ".",
      ],
      expected: .init(
        tool: .buildx, contextArgument: ".", contextPath: ".", dockerfilePath: "docker/Dockerfile",
        target: "prod",
        tags: ["app:1"], hasProgressFlag: true, progress: "plain")),
    .init(
      argv: ["docker", "build", "."],
      expected: .init(
        tool: .docker, contextArgument: ".", contextPath: ".", dockerfilePath: "Dockerfile")),
    .init(
      argv: ["/usr/bin/docker", "image", "build", "--tag=a", "--tag", "b", "-tc", "services/api/"],
      expected: .init(
        tool: .docker, contextArgument: "services/api/", contextPath: "services/api/",
        dockerfilePath: "services/api/Dockerfile", tags: ["a", "b", "c"])),
    .init(
      argv: ["docker", "builder", "build", "ctx"],
      expected: .init(
        tool: .docker, contextArgument: "ctx", contextPath: "ctx", dockerfilePath: "ctx/Dockerfile")
    ),
    .init(
      argv: [
        "docker", "buildx", "build", "--build-arg", "X=1", "--label", "a=b", "--cache-from",
        "type=gha",
        "--cache-to", "type=gha,mode=max", "--secret", "id=s", "--ssh", "default", "--builder",
        "b1", "--network",
        "host", "--iidfile", "iid", "--metadata-file", "meta.json", "--build-context", "x=../x",
        "--add-host",
        "h:1.2.3.4", "--shm-size", "1g", "--ulimit", "nofile=1024", "--attest", "type=sbom",
        "--annotation", "k=v",
        "--sbom", "true", "--provenance", "mode=max", "--allow", "network.host", "app",
      ],
      expected: .init(
        tool: .buildx, contextArgument: "app", contextPath: "app", dockerfilePath: "app/Dockerfile"
      )
      .with {
        $0.buildArguments = ["X=1"]
        $0.cacheFrom = ["type=gha"]
        $0.cacheTo = ["type=gha,mode=max"]
        $0.builder = "b1"
      }),
    .init(
      argv: [
        "docker", "buildx", "build", "--platform", "linux/amd64,linux/arm64",
        "--platform=linux/riscv64", "--push",
        "--load", "--no-cache", "--pull", "-q", "--check", ".", "--output",
        "type=image,\"name=r/a:1,r/a:latest\",push=true",
      ],
      expected: .init(
        tool: .buildx, contextArgument: ".", contextPath: ".", dockerfilePath: "Dockerfile",
        tags: ["r/a:1", "r/a:latest"], platforms: ["linux/amd64", "linux/arm64", "linux/riscv64"]
      ).with { $0.noCache = true }),
    .init(
      argv: [
        "docker", "--context", "remote", "-H", "ssh://host", "--debug", "buildx", "--builder",
        "k8s", "b", "-o", "out",
        ".",
      ],
      expected: .init(
        tool: .buildx, contextArgument: ".", contextPath: ".", dockerfilePath: "Dockerfile"
      )
      .with { $0.builder = "k8s" }),
    .init(
      argv: ["docker", "build", "-f", "-", "."],
      expected: .init(tool: .docker, contextArgument: ".", contextPath: ".", dockerfilePath: nil)),
    .init(
      argv: ["docker", "build", "-"],
      expected: .init(tool: .docker, contextArgument: "-")),
    .init(
      argv: ["docker", "build", "-t", "x", "https://github.com/acme/app.git#main:docker"],
      expected: .init(
        tool: .docker, contextArgument: "https://github.com/acme/app.git#main:docker", tags: ["x"])),
    .init(
      argv: ["docker", "build", "-f", "Dockerfile.ci", "git@github.com:acme/app.git"],
      expected: .init(
        tool: .docker, contextArgument: "git@github.com:acme/app.git",
        dockerfilePath: "Dockerfile.ci")),
    .init(
      argv: ["docker", "build", "github.com/acme/app"],
      expected: .init(tool: .docker, contextArgument: "github.com/acme/app")),
    .init(
      argv: ["docker", "build", ".", "-t", "late:tag", "--file=alt/Dockerfile"],
      expected: .init(
        tool: .docker, contextArgument: ".", contextPath: ".", dockerfilePath: "alt/Dockerfile",
        tags: ["late:tag"])),
    .init(
      argv: ["docker", "build", "-t=eq", "--", "dash-dash-context"],
      expected: .init(
        tool: .docker, contextArgument: "dash-dash-context", contextPath: "dash-dash-context",
        dockerfilePath: "dash-dash-context/Dockerfile", tags: ["eq"])),
    .init(
      argv: ["sudo", "-E", "env", "DOCKER_BUILDKIT=1", "docker", "build", "."],
      expected: .init(
        tool: .docker, contextArgument: ".", contextPath: ".", dockerfilePath: "Dockerfile")),
    .init(
      argv: [
        "docker", "compose", "-f", "compose.yml", "--progress", "plain", "build", "--no-cache",
        "api", "worker",
      ],
      expected: .init(
        tool: .compose, hasProgressFlag: true, progress: "plain", services: ["api", "worker"]
      )
      .with {
        $0.noCache = true
        $0.compose = ComposeCommand(files: ["compose.yml"], services: ["api", "worker"])
      }),
    .init(
      argv: ["docker-compose", "build", "--build-arg", "A=1"],
      expected: .init(tool: .compose).with {
        $0.buildArguments = ["A=1"]
        $0.compose = ComposeCommand()
      }),
    .init(
      argv: [
        "docker", "--context", "default", "compose", "-f", "a.yml", "--file=b.yml", "-p", "shop",
        "--project-directory", "app", "--env-file", "ci.env", "--profile", "debug", "--profile=ops",
        "build", "--pull", "-q", "--progress=plain", "--build-arg", "V=2", "--no-cache", "backend",
      ],
      expected: .init(
        tool: .compose, hasProgressFlag: true, progress: "plain", services: ["backend"]
      ).with {
        $0.noCache = true
        $0.buildArguments = ["V=2"]
        $0.compose = ComposeCommand(
          files: ["a.yml", "b.yml"], projectName: "shop", projectDirectory: "app",
          envFiles: ["ci.env"], profiles: ["debug", "ops"], services: ["backend"], pull: true,
          quiet: true)
      }),
    .init(
      argv: [
        "env", "COMPOSE_DOCKER_CLI_BUILD=1", "DOCKER_BUILDKIT=1", "/usr/bin/docker-compose", "-H",
        "unix:///var/run/docker.sock", "--project-name=v1", "build", "--progress", "plain",
        "--parallel", "backend", "worker",
      ],
      expected: .init(
        tool: .compose, hasProgressFlag: true, progress: "plain", services: ["backend", "worker"]
      ).with {
        $0.compose = ComposeCommand(projectName: "v1", services: ["backend", "worker"])
      }),
    .init(
      argv: [
        "docker", "build", "--no-cache=false", "--no-cache-filter", "deps,test",
        "--no-cache-filter=lint",
        "--build-arg", "GIT_SHA=3f2a", "--build-arg", "NPM_TOKEN", "--build-arg=EMPTY=", ".",
      ],
      expected: .init(
        tool: .docker, contextArgument: ".", contextPath: ".", dockerfilePath: "Dockerfile"
      ).with {
        $0.noCacheFilter = ["deps", "test", "lint"]
        $0.buildArguments = ["GIT_SHA=3f2a", "NPM_TOKEN", "EMPTY="]
      }),
    .init(
      argv: [
        "buildctl", "build", "--frontend", "dockerfile.v0", "--local", "context=.", "--opt",
        "build-arg:GIT_SHA=9c1d",
        "--opt", "no-cache=", "--import-cache", "type=registry,ref=r/app:cache", "--export-cache",
        "type=registry,ref=r/app:cache,mode=max",
      ],
      expected: .init(
        tool: .buildctl, contextArgument: ".", contextPath: ".", dockerfilePath: "Dockerfile"
      ).with {
        $0.buildArguments = ["GIT_SHA=9c1d"]
        $0.noCache = true
        $0.cacheFrom = ["type=registry,ref=r/app:cache"]
        $0.cacheTo = ["type=registry,ref=r/app:cache,mode=max"]
      }),
    .init(
      argv: [
        "buildctl", "--addr", "tcp://buildkitd:1234", "build", "--frontend", "dockerfile.v0",
        "--local", "context=.",
        "--local", "dockerfile=docker", "--opt", "filename=prod.Dockerfile", "--opt",
        "target=final", "--opt",
        "platform=linux/amd64,linux/arm64", "--output", "type=image,name=reg/app:2,push=true",
        "--progress", "plain",
      ],
      expected: .init(
        tool: .buildctl, contextArgument: ".", contextPath: ".",
        dockerfilePath: "docker/prod.Dockerfile",
        target: "final", tags: ["reg/app:2"], platforms: ["linux/amd64", "linux/arm64"],
        hasProgressFlag: true,
        progress: "plain")),
    .init(
      argv: [
        "buildctl", "build", "--frontend=dockerfile.v0", "--local=context=ctx", "-local",
        "dockerfile=.",
      ],
      expected: .init(
        tool: .buildctl, contextArgument: "ctx", contextPath: "ctx", dockerfilePath: "Dockerfile")),
    .init(
      argv: ["buildctl", "build", "--frontend", "dockerfile.v0", "--local", "context=app"],
      expected: .init(
        tool: .buildctl, contextArgument: "app", contextPath: "app",
        dockerfilePath: "app/Dockerfile")),
    .init(argv: ["docker", "run", "alpine"], expected: nil),
    .init(argv: ["docker", "buildx", "bake"], expected: nil),
    .init(argv: ["docker", "compose", "up", "--build"], expected: nil),
    .init(argv: ["docker-compose", "-f", "build", "up"], expected: nil),
    .init(argv: ["make", "build"], expected: nil),
    .init(argv: ["buildctl", "du"], expected: nil),
    .init(argv: [], expected: nil),
  ]

  @Test(arguments: cases)
  func parsing(_ testCase: Case) {
    #expect(BuildCommandArguments.parse(testCase.argv) == testCase.expected)
  }

  @Test func missingContextLeavesPathsNil() {
    let parsed = BuildCommandArguments.parse(["docker", "build", "-t", "x"])
    #expect(parsed?.contextArgument == nil)
    #expect(parsed?.contextPath == nil)
    #expect(parsed?.dockerfilePath == nil)
    #expect(parsed?.tags == ["x"])
  }

  @Test(arguments: Array(BuildCommandArguments.dockerValueFlags).sorted())
  func everyValueFlagConsumesItsValue(_ flag: String) {
    let parsed = BuildCommandArguments.parse([
      "docker", "buildx", "build", "--\(flag)", "value", "ctx",
    ])
    #expect(parsed?.contextArgument == "ctx")
  }
}

extension BuildCommandArguments {
  /// A copy with `change` applied, for expected values with the fields the initialiser does not take.
  fileprivate func with(_ change: (inout BuildCommandArguments) -> Void) -> BuildCommandArguments {
    var copy = self
    change(&copy)
    return copy
  }
}
