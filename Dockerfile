# buildtrail's container image: the dist binary (Scripts/dist.sh) on a slim Debian with git and
# libsqlite3, run as a non-root user, the history in the /data volume.
#
#   Scripts/dist.sh && docker build -t buildtrail .
#   docker run -d -p 8080:8080 -v buildtrail-data:/data buildtrail        # serve (the default command)
#   docker run --rm -v "$PWD:/work" -v buildtrail-data:/data buildtrail record /work/build.log
#
# BASE may name any Debian or Ubuntu image; a base that already has git and libsqlite3 needs no
# package index (the tests build on a debootstrap rootfs with --network=none).
ARG BASE=debian:bookworm-slim

FROM ${BASE} AS unpack
COPY dist/ /tmp/dist/
RUN set -eu; \
    cd /tmp/dist; \
    set -- buildtrail-*-linux-"$(uname -m)".tar.gz; \
    if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then \
      echo "expected one dist/buildtrail-VERSION-linux-$(uname -m).tar.gz; run Scripts/dist.sh (found: $*)" >&2; \
      exit 1; \
    fi; \
    if [ -f "$1.sha256" ]; then sha256sum -c "$1.sha256"; fi; \
    mkdir /out; \
    tar -xzf "$1" -C /out --strip-components=1; \
    /out/bin/buildtrail --version

FROM ${BASE}
RUN set -eu; \
    if ! command -v git >/dev/null || ! ldconfig -p | grep -q 'libsqlite3\.so\.0'; then \
      apt-get update; \
      apt-get install -y --no-install-recommends git libsqlite3-0 ca-certificates; \
      rm -rf /var/lib/apt/lists/*; \
    fi; \
    git config --system --add safe.directory '*'; \
    useradd --system --uid 10001 --user-group --home-dir /data --no-create-home buildtrail; \
    mkdir -p /data; \
    chown buildtrail:buildtrail /data
COPY --from=unpack /out/bin/buildtrail /usr/local/bin/buildtrail
COPY --from=unpack /out/share/ /usr/local/share/
ENV BUILDTRAIL_DB=/data/history.db
VOLUME /data
WORKDIR /data
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["buildtrail"]
CMD ["serve", "--listen", "0.0.0.0:8080"]
