#!/usr/bin/env bash
# Writes stubs/sgwhmcs.stub.php from the extension (cargo php stubs reads its doc comments from a
# debug build), or with --check fails when the committed stub differs from what the code gives.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-php >/dev/null || cargo install cargo-php --version 0.2.2 --locked
cargo build -q -p sgwhmcs
fresh=$(mktemp)
trap 'rm -f "$fresh"' EXIT
cargo php stubs target/debug/libsgwhmcs.so --stdout > "$fresh"
if [ "${1:-}" = "--check" ]; then
    if ! diff -u stubs/sgwhmcs.stub.php "$fresh"; then
        echo "stubs/sgwhmcs.stub.php is stale: run tools/stubs.sh and commit it" >&2
        exit 1
    fi
    echo "stubs: stubs/sgwhmcs.stub.php is fresh"
else
    cp "$fresh" stubs/sgwhmcs.stub.php
    echo "stubs: wrote stubs/sgwhmcs.stub.php"
fi
