#!/usr/bin/env bash
# The deployment-shape test: the extension in php-fpm (several workers) behind nginx, serving
# module calls for two products pinned to two TLS simulators, under concurrent load.
#
#   bash tests/Deployment/run.sh            (make test-deploy; after cargo build --release)
#
# Environment: SGWHMCS_EXT (default target/release/libsgwhmcs.so), SGSIM_BIN (default
# target/release/sgsim), DEPLOY_REQUESTS (400), DEPLOY_PARALLEL (8), DEPLOY_KEEP=1 keeps the
# scratch directory (configs and logs) even on success; it is always kept on failure.
#
# Every process it starts runs in its own process group (setsid) and is killed, group by group,
# on any exit (success, failure, INT or TERM). The whole run is bounded (DEPLOY_DEADLINE, 150 s).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
EXT=${SGWHMCS_EXT:-$ROOT/target/release/libsgwhmcs.so}
SGSIM=${SGSIM_BIN:-$ROOT/target/release/sgsim}
REQUESTS=${DEPLOY_REQUESTS:-400}
PARALLEL=${DEPLOY_PARALLEL:-8}
DEADLINE=${DEPLOY_DEADLINE:-150}
PHP=${PHP:-php}
FPM=${PHP_FPM:-$(command -v php-fpm8.2 || command -v php-fpm || echo /usr/sbin/php-fpm8.2)}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
START=$(date +%s)

say() { echo "deploy: $*" >&2; }
die() {
    say "FAIL $*"
    echo "deploy: 0 requests, setup failed: $*"
    exit 1
}

for f in "$EXT" "$SGSIM" "$FPM" "$NGINX"; do
    [ -x "$f" ] || [ -f "$f" ] || die "$f not found (make build; Debian packages nginx php8.2-fpm)"
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sgwhmcs-deploy.XXXXXX") || die "mktemp failed"
chmod 755 "$TMP"
mkdir -p "$TMP/conf.d" "$TMP/nginx-tmp"
GROUPS_STARTED=()
LOAD_PID=""
STATUS=1

# Kills each process group we started: TERM, up to 5 s, then KILL; then checks none is left.
cleanup() {
    local pgid left=()
    trap - EXIT INT TERM
    [ -n "$LOAD_PID" ] && kill -TERM "$LOAD_PID" 2>/dev/null
    for pgid in "${GROUPS_STARTED[@]}"; do
        kill -TERM -- "-$pgid" 2>/dev/null
    done
    for _ in $(seq 50); do
        left=()
        for pgid in "${GROUPS_STARTED[@]}"; do
            kill -0 -- "-$pgid" 2>/dev/null && left+=("$pgid")
        done
        [ ${#left[@]} -eq 0 ] && break
        sleep 0.1
    done
    for pgid in "${left[@]}"; do
        say "process group $pgid ignored SIGTERM for 5 s; killing it"
        kill -KILL -- "-$pgid" 2>/dev/null
    done
    wait 2>/dev/null
    for pgid in "${GROUPS_STARTED[@]}"; do
        if kill -0 -- "-$pgid" 2>/dev/null; then
            say "FAIL process group $pgid is still alive after SIGKILL"
            STATUS=1
        fi
    done
    if [ "$STATUS" -eq 0 ] && [ "${DEPLOY_KEEP:-0}" != 1 ]; then
        rm -rf "$TMP"
    else
        say "configs and logs kept in $TMP"
    fi
    exit "$STATUS"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 1' INT TERM

# Starts "$@" in a new session (so a new process group whose id is its pid) in the background.
start_group() {
    local out=$1
    shift
    setsid "$@" </dev/null >"$out" 2>&1 &
    LAST_PID=$!
    GROUPS_STARTED+=("$LAST_PID")
}

# Replaces the @NAMES@ of template $1 and writes $2.
render() {
    local text
    text=$(<"$1")
    text=${text//@TMP@/$TMP}
    text=${text//@EXT@/$EXT}
    text=${text//@FRONT@/$ROOT/tools/deploy/front.php}
    text=${text//@FPM_PORT@/$FPM_PORT}
    text=${text//@NGINX_PORT@/$NGINX_PORT}
    text=${text//@USER@/$NGINX_USER}
    text=${text//@MAX_REQUESTS@/${DEPLOY_MAX_REQUESTS:-60}}
    printf '%s\n' "$text" >"$2"
}

free_port() {
    "$PHP" -n -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false);
        echo substr($n, strrpos($n, ":") + 1);'
}

# ---- two TLS simulators ------------------------------------------------------------------------
# Starts sgsim $1 (A or B) over TLS and puts its JSON line in SIM_$1.
start_sim() {
    local name=$1 line="" pid
    start_group "$TMP/sgsim-$name.out" "$SGSIM" --listen 127.0.0.1:0 --tls
    pid=$LAST_PID
    for _ in $(seq 150); do
        line=$(head -n1 "$TMP/sgsim-$name.out" 2>/dev/null)
        [[ $line == *'}' ]] && break
        kill -0 "$pid" 2>/dev/null || die "sgsim $name exited: $(cat "$TMP/sgsim-$name.out")"
        sleep 0.1
    done
    [[ $line == *'}' ]] || die "sgsim $name printed no JSON line in 15 s"
    printf -v "SIM_$name" '%s' "$line"
}
start_sim A
start_sim B
printf '{"A":%s,"B":%s}\n' "$SIM_A" "$SIM_B" >"$TMP/products.json"
chmod 644 "$TMP/products.json"
"$PHP" -n -r '$j = json_decode(file_get_contents($argv[1]), true);
    exit(is_string($j["A"]["sha256"] ?? null) && is_string($j["B"]["sha256"] ?? null) ? 0 : 1);' \
    "$TMP/products.json" || die "sgsim's JSON lines are not TLS ones as documented: $(cat "$TMP/products.json")"

# ---- php-fpm with the extension from conf.d ---------------------------------------------------
FPM_PORT=$(free_port)
NGINX_PORT=$(free_port)
while [ "$NGINX_PORT" = "$FPM_PORT" ]; do NGINX_PORT=$(free_port); done
if [ "$(id -u)" -eq 0 ]; then
    NGINX_USER="user $(getent passwd www-data >/dev/null && echo www-data || echo nobody);"
    FPM_ROOT=(-R)
else
    NGINX_USER=""
    FPM_ROOT=()
fi
render "$ROOT/tools/deploy/php-fpm.conf.in" "$TMP/php-fpm.conf"
render "$ROOT/tools/deploy/php.ini.in" "$TMP/php.ini"
render "$ROOT/tools/deploy/sgwhmcs.ini.in" "$TMP/conf.d/20-sgwhmcs.ini"
render "$ROOT/tools/deploy/nginx.conf.in" "$TMP/nginx.conf"
# Loaded in every real installation; the extension must live next to it.
EXTDIR=$("$PHP" -n -r 'echo ini_get("extension_dir");')
if [ -f "$EXTDIR/opcache.so" ]; then
    printf 'zend_extension=opcache.so\nopcache.enable=1\n' >"$TMP/conf.d/10-opcache.ini"
fi

export PHP_INI_SCAN_DIR=$TMP/conf.d
"$FPM" -t -y "$TMP/php-fpm.conf" -c "$TMP/php.ini" "${FPM_ROOT[@]}" >"$TMP/php-fpm-test.log" 2>&1 \
    || die "php-fpm refused its configuration: $(cat "$TMP/php-fpm-test.log")"
start_group "$TMP/php-fpm.out" "$FPM" --nodaemonize "${FPM_ROOT[@]}" -y "$TMP/php-fpm.conf" -c "$TMP/php.ini"
FPM_PID=$LAST_PID
unset PHP_INI_SCAN_DIR
for _ in $(seq 100); do
    kill -0 "$FPM_PID" 2>/dev/null || die "php-fpm exited: $(cat "$TMP/php-fpm.out" "$TMP/php-fpm.log" 2>/dev/null)"
    (exec 3<>"/dev/tcp/127.0.0.1/$FPM_PORT") 2>/dev/null && break
    sleep 0.1
done

# ---- nginx in front ---------------------------------------------------------------------------
"$NGINX" -t -e "$TMP/nginx-error.log" -p "$TMP/" -c "$TMP/nginx.conf" >"$TMP/nginx-test.log" 2>&1 \
    || die "nginx refused its configuration: $(cat "$TMP/nginx-test.log")"
start_group "$TMP/nginx.out" "$NGINX" -e "$TMP/nginx-error.log" -p "$TMP/" -c "$TMP/nginx.conf"
NGINX_PID=$LAST_PID

BASE=http://127.0.0.1:$NGINX_PORT
PING=""
for _ in $(seq 100); do
    kill -0 "$FPM_PID" 2>/dev/null || die "php-fpm exited: $(cat "$TMP/php-fpm.out" "$TMP/php-fpm.log" 2>/dev/null)"
    kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited: $(cat "$TMP/nginx.out" "$TMP/nginx-error.log" 2>/dev/null)"
    PING=$("$PHP" -r 'echo @file_get_contents($argv[1], false, stream_context_create(["http" => ["timeout" => 5]]));' \
        "$BASE/front.php?fn=ping" 2>/dev/null) && [[ $PING == *'"pong":true'* ]] && break
    PING=""
    sleep 0.1
done
[ -n "$PING" ] || die "no answer from $BASE/front.php?fn=ping within 10 s: $(cat "$TMP/nginx-error.log" "$TMP/php-fpm.log" 2>/dev/null | tail -n 20)"
say "nginx :$NGINX_PORT -> php-fpm :$FPM_PORT (4 workers) -> sgsim A $(echo "$SIM_A" | sed 's/.*"port":\([0-9]*\).*/:\1/'), sgsim B $(echo "$SIM_B" | sed 's/.*"port":\([0-9]*\).*/:\1/'); $PING"

# ---- the load and its checks ------------------------------------------------------------------
LEFT=$((DEADLINE - ($(date +%s) - START) - 15))
[ "$LEFT" -gt 10 ] || die "start-up took too long"
"$PHP" "$ROOT/tests/Deployment/load.php" --base "$BASE" --config "$TMP/products.json" \
    --requests "$REQUESTS" --parallel "$PARALLEL" --timeout 30 --deadline "$LEFT" >"$TMP/summary.txt" &
LOAD_PID=$!
wait "$LOAD_PID"
STATUS=$?
LOAD_PID=""

# ---- what the servers logged ------------------------------------------------------------------
# A worker that died on a signal, a PHP error or warning, or an nginx upstream error is a failure
# even when every answer looked right.
if grep -Ei 'signal|SIGSEGV|SIGABRT|core dumped|exited with code [1-9]' "$TMP/php-fpm.log" >/dev/null 2>&1; then
    say "FAIL php-fpm reported a worker ending abnormally:"
    grep -Ei 'signal|SIGSEGV|SIGABRT|core dumped|exited with code [1-9]' "$TMP/php-fpm.log" | head -n 10 >&2
    STATUS=1
fi
if [ -s "$TMP/php-errors.log" ]; then
    say "FAIL the PHP error log is not empty:"
    head -n 20 "$TMP/php-errors.log" >&2
    STATUS=1
fi
if grep -E '\[(error|crit|alert|emerg)\]' "$TMP/nginx-error.log" >/dev/null 2>&1; then
    say "FAIL nginx logged errors:"
    grep -E '\[(error|crit|alert|emerg)\]' "$TMP/nginx-error.log" | head -n 10 >&2
    STATUS=1
fi
RESPAWNS=$(grep -c 'exited with code 0' "$TMP/php-fpm.log" 2>/dev/null)
say "php-fpm recycled workers $RESPAWNS times (pm.max_requests); total $(($(date +%s) - START)) s"
# The summary line last, on stdout: "deploy: 400 requests, 0 failed, 0 wrong-server (...) PASS".
SUMMARY=$(tail -n1 "$TMP/summary.txt" 2>/dev/null)
[ -n "$SUMMARY" ] || { SUMMARY="deploy: no summary from load.php"; STATUS=1; }
if [ "$STATUS" -eq 0 ]; then echo "$SUMMARY PASS"; else echo "$SUMMARY FAIL"; fi
exit "$STATUS"
