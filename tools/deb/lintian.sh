#!/usr/bin/env bash
# Builds the .deb (tools/deb/build.sh) and runs lintian on it (make lintian; CI): fails on any
# lintian error; prints every tag, so warnings stay visible. Installs lintian when missing (root,
# Debian), or says how to.
#
# Environment: as for tools/deb/build.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v lintian >/dev/null; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "lintian: installing lintian (apt-get)" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lintian >/dev/null
    else
        echo "lintian: lintian is not installed: sudo apt-get install -y lintian" >&2
        exit 1
    fi
fi
DEB=$(bash "$ROOT/tools/deb/build.sh" | tail -n1)
# --fail-on error: warnings and lower are reported, not fatal. Every tag is shown with its
# severity letter; the last line counts them.
set +e
TAGS=$(lintian --fail-on error --display-info "$DEB" 2>&1)
STATUS=$?
set -e
[ -z "$TAGS" ] || printf '%s\n' "$TAGS"
printf 'lintian %s: %d errors, %d warnings, %d info\n' "$(basename "$DEB")" \
    "$(grep -c '^E: ' <<<"$TAGS" || true)" "$(grep -c '^W: ' <<<"$TAGS" || true)" "$(grep -c '^I: ' <<<"$TAGS" || true)"
exit "$STATUS"
