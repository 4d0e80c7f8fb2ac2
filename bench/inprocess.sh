#!/usr/bin/env bash
# In-process cost of one call (make bench-inprocess; a benchmark, not a test: it prints figures
# and fails only when something does not run or a call fails): TestConnection through the
# extension against a raw keep-alive curl GET of the same endpoint (GET /api/v1/server), in one PHP
# process, over https and http, each against its own sgsim.
#
#   1. Wall time (bench/inprocess.php): ROUNDS rounds of CALLS calls, the four rows (sgwhmcs and
#      curl, https and http) taking turns in every round; µs are the rounds' medians, the
#      overhead the median of each round's own ratio (drift between rounds cancels out of it).
#   2. Instructions (callgrind: user space only, so the same on a busy machine): bench/calls.php
#      with N calls minus with none, over N, for each row.
#
# Prints one table: per scheme, µs per call of both and the overhead, instructions per call of
# both and the overhead.
#
#   bash bench/inprocess.sh [CALLS] [ROUNDS] [N]        (defaults 500, 31, 200)
#
# Environment: SGWHMCS_EXT, SGSIM_BIN (target/release/…), PHP (php).
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-500}
rounds=${2:-31}
n=${3:-200}
ext=${SGWHMCS_EXT:-$PWD/target/release/libsgwhmcs.so}
php=${PHP:-php}
export SGSIM_BIN=${SGSIM_BIN:-$PWD/target/release/sgsim}
die() { echo "bench-inprocess: $*" >&2; exit 1; }
command -v valgrind >/dev/null || die "valgrind not found (Debian package valgrind; make deps)"
for f in "$ext" "$SGSIM_BIN"; do
    [ -e "$f" ] || die "$f not found (make build)"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- 1. wall time ---------------------------------------------------------------------------
"$php" -d extension="$ext" bench/inprocess.php "$calls" "$rounds" >"$tmp/wall" \
    || die "bench/inprocess.php failed"
# Field $2 (1: sgwhmcs µs, 2: curl µs, 3: overhead %) of scheme $1, from inprocess.php's lines.
wall() {
    sed -nE "s/^in-process $1 *: sgwhmcs TestConnection ([0-9.]+) µs\/call, raw keep-alive curl GET ([0-9.]+) µs\/call: [-+0-9.]+ µs \(([-+0-9.]+) %\)$/\\$2/p" "$tmp/wall"
}

# ---- 2. instructions ------------------------------------------------------------------------
count() { # kind calls scheme -> total instructions of the PHP process
    valgrind --tool=callgrind --callgrind-out-file="$tmp/out" \
        "$php" -d extension="$ext" bench/calls.php "$1" "$2" "$3" >/dev/null 2>"$tmp/log" \
        || die "bench/calls.php $1 $2 $3 failed: $(tail -n 5 "$tmp/log")"
    sed -n 's/^summary: //p' "$tmp/out"
}
declare -A per=()
for scheme in https http; do
    for kind in ext curl; do
        per[$scheme-$kind]=$((($(count "$kind" "$n" "$scheme") - $(count "$kind" 0 "$scheme")) / n))
    done
done

echo "bench-inprocess: sgwhmcs TestConnection against a raw keep-alive curl GET, one PHP process"
echo "(wall: $rounds alternating rounds of $calls calls, medians; instructions: callgrind, ($n calls - none) / $n)"
for scheme in https http; do
    echo "$scheme $(wall "$scheme" 1) $(wall "$scheme" 2) $(wall "$scheme" 3) ${per[$scheme-ext]} ${per[$scheme-curl]}"
done | awk '
    BEGIN {
        printf "| %-6s | %14s | %14s | %9s | %18s | %18s | %9s |\n", "scheme", "sgwhmcs µs", "curl µs",
            "overhead", "sgwhmcs instr.", "curl instr.", "overhead"
        printf "|--------|---------------|---------------|-----------|--------------------|--------------------|-----------|\n"
    }
    NF != 6 { print "bench-inprocess: a figure is missing: " $0 > "/dev/stderr"; exit 1 }
    {
        printf "| %-6s | %13.1f | %13.1f | %+8.1f%% | %18d | %18d | %+8.1f%% |\n", $1, $2, $3, $4,
            $5, $6, ($5 / $6 - 1) * 100
    }'
