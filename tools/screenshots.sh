#!/usr/bin/env bash
# Screenshots of the client area as a person sees it, for the README: renders the three states
# (healthy, a stale machine, the server unreachable) with real Smarty 3.1 through
# tests/Lifecycle/ClientAreaRenderTest.php, then photographs each page with headless Chromium
# into docs/screenshots/{healthy,stale,unreachable}.png. No network: Bootstrap is inlined.
# Needs the built extension and sgsim (make build) and the Debian packages smarty3,
# libjs-bootstrap4 and chromium (make deps).
set -euo pipefail
cd "$(dirname "$0")/.."
EXT=${SGWHMCS_EXT:-$PWD/target/release/libsgwhmcs.so}
SGSIM=${SGSIM_BIN:-$PWD/target/release/sgsim}
PHP=${PHP:-php}
CHROMIUM=${CHROMIUM:-chromium}
OUT=docs/screenshots
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

SGWHMCS_SCREENSHOT_HTML="$WORK/html" SGSIM_BIN="$SGSIM" \
    "$PHP" -d extension="$EXT" /usr/bin/phpunit -c phpunit.xml tests/Lifecycle/ClientAreaRenderTest.php
mkdir -p "$OUT"
for shot in healthy:1000,1100 stale:1000,1170 unreachable:1000,360; do
    state=${shot%%:*}
    page="$WORK/html/$state.html"
    [ -s "$page" ] || { echo "screenshots: $page was not written" >&2; exit 1; }
    profile="$WORK/profile-$state"
    mkdir "$profile"
    # A new empty profile each time, and nothing that would reach the network.
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --hide-scrollbars --window-size="${shot#*:}" \
        --screenshot="$PWD/$OUT/$state.png" "file://$page" >"$WORK/chromium-$state.log" 2>&1 || {
        cat "$WORK/chromium-$state.log" >&2
        exit 1
    }
    [ -s "$OUT/$state.png" ] || { echo "screenshots: no $OUT/$state.png" >&2; exit 1; }
    echo "$OUT/$state.png"
done
