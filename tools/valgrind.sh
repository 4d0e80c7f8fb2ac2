#!/usr/bin/env bash
# The PHP test suites (the default phpunit run) under valgrind memcheck: `make test-valgrind`.
#
#   bash tools/valgrind.sh [phpunit arguments, e.g. --testsuite lifecycle or --filter Pass]
#
# Fails (exit 99) on any memcheck error: invalid reads or writes, uses of uninitialised values,
# and "definitely lost" leaks. Suppressions: tools/valgrind.supp (PHP and third-party crypto
# noise only, each explained). The sgsim processes the tests start are not traced.
#
# Environment: SGWHMCS_EXT, SGSIM_BIN, PHP as for the tests; VALGRIND_SUPP (another suppressions
# file, e.g. /dev/null to see everything); VALGRIND_TIMEOUT (seconds, default 1800);
# VALGRIND_LOG (where the full valgrind report goes; default a file in a temporary directory,
# kept when something was found).
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
(
    cd "$ROOT" || exit 1
    SGSIM_BIN=$SGSIM SGWHMCS_EXT=$EXT USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 \
        timeout -k 10 "$TIMEOUT" valgrind --tool=memcheck --error-exitcode=99 \
        --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
        --suppressions="$SUPP" --trace-children=no --num-callers=40 --log-file="$LOG" \
        "$PHP" -d pcre.jit=0 -d auto_prepend_file="$ROOT/tools/valgrind-shutdown.php" -d extension="$EXT" \
        /usr/bin/phpunit -c "$ROOT/phpunit.xml" "$@"
)
STATUS=$?
SECONDS_TAKEN=$(($(date +%s) - START))

ERRORS=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors from \([0-9,]*\) contexts (suppressed: \([0-9,]*\).*/\1 \2 \3/p' "$LOG" | tail -n1)
read -r NERR NCTX NSUP <<<"${ERRORS:-? ? ?}"
DEFINITE=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes in \([0-9,]*\) blocks.*/\1 bytes in \2 blocks/p' "$LOG" | tail -n1)
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
