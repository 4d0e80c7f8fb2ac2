#!/usr/bin/env bash
# Screenshots for the README, as a person sees the module in WHMCS:
# - the client area, rendered with real Smarty 3.1 by tests/Lifecycle/ClientAreaRenderTest.php,
#   in whole product details pages shaped like WHMCS's client themes Twenty-One (WHMCS 8) and
#   Nexus (WHMCS 9) (tests/Support/Pages): healthy, a stale machine, the server unreachable;
# - the admin's service page (Products/Services tab, Blend-shaped, Bootstrap 3) with the module's
#   tab fields and buttons, from tests/Lifecycle/AdminPageRenderTest.php;
# each photographed with headless Chromium into docs/screenshots/<name>.png. No network: the
# Bootstrap CSS is inlined. Needs the built extension and sgsim (make build) and the Debian
# packages smarty3, libjs-bootstrap4, libjs-bootstrap and chromium (make deps).
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
    "$PHP" -d extension="$EXT" /usr/bin/phpunit -c phpunit.xml \
    --filter '/(ClientAreaRenderTest|AdminPageRenderTest)::/' tests/Lifecycle
mkdir -p "$OUT"
# name:width,height. The heights leave room below the footer (the page's own colour there), so
# a few more lines of module output are not cut off.
for shot in twenty-one-healthy:1280,1780 twenty-one-stale:1280,1900 twenty-one-unreachable:1280,1000 \
    nexus-healthy:1280,1920 nexus-stale:1280,2080 admin-service:1280,1000; do
    name=${shot%%:*}
    page="$WORK/html/$name.html"
    [ -s "$page" ] || { echo "screenshots: $page was not written" >&2; exit 1; }
    profile="$WORK/profile-$name"
    mkdir "$profile"
    # A new empty profile each time, and nothing that would reach the network.
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --hide-scrollbars --window-size="${shot#*:}" \
        --screenshot="$PWD/$OUT/$name.png" "file://$page" >"$WORK/chromium-$name.log" 2>&1 || {
        cat "$WORK/chromium-$name.log" >&2
        exit 1
    }
    [ -s "$OUT/$name.png" ] || { echo "screenshots: no $OUT/$name.png" >&2; exit 1; }
    echo "$OUT/$name.png"
done
