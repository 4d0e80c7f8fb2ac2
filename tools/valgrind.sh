#!/usr/bin/env bash
# The glue suite (PHPUnit `@group glue`) under valgrind memcheck: `make test-valgrind`.
#
#   bash tools/valgrind.sh [phpunit arguments, e.g. --testsuite lifecycle or --filter Pass]
#
# Without arguments it runs the group `glue`: the tests that drive every function the extension
# exports, every conversion of a Zend value and every call back into PHP, which is where the only
# `unsafe` code is (src/; tests/README.md says why that suite covers it, and
# tests/Hardening/GlueTest.php fails when an export or a host call is not driven by it). With
# arguments, whatever they select, in one memcheck process (`--colors=never` alone: the whole
# default run, which takes well over half an hour).
#
# Fails (exit 99) on any memcheck error: invalid reads or writes, uses of uninitialised values,
# and "definitely lost" leaks. Suppressions: tools/valgrind.supp (PHP and third-party crypto
# noise only, each explained). The sgsim processes the tests start are not traced.
#
# Environment: SGWHMCS_EXT, SGSIM_BIN, PHP as for the tests; VALGRIND_SUPP (another suppressions
# file, e.g. /dev/null to see everything); VALGRIND_TIMEOUT (seconds, default 1800);
# VALGRIND_LOG (where the full valgrind report goes; default a file in a temporary directory,
# kept when something was found); VALGRIND_SHARDS (how many memcheck processes share the glue
# suite when no phpunit arguments are given; default one per core, tools/valgrind-shards.php).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
EXT=${SGWHMCS_EXT:-$ROOT/target/release/libsgwhmcs.so}
SGSIM=${SGSIM_BIN:-$ROOT/target/release/sgsim}
PHP=${PHP:-php}
SUPP=${VALGRIND_SUPP:-$ROOT/tools/valgrind.supp}
TIMEOUT=${VALGRIND_TIMEOUT:-1800}
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/sgwhmcs-valgrind.XXXXXX") || exit 1
LOG=${VALGRIND_LOG:-$SCRATCH/valgrind.log}
START=$(date +%s)

command -v valgrind >/dev/null || { echo "valgrind: not installed (Debian package valgrind)" >&2; exit 1; }
[ -f "$EXT" ] || { echo "valgrind: $EXT not found: make build" >&2; exit 1; }

# USE_ZEND_ALLOC=0: PHP allocates with malloc, so memcheck sees every block.
# ZEND_DONT_UNLOAD_MODULES=1: the extension's symbols are still mapped when leaks are reported.
# -d pcre.jit=0: PCRE2's JIT code reads past string ends on purpose and has no symbols.
# run_memcheck LOGFILE PHPUNIT-ARGS...: one phpunit process under memcheck.
run_memcheck() {
    local log=$1
    shift
    (
        cd "$ROOT" || exit 1
        SGSIM_BIN=$SGSIM SGWHMCS_EXT=$EXT USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 \
            timeout -k 10 "$TIMEOUT" valgrind --tool=memcheck --error-exitcode=99 \
            --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
            --suppressions="$SUPP" --trace-children=no --num-callers=40 --log-file="$log" \
            "$PHP" -d pcre.jit=0 -d auto_prepend_file="$ROOT/tools/valgrind-shutdown.php" -d extension="$EXT" \
            /usr/bin/phpunit "$@"
    )
}

if [ $# -gt 0 ]; then
    run_memcheck "$LOG" -c "$ROOT/phpunit.xml" "$@"
    STATUS=$?
else
    # The glue suite, split into shards that run side by side (memcheck is single-threaded;
    # tools/valgrind-shards.php deals the group's test files out). Each shard's report goes to its
    # own file; they are joined into $LOG for the summary below.
    SHARDS=${VALGRIND_SHARDS:-$(nproc)}
    mapfile -t CONFIGS < <("$PHP" "$ROOT/tools/valgrind-shards.php" "$ROOT/phpunit.xml" "$SHARDS" "$SCRATCH" glue)
    [ "${#CONFIGS[@]}" -gt 0 ] || { echo "valgrind: could not split the test run" >&2; exit 1; }
    PIDS=()
    for i in "${!CONFIGS[@]}"; do
        run_memcheck "$SCRATCH/shard-$((i + 1)).log" -c "${CONFIGS[$i]}" >"$SCRATCH/shard-$((i + 1)).out" 2>&1 &
        PIDS+=($!)
    done
    STATUS=0
    for i in "${!PIDS[@]}"; do
        wait "${PIDS[$i]}"
        SHARD_STATUS=$?
        echo "valgrind shard $((i + 1))/${#PIDS[@]}: exit $SHARD_STATUS; $(grep -E '^(OK|Tests:|FAILURES)' "$SCRATCH/shard-$((i + 1)).out" | tail -n1)"
        if [ "$SHARD_STATUS" -ne 0 ]; then
            tail -n 40 "$SCRATCH/shard-$((i + 1)).out" >&2
            # The first failure's kind decides the verdict: a memcheck error over a test failure.
            if [ "$STATUS" -eq 0 ] || [ "$SHARD_STATUS" -eq 99 ]; then STATUS=$SHARD_STATUS; fi
        fi
    done
    cat "$SCRATCH"/shard-*.log >"$LOG"
fi
SECONDS_TAKEN=$(($(date +%s) - START))

# Each memcheck process (one per shard) reports its own summary: add them up.
read -r NERR NCTX NSUP < <(awk '/ERROR SUMMARY:/ {
        gsub(",", ""); seen = 0; for (i = 1; i <= NF; i++) {
            if ($i == "SUMMARY:") e += $(i + 1); if ($i == "from" && !seen++) c += $(i + 1); if ($i == "(suppressed:") s += $(i + 1)
        }; n++ }
    END { if (n) print e, c, s; else print "? ? ?" }' "$LOG")
DEFINITE=$(awk '/definitely lost:/ { gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "lost:") b += $(i + 1); if ($i == "in") k += $(i + 1) }; n++ }
    END { if (n) print b " bytes in " k " blocks" }' "$LOG")
# How many of the reported (unsuppressed) errors have a frame in the extension.
IN_EXT=$(awk '
    /^==[0-9]+== [A-Z].*(Invalid|uninitialised|Uninitialised|Mismatched|definitely lost|Syscall param|Source and destination|free\(\))/ { inblock = 1; hit = 0; next }
    inblock && /^==[0-9]+== *$/ { if (hit) n++; inblock = 0; next }
    inblock && /libsgwhmcs/ { hit = 1 }
    END { print n + 0 }' "$LOG")

case $STATUS in
    0) VERDICT=ok ;;
    99) VERDICT="FAIL (memcheck errors)" ;;
    124 | 137) VERDICT="FAIL (timed out after $TIMEOUT s)" ;;
    *) VERDICT="FAIL (phpunit exit $STATUS)" ;;
esac
echo "valgrind: $VERDICT; $NERR errors from $NCTX contexts ($IN_EXT through libsgwhmcs), ${DEFINITE:-? bytes} definitely lost, $NSUP suppressed; ${SECONDS_TAKEN} s"
if [ "$STATUS" -ne 0 ] || [ "$NERR" != 0 ]; then
    echo "valgrind: report in $LOG" >&2
    grep -E '^==[0-9]+== [A-Z]' "$LOG" | grep -vE 'Memcheck|Copyright|Using Valgrind|Command:|Parent PID|HEAP SUMMARY|LEAK SUMMARY|ERROR SUMMARY|in use at exit|total heap usage|Reachable blocks|To see them|For lists|For counts|track-origins' \
        | sort | uniq -c | sort -rn | head -n 20 >&2
    [ "$STATUS" -eq 0 ] && STATUS=99
elif [ -z "${VALGRIND_LOG:-}" ]; then
    rm -rf "$SCRATCH"
fi
exit "$STATUS"
