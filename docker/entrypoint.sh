#!/bin/sh
# The image's entry point: `mockserver` with the container's conventions.
# - Options alone (`docker run IMAGE --vendor litmos`) mean `mockserver run --vendor litmos`.
# - A non-empty /data/fixtures (a mounted directory) is the fixtures directory unless
#   MOCKSERVER_FIXTURES says otherwise; a vendor file it lacks comes from the packaged seed.
# - Scenario files mounted at /data/scenarios are named relative to /data, the working
#   directory: MOCKSERVER_SCENARIO=scenarios/my-case.yaml (or a shipped name: litmos-rate-limit).
set -e
if [ -z "${MOCKSERVER_FIXTURES:-}" ] && [ -n "$(ls -A /data/fixtures 2>/dev/null)" ]; then
    export MOCKSERVER_FIXTURES=/data/fixtures
fi
case "${1:-}" in
    -*|"") set -- run "$@" ;;
esac
exec mockserver "$@"
