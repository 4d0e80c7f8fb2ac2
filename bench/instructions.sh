#!/usr/bin/env bash
# Instructions per call (callgrind; stable under load, unlike wall time) of TestConnection through
# the extension and of a raw keep-alive curl GET of the same endpoint, in one PHP process, over
# http and https: the difference of a run with N calls and one with 0 (bench/calls.php), over N.
#
#   bash bench/instructions.sh [N]        (make bench-instructions; not a test)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
ext=${EXT:-$PWD/target/release/libsgwhmcs.so}
export SGSIM_BIN=${SGSIM_BIN:-$PWD/target/release/sgsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count() { # kind calls scheme -> total instructions of the PHP process
    valgrind --tool=callgrind --callgrind-out-file="$tmp/out" \
        php -d extension="$ext" bench/calls.php "$1" "$2" "$3" >/dev/null 2>"$tmp/log"
    sed -n 's/^summary: //p' "$tmp/out"
}
for scheme in http https; do
    declare -A per=()
    for kind in ext curl; do
        per[$kind]=$((($(count "$kind" "$n" "$scheme") - $(count "$kind" 0 "$scheme")) / n))
    done
    awk -v s="$scheme" -v e="${per[ext]}" -v c="${per[curl]}" 'BEGIN {
        printf "instructions %-5s: sgwhmcs TestConnection %d/call, raw keep-alive curl GET %d/call: +%d (%+.1f %%)\n",
            s, e, c, e - c, (e / c - 1) * 100 }'
done
