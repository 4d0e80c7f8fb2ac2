#!/usr/bin/env bash
# Side-by-side speed of one module call per request (make bench-fpm; a benchmark, not a test:
# it prints figures and fails only when something does not run or a call fails).
#
#   1. Under php-fpm (1 worker, opcache on) behind nginx, against one TLS sgsim, loaded by wrk from
#      a second process over one keep-alive connection (so one request at a time, ms per request is
#      latency; the rows take turns in 5 rounds, medians count): an empty PHP request, TestConnection by a pure-PHP curl module
#      (bench/CurlModule.php, a new connection per call, what peer modules do), and TestConnection
#      through sgwhmcs (which keeps its TLS connection alive across requests). Prints ms per call,
#      the ratios to the curl module, and the cost above the empty request.
#      Then the whole lifecycle the same way, one module function per request (Create, Suspend,
#      Unsuspend, Terminate of a new service every 4 requests, a wrk Lua script numbering them):
#      by the curl module (the requests sgwhmcs makes, in its order, a new connection per call)
#      and through sgwhmcs; ms per call of each round (the server fills as they run), the ratio,
#      and the php-fpm worker's CPU per call (/proc), which the machine's other load disturbs less.
#   2. In process (bench/inprocess.php): sgwhmcs TestConnection against a raw keep-alive curl GET.
#   3. The extension's load cost (bench/load.php): `php -n -d extension=… -r ';'` against bare
#      `php -n -r ';'`, alternating runs (so a busy machine's drift hits both), wall and CPU time,
#      and the extra peak resident memory.
#
# Environment: SGWHMCS_EXT, SGSIM_BIN (target/release/…), BENCH_SECONDS (10 per row),
# BENCH_FPM_ACCOUNTS (customers seeded before the lifecycle rows, 0),
# BENCH_LOAD_RUNS (200), PHP (php).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
EXT=${SGWHMCS_EXT:-$ROOT/target/release/libsgwhmcs.so}
SGSIM=${SGSIM_BIN:-$ROOT/target/release/sgsim}
PHP=${PHP:-php}
SECONDS_PER_ROW=${BENCH_SECONDS:-10}
FPM=${PHP_FPM:-$(command -v php-fpm8.2 || echo /usr/sbin/php-fpm8.2)}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}

die() { echo "bench-fpm: $*" >&2; exit 1; }
for tool in wrk; do
    command -v "$tool" >/dev/null || die "$tool not found (Debian package $tool; make deps)"
done
for f in "$EXT" "$SGSIM" "$FPM" "$NGINX"; do
    [ -e "$f" ] || die "$f not found (make build; Debian packages nginx php8.2-fpm)"
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sgwhmcs-bench.XXXXXX")
chmod 755 "$TMP"
mkdir -p "$TMP/conf.d" "$TMP/nginx-tmp"
GROUPS_STARTED=()
cleanup() {
    local pgid
    trap - EXIT INT TERM
    for pgid in "${GROUPS_STARTED[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null; done
    sleep 0.3
    for pgid in "${GROUPS_STARTED[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
start_group() {
    local out=$1
    shift
    setsid "$@" </dev/null >"$out" 2>&1 &
    GROUPS_STARTED+=("$!")
}
free_port() {
    "$PHP" -n -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false);
        echo substr($n, strrpos($n, ":") + 1);'
}
wait_port() {
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    die "nothing listens on port $1: $(cat "$TMP"/*.log "$TMP"/*.out 2>/dev/null | tail -n 20)"
}

# ---- the TLS simulator, php-fpm and nginx ---------------------------------------------------------
start_group "$TMP/sgsim.out" "$SGSIM" --listen 127.0.0.1:0 --tls
for _ in $(seq 100); do
    SIM=$(head -n1 "$TMP/sgsim.out" 2>/dev/null)
    [[ $SIM == *'}' ]] && break
    sleep 0.1
done
[[ $SIM == *'"sha256":"'* ]] || die "sgsim printed no TLS JSON line: $SIM"

# The lifecycle's service $params, built once by the emulated WHMCS (bench/fpm-params.php).
"$PHP" -d "extension=$EXT" "$ROOT/bench/fpm-params.php" "$TMP/lifecycle-params.php" "$SIM" \
    || die "bench/fpm-params.php failed"
chmod 644 "$TMP/lifecycle-params.php"

FPM_PORT=$(free_port)
NGINX_PORT=$(free_port)
if [ "$(id -u)" -eq 0 ]; then
    USER_LINE="user $(getent passwd www-data >/dev/null && echo www-data || echo nobody);"
    FPM_ROOT=(-R)
else
    USER_LINE=""
    FPM_ROOT=()
fi
cat >"$TMP/php-fpm.conf" <<CONF
[global]
error_log = $TMP/php-fpm.log
daemonize = no
[bench]
listen = 127.0.0.1:$FPM_PORT
pm = static
pm.max_children = 1
clear_env = yes
php_admin_value[error_log] = $TMP/php-errors.log
php_admin_flag[log_errors] = on
CONF
printf 'extension=%s\n' "$EXT" >"$TMP/conf.d/20-sgwhmcs.ini"
EXTDIR=$("$PHP" -n -r 'echo ini_get("extension_dir");')
for mod in curl; do
    [ -f "$EXTDIR/$mod.so" ] && printf 'extension=%s\n' "$mod" >"$TMP/conf.d/10-$mod.ini"
done
[ -f "$EXTDIR/opcache.so" ] && printf 'zend_extension=opcache.so\nopcache.enable=1\n' >"$TMP/conf.d/10-opcache.ini"
printf 'memory_limit = 128M\n' >"$TMP/php.ini"
PHP_INI_SCAN_DIR=$TMP/conf.d start_group "$TMP/php-fpm.out" "$FPM" --nodaemonize "${FPM_ROOT[@]}" \
    -y "$TMP/php-fpm.conf" -c "$TMP/php.ini"
FPM_MASTER=${GROUPS_STARTED[-1]}
wait_port "$FPM_PORT"

# nginx's config: the simulator's JSON line goes to PHP as a FastCGI parameter (single-quoted: the
# line has only double quotes).
cat >"$TMP/nginx.conf" <<CONF
$USER_LINE
daemon off;
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx-tmp/body;
    fastcgi_temp_path $TMP/nginx-tmp/fastcgi;
    proxy_temp_path $TMP/nginx-tmp/proxy;
    uwsgi_temp_path $TMP/nginx-tmp/uwsgi;
    scgi_temp_path $TMP/nginx-tmp/scgi;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location = /front.php {
            fastcgi_pass 127.0.0.1:$FPM_PORT;
            fastcgi_param SCRIPT_FILENAME $ROOT/bench/fpm-front.php;
            fastcgi_param SCRIPT_NAME /front.php;
            fastcgi_param REQUEST_METHOD \$request_method;
            fastcgi_param QUERY_STRING \$query_string;
            fastcgi_param SERVER_PROTOCOL \$server_protocol;
            fastcgi_param GATEWAY_INTERFACE CGI/1.1;
            fastcgi_param REMOTE_ADDR \$remote_addr;
            fastcgi_param SERVER_NAME localhost;
            fastcgi_param SGWHMCS_BENCH_SIM '$SIM';
            fastcgi_param SGWHMCS_BENCH_PARAMS $TMP/lifecycle-params.php;
        }
    }
}
CONF
"$NGINX" -t -e "$TMP/nginx-error.log" -p "$TMP/" -c "$TMP/nginx.conf" >"$TMP/nginx-test.log" 2>&1 \
    || die "nginx refused its configuration: $(cat "$TMP/nginx-test.log")"
start_group "$TMP/nginx.out" "$NGINX" -e "$TMP/nginx-error.log" -p "$TMP/" -c "$TMP/nginx.conf"
wait_port "$NGINX_PORT"
BASE="http://127.0.0.1:$NGINX_PORT/front.php"

# ---- 1. the three rows under php-fpm --------------------------------------------------------------
# ms per request of one wrk run of SECS seconds against impl $1.
# Lifecycle impls (…-life) get a numbered request each (the Lua script) and a new run id, so new
# services. The number moves on with each answer, not each request() call: wrk calls request()
# once more than it sends.
cat >"$TMP/lifecycle.lua" <<'LUA'
local impl, run, n = "", "", 0
function init(args) impl, run = args[1], args[2] end
function request()
    return wrk.format(nil, "/front.php?impl=" .. impl .. "&run=" .. run .. "&n=" .. n)
end
function response() n = n + 1 end
LUA
echo 0 >"$TMP/run-id" # a file: wrk_ms runs in $(…) subshells
# The one php-fpm worker's CPU time (user + system, clock ticks): what a call costs the web server
# itself, which a busy machine's other work disturbs far less than wall time.
TICKS=$(getconf CLK_TCK)
worker_ticks() { awk '{print $14 + $15}' "/proc/$(pgrep -P "$FPM_MASTER" | head -n1)/stat"; }
wrk_ms() {
    local out rps errors run before requests
    before=$(worker_ticks)
    if [[ $1 == *-life ]]; then
        run=$(( $(cat "$TMP/run-id") + 1 ))
        echo "$run" >"$TMP/run-id"
        out=$(wrk -t1 -c1 -d"${2}s" -s "$TMP/lifecycle.lua" "$BASE" -- "$1" "$run")
    else
        out=$(wrk -t1 -c1 -d"${2}s" "$BASE?impl=$1")
    fi
    rps=$(sed -n 's/^Requests\/sec: *//p' <<<"$out")
    errors=$(sed -n 's/.*Non-2xx or 3xx responses: *//p' <<<"$out")
    [ -z "$errors" ] || die "impl=$1: $errors requests failed: $(tail -n 3 "$TMP/php-errors.log" 2>/dev/null)"
    requests=$(sed -n 's/^ *\([0-9][0-9]*\) requests in .*/\1/p' <<<"$out")
    # "<impl> <worker CPU ms per call>", one line per run, for the lifecycle's CPU figures.
    "$PHP" -r 'printf("%s %.4f\n", $argv[1], ($argv[3] - $argv[2]) * 1000 / $argv[4] / max(1, (int)$argv[5]));' \
        "$1" "$before" "$(worker_ticks)" "$TICKS" "$requests" >>"$TMP/cpu.log"
    "$PHP" -r 'printf("%.4f", 1000 / (float)$argv[1]);' "$rps"
}
IMPLS="empty curl ext"
for impl in $IMPLS curl-life ext-life; do
    body=$("$PHP" -r 'echo @file_get_contents($argv[1]);' "$BASE?impl=$impl&run=0&n=0")
    [ "$body" = ok ] || die "impl=$impl answered '$body' ($(tail -n 5 "$TMP/php-errors.log" 2>/dev/null))"
    wrk_ms "$impl" 1 >/dev/null
done
# The rows take turns, ROUNDS rounds of SECONDS_PER_ROW / ROUNDS seconds each, so that a busy
# machine's drift hits all three alike; each row's median round counts.
ROUNDS=5
SLICE=$(( (SECONDS_PER_ROW + ROUNDS - 1) / ROUNDS ))
declare -A RUNS=()
for _ in $(seq "$ROUNDS"); do
    for impl in $IMPLS; do
        RUNS[$impl]+="$(wrk_ms "$impl" "$SLICE") " || exit 1
    done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | sed -n "$(( (ROUNDS + 1) / 2 ))p"; }
# The worker CPU ms per call of impl $1's rounds (the warm-up runs left out).
cpu_of() { sed -n "s/^$1 //p" "$TMP/cpu.log" | tail -n "$ROUNDS" | tr '\n' ' '; }
echo "bench-fpm: nginx -> php-fpm (1 worker, opcache) -> TLS sgsim; wrk -t1 -c1; $ROUNDS rounds of ${SLICE} s per row, medians"
"$PHP" -r '
    [$e, $c, $x] = array_map("floatval", array_slice($argv, 1));
    printf("| %-44s | %8s | %10s | %15s |\n", "one request, under php-fpm behind nginx", "ms/call", "x curl", "above empty, ms");
    printf("|%s|%s|%s|%s|\n", str_repeat("-", 46), str_repeat("-", 10), str_repeat("-", 12), str_repeat("-", 17));
    foreach ([["empty PHP request", $e], ["pure-PHP curl module, TestConnection", $c], ["sgwhmcs, TestConnection", $x]] as [$n, $v]) {
        printf("| %-44s | %8.3f | %10.2f | %15.3f |\n", $n, $v, $v / $c, $v - $e);
    }
    printf("sgwhmcs above the empty request: %.2f× the curl module'"'"'s\n", ($x - $e) / ($c - $e));
' "$(median "${RUNS[empty]}")" "$(median "${RUNS[curl]}")" "$(median "${RUNS[ext]}")"
echo "php-fpm worker CPU per call (medians, ms): empty $(median "$(cpu_of empty)"), curl module $(median "$(cpu_of curl)"), sgwhmcs $(median "$(cpu_of ext)")"

# ---- 1b. the lifecycle under php-fpm ---------------------------------------------------------------
SEED=${BENCH_FPM_ACCOUNTS:-0}
if [ "$SEED" -gt 0 ]; then
    "$PHP" -r '
        $s = json_decode($argv[1], true);
        for ($start = 1; $start <= (int)$argv[2]; $start += 100000) {
            $c = curl_init($s["url"] . "/_sim/seed");
            curl_setopt_array($c, [CURLOPT_RETURNTRANSFER => true, CURLOPT_USERPWD => $s["user"] . ":" . $s["password"],
                CURLOPT_SSL_VERIFYPEER => false, CURLOPT_SSL_VERIFYHOST => 0, CURLOPT_POSTFIELDS => json_encode([
                "kind" => "customer", "prefix" => "filler-", "start" => $start, "count" => min(100000, (int)$argv[2] - $start + 1),
                "storage_bytes" => 1024, "reference_prefix" => "other:filler:"])]);
            curl_exec($c) !== false && curl_getinfo($c, CURLINFO_RESPONSE_CODE) === 200 || exit(1);
        }' "$SIM" "$SEED" || die "seeding $SEED customers failed"
fi
declare -A LIFE=()
for _ in $(seq "$ROUNDS"); do
    for impl in curl-life ext-life; do
        LIFE[$impl]+="$(wrk_ms "$impl" "$SLICE") " || exit 1
    done
done

echo
echo "lifecycle (Create, Suspend, Unsuspend, Terminate; one function per request; $SEED customers seeded first):"
"$PHP" -r '
    [$e, $c, $x] = array_map("floatval", array_slice($argv, 1, 3));
    printf("| %-44s | %8s | %10s | %15s |\n", "one lifecycle function, under php-fpm", "ms/call", "x curl", "above empty, ms");
    printf("|%s|%s|%s|%s|\n", str_repeat("-", 46), str_repeat("-", 10), str_repeat("-", 12), str_repeat("-", 17));
    foreach ([["pure-PHP curl module, lifecycle", $c], ["sgwhmcs, lifecycle", $x]] as [$n, $v]) {
        printf("| %-44s | %8.3f | %10.2f | %15.3f |\n", $n, $v, $v / $c, $v - $e);
    }
    $list = fn (string $text) => array_map("floatval", preg_split("/\\s+/", trim($text)));
    $median = function (array $v): float { sort($v); return $v[intdiv(count($v), 2)]; };
    [$curl, $ext, $curlCpu, $extCpu] = array_map($list, array_slice($argv, 4));
    $ratios = array_map(fn ($x, $c) => $x / $c, $ext, $curl);
    printf("rounds, ms/call: curl %s; sgwhmcs %s; ratio per round %s\n", implode(" ", array_map(fn ($v) => sprintf("%.3f", $v), $curl)),
        implode(" ", array_map(fn ($v) => sprintf("%.3f", $v), $ext)), implode(" ", array_map(fn ($v) => sprintf("%.2f", $v), $ratios)));
    printf("php-fpm worker CPU per call (medians): curl module %.3f ms, sgwhmcs %.3f ms: %.2f×\n",
        $median($curlCpu), $median($extCpu), $median($extCpu) / $median($curlCpu));
    printf("sgwhmcs / curl module for the lifecycle: %.2f× (median round ratio %.2f×; goal: at most 0.25×, printed, not asserted)\n",
        $x / $c, $median($ratios));
' "$(median "${RUNS[empty]}")" "$(median "${LIFE[curl-life]}")" "$(median "${LIFE[ext-life]}")" \
    "${LIFE[curl-life]}" "${LIFE[ext-life]}" "$(cpu_of curl-life)" "$(cpu_of ext-life)"
[ -s "$TMP/php-errors.log" ] && die "the PHP error log is not empty: $(head -n 5 "$TMP/php-errors.log")"

# ---- 2. in process ----------------------------------------------------------------------------
SGSIM_BIN=$SGSIM "$PHP" -d "extension=$EXT" "$ROOT/bench/inprocess.php" || die "bench/inprocess.php failed"

# ---- 3. the extension's load cost -------------------------------------------------------------
"$PHP" "$ROOT/bench/load.php" "$EXT" "${BENCH_LOAD_RUNS:-200}" || die "bench/load.php failed"
