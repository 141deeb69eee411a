# lms-mockserver: Titus Connect, Litmos and TeSLA CE on one port (8080), run as a non-root user.
#
#   docker build -t lms-mockserver .
#   docker run --rm -p 127.0.0.1:8080:8080 lms-mockserver
#
# Build arguments:
#   BASE_IMAGE  a Debian-based image with Python 3.11 and its venv module (default python:3.11-slim)
#   WHEELHOUSE  a directory in the build context holding wheels of the project's dependencies and
#               of its build backend (hatchling): the build then installs from it only (pip
#               --no-index), without any package index. scripts/docker-smoke prepares one.
#   VERSION     the image's version label: the project's (pyproject.toml); scripts/docker-smoke
#               fails when it differs from what the installed package says
#   SOURCE_URL  the repository the image was built from, for the source label (a registry build
#               passes it; empty otherwise)
#   REVISION    the commit it was built from, for the revision label (empty otherwise)

ARG BASE_IMAGE=python:3.11-slim

# -- build: the project's wheel, installed with its dependencies into /opt/mockserver ------------
FROM ${BASE_IMAGE} AS build
# Marks every image this file makes, so a script can remove the untagged leftovers of a build
# (docker image prune --filter label=org.lms-mockserver.stage) without touching anything else.
LABEL org.lms-mockserver.stage=build
ARG WHEELHOUSE=
COPY . /src
RUN set -e; \
    if [ -n "$WHEELHOUSE" ]; then export PIP_NO_INDEX=1 PIP_FIND_LINKS="/src/$WHEELHOUSE"; fi; \
    export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1; \
    python3 -m venv /opt/build; \
    /opt/build/bin/pip wheel --quiet --wheel-dir /wheels /src; \
    python3 -m venv /opt/mockserver; \
    /opt/mockserver/bin/pip install --quiet --no-compile --no-index --find-links /wheels lms-mockserver; \
    # Slimmer: uvicorn's optional extras the mock never uses (no reload, no websockets) go, as do
    # the test suites, C sources and source maps that wheels carry, and pip once everything is
    # installed. uvloop and httptools stay: the image serves on the same fast path as a pip
    # install (benchmarks/README.md).
    site=/opt/mockserver/lib/python3.11/site-packages; \
    /opt/mockserver/bin/pip uninstall --yes --quiet watchfiles websockets python-dotenv; \
    rm -rf "$site/Crypto/SelfTest" "$site/lxml/includes"; \
    find "$site" \( -name '*.pyx' -o -name '*.pxd' -o -name '*.pxi' -o -name '*.c' -o -name '*.h' \
        -o -name '*.pyi' -o -name '*.map' \) -delete; \
    /opt/mockserver/bin/pip uninstall --yes --quiet pip setuptools 2>/dev/null || true; \
    # A full start, once: validates the packaged seeds, compiles what a start imports (only that:
    # --no-compile above) and fills the parse cache, so a container answers in about a second.
    mkdir -p /opt/mockserver/cache; \
    MOCKSERVER_CACHE_DIR=/opt/mockserver/cache /opt/mockserver/bin/mockserver check > /dev/null; \
    /opt/mockserver/bin/mockserver health --port 1 --timeout 0.1 2>/dev/null || true

# -- runtime: the virtual environment and a user, nothing else --------------------------------------
FROM ${BASE_IMAGE}
ARG VERSION=0.1.0
ARG SOURCE_URL=
ARG REVISION=
LABEL org.lms-mockserver.stage=runtime \
      org.opencontainers.image.title="lms-mockserver" \
      org.opencontainers.image.description="Stateful mock of the Titus Connect, Litmos and TeSLA CE LMS APIs" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.revision="${REVISION}"
COPY --from=build /opt/mockserver /opt/mockserver
COPY docker/entrypoint.sh /usr/local/bin/mockserver-entrypoint
RUN set -e; \
    useradd --system --uid 10001 --user-group --home-dir /data --no-create-home --shell /usr/sbin/nologin mockserver; \
    mkdir -p /data/fixtures /data/scenarios /data/state; \
    chown mockserver:mockserver /data /data/fixtures /data/scenarios /data/state

ENV PATH=/opt/mockserver/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MOCKSERVER_HOST=0.0.0.0 \
    MOCKSERVER_PORT=8080 \
    MOCKSERVER_CACHE_DIR=/opt/mockserver/cache
USER mockserver
WORKDIR /data
# State that survives a restart: mount a volume here and set MOCKSERVER_STATE_FILE=/data/state/mock.json
# (README "Docker"); without the variable nothing is written.
VOLUME ["/data/state"]
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 CMD ["mockserver", "health"]
ENTRYPOINT ["mockserver-entrypoint"]
CMD ["run"]
