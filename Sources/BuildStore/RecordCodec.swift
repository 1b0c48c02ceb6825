import Foundation

/// How a ``BuildRecord`` is compressed: zlib against a preset dictionary of what BuildKit logs
/// print (step names, kinds, statuses, output lines of the builder's own steps, common images,
/// paths and errors), and, when the record is stored against an earlier build's record, that
/// record after it. The stream names its dictionary (its Adler-32), so records written before
/// schema 10 (without one, or against the base alone) read back as they are.
enum RecordCodec {
  /// The built-in dictionary. Never change it: stored records are compressed against it.
  static let dictionary = Data(
    """
    ERROR: failed to solve: process "/bin/sh -c did not complete successfully: exit code: 1
    failed to compute cache key: failed to calculate checksum of ref not found
    executor failed running [/bin/sh -c ]: exit code: 
    The command '/bin/sh -c returned a non-zero code: 
    npm ERR! code npm ERR! npm WARN deprecated added packages, and audited packages in found 0 vulnerabilities
    Collecting Downloading Installing collected packages: Successfully installed Requirement already satisfied: 
    Resolved packages in Prepared packages in Installed packages in Audited Using CPython interpreter at: 
    go: downloading Get:1 http://deb.debian.org/debian bookworm InRelease Reading package lists... Done
    Building dependency tree... Reading state information... Setting up Unpacking Selecting previously
    fetch https://dl-cdn.alpinelinux.org/alpine/v3.19/main/x86_64/APKINDEX.tar.gz OK: MiB in packages
    Step : FROM RUN COPY ADD WORKDIR ENV ARG EXPOSE CMD ENTRYPOINT USER LABEL VOLUME
     ---> Running in  ---> Using cache Removing intermediate container Successfully built Successfully tagged
    Sending build context to Docker daemon  [Warning] One or more build-args were not consumed
    ghcr.io/ public.ecr.aws/ registry.k8s.io/ quay.io/ mcr.microsoft.com/ gcr.io/distroless/
    docker.io/library/alpine:3 docker.io/library/debian:bookworm-slim docker.io/library/ubuntu:22.04
    docker.io/library/golang:1. docker.io/library/node:20-alpine docker.io/library/python:3.12-slim
    docker.io/docker/dockerfile:1 resolve image config for docker-image://docker.io/docker/dockerfile:1
    [internal] load build definition from Dockerfile [internal] load metadata for docker.io/library/
    [internal] load .dockerignore [internal] load build context [internal] booting buildkit
    importing cache manifest from exporting cache to registry preparing build cache for export
    exporting to image exporting layers exporting manifest sha256: exporting config sha256:
    exporting attestation manifest sha256: exporting manifest list sha256: naming to docker.io/library/
    unpacking to docker.io/library/ writing image sha256: pushing layers pushing manifest for 
    transferring dockerfile:  transferring context:  B done kB done MB done 0.0s done 0.1s done
    resolve docker.io/library/ sha256: extracting sha256: CACHED DONE ERROR CANCELED
    RUN --mount=type=cache,target=/root/.cache RUN --mount=type=bind,source= apt-get update && apt-get install -y --no-install-recommends
    pip install --no-cache-dir -r requirements.txt npm ci go build -o uv sync --frozen --no-install-project
    COPY package.json package-lock.json ./ COPY requirements.txt . COPY --from=builder /app COPY . .
    WORKDIR /app WORKDIR /src Dockerfile .dockerignore requirements.txt package-lock.json package.json go.sum
    pyproject.toml uv.lock poetry.lock Cargo.lock pnpm-lock.yaml yarn.lock dockerfile dockerignore lockfile
    manifest default docker docker-container kubernetes remote linux/amd64 linux/arm64 log daemon
    internal export frontend auth cache-import cache-export from run copy add workdir other
    done cached error canceled unfinished stage-0 builder build base runtime final
    docker buildx build --progress=plain --push --load --platform -t  -f  .
    """.utf8)

  /// The zlib level of records: 6 rather than 9 halves the time `record` spends compressing a
  /// record of long output tails (about 6 ms of the 90 MB benchmark log's 12) for about 1.5 % more bytes.
  static let level: Int32 = 6

  /// `encoded` compressed against the dictionary, with `base` (an earlier record) after it.
  static func compress(_ encoded: Data, base: Data?) -> Data {
    Zlib.compress(encoded, dictionary: dictionary + (base ?? Data()), level: level)
  }

  private static let dictionaryAdler = Zlib.adler32(of: dictionary)

  /// The record compressed in `data`, against `base` when it was stored against one; nil when it
  /// does not decompress.
  static func decompress(_ data: Data, base: Data?) -> Data? {
    Zlib.decompress(data) { wanted in
      guard let base else { return wanted == dictionaryAdler ? dictionary : nil }
      let baseAdler = Zlib.adler32(of: base)
      if wanted == baseAdler { return base }
      let both = Zlib.adler32(
        combining: dictionaryAdler, baseAdler, secondLength: base.count)
      return wanted == both ? dictionary + base : nil
    }
  }
}
