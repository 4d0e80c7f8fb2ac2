#!/usr/bin/env bash
# THIRD-PARTY-LICENSES: the licence notices of the crates linked into the extension, generated
# from Cargo.lock by cargo-about (about.toml, about.hbs).
#
#   bash tools/notices.sh            writes THIRD-PARTY-LICENSES (make notices)
#   bash tools/notices.sh --check    fails when the committed file is not what it would write
#                                    (make test-notices; CI)
#
# cargo-about is installed from crates.io (cargo install --locked) when missing, at the version
# below, so that every machine writes the same file.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ABOUT_VERSION=0.9.3
cd "$ROOT"

if [ "$(cargo about --version 2>/dev/null | awk '{print $2}')" != "$ABOUT_VERSION" ]; then
    echo "notices: installing cargo-about $ABOUT_VERSION (cargo install --locked)" >&2
    cargo install --locked cargo-about --version "$ABOUT_VERSION" --features cli >&2
fi

TMP=$(mktemp "${TMPDIR:-/tmp}/sgwhmcs-notices.XXXXXX")
trap 'rm -f "$TMP"' EXIT
# Only the extension's crates (-m: the sgwhmcs package, not the simulator or the fuzzers);
# --frozen: exactly Cargo.lock, and no network (only the crates' own files, so every machine
# writes the same file).
cargo about generate --frozen --fail -m "$ROOT/Cargo.toml" -c "$ROOT/about.toml" "$ROOT/about.hbs" >"$TMP"
# cargo-about ends lines of some crates' texts with CRLF and spaces: normalise, so that the file is
# plain text and diffs are readable.
sed -i 's/\r$//; s/[[:space:]]*$//' "$TMP"

if [ "${1:-}" = --check ]; then
    if ! diff -q "$TMP" THIRD-PARTY-LICENSES >/dev/null 2>&1; then
        echo "notices: THIRD-PARTY-LICENSES is not what Cargo.lock gives now; run make notices and commit it" >&2
        diff -u THIRD-PARTY-LICENSES "$TMP" | head -n 40 >&2 || true
        exit 1
    fi
    echo "notices: THIRD-PARTY-LICENSES is fresh"
    exit 0
fi
cp "$TMP" THIRD-PARTY-LICENSES
chmod 644 THIRD-PARTY-LICENSES
echo "notices: wrote THIRD-PARTY-LICENSES ($(grep -c '^  .*: ' THIRD-PARTY-LICENSES) lines of crates and licences)"
