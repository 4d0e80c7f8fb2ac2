#!/usr/bin/env bash
# The portable builds (tools/build/build.sh) under target/builds, each proved in its own PHP:
#
#   bash tests/Builds/run.sh            (make test-builds; after make builds; root for chroot)
#
# For every DIR/<tag>/ with sgwhmcs.so and build.json:
#  - build.json names the tag's PHP, thread safety and arch, and the glibc the .so really needs;
#  - the symbol check: GLIBC_ versions <= 2.28, NEEDED only the C runtime (tools/build/check-symbols.sh);
#  - its PHP (the host's /usr/bin/phpX.Y, or the Debian 13 root's through chroot) has the build's
#    Zend API number, lists the module (`php -n -d extension=… -m`) and SgWhmcs\version() answers
#    build.json's version;
#  - real module calls from that PHP against a real sgsim over pinned TLS (tests/Builds/call.php,
#    the deployment test's front script): TestConnection succeeds, CreateAccount creates the
#    account the server then shows with this service's reference, and a wrong pin is refused;
#  - every other PHP here refuses it ("Module compiled with module API=…"): one .so per PHP minor.
# A build with no PHP here to load it fails. Ends with `N passed, N failed`.
#
# Environment: SGWHMCS_BUILDS (target/builds), SGSIM_BIN (target/release/sgsim),
# SGWHMCS_DEBIAN13_ROOT (as tools/build/debian13-root.sh). Everything it makes (the simulator,
# a scratch directory, inside the root too) is removed on any exit.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILDS=${SGWHMCS_BUILDS:-$REPO/target/builds}
SGSIM=${SGSIM_BIN:-$REPO/target/release/sgsim}
D13=${SGWHMCS_DEBIAN13_ROOT:-/var/cache/sgwhmcs/debian13}
HOSTPHP=${PHP:-php}   # reads JSON and asks the simulator for its view; never loads a build
PASSED=0 FAILED=0 SIM_PID="" STAGE=""

ok() { PASSED=$((PASSED + 1)); echo "ok   $*"; }
bad() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

cleanup() {
    trap - EXIT INT TERM
    [[ -n $SIM_PID ]] && { kill -TERM -- "-$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null; }
    [[ -n $STAGE ]] && rm -rf "$STAGE"
    echo "$PASSED passed, $FAILED failed"
    [[ $FAILED == 0 && $PASSED -gt 0 ]]
    exit $?
}
trap cleanup EXIT
trap 'echo "interrupted"; FAILED=$((FAILED + 1)); exit 1' INT TERM

# ---- the PHPs here: the host's /usr/bin/phpX.Y and the Debian 13 root's ------------------------
# Each: a label, how to run it (host or root), its binary, minor version, ZTS (0/1), API number.
PHP_LABEL=() PHP_WHERE=() PHP_BIN=() PHP_MINOR=() PHP_ZTS=() PHP_API=()
add_php() {   # where binary
    local run=("$2") facts
    [[ $1 == root ]] && run=(chroot "$D13" "$2")
    facts=$("${run[@]}" -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION, " ", PHP_ZTS ? 1 : 0, " ";
        ob_start(); phpinfo(INFO_GENERAL); preg_match("/^PHP API => (\d+)/m", ob_get_clean(), $m); echo $m[1] ?? "?";' 2>/dev/null) || return 0
    read -r minor zts api <<<"$facts"
    PHP_LABEL+=("$(basename "$2") ($([[ $1 == root ]] && echo "Debian 13 root" || echo host), API $api$([[ $zts == 1 ]] && echo ", zts"))")
    PHP_WHERE+=("$1") PHP_BIN+=("$2") PHP_MINOR+=("$minor") PHP_ZTS+=("$zts") PHP_API+=("$api")
}
for bin in /usr/bin/php[0-9]*; do
    [[ $bin =~ /php[0-9]+\.[0-9]+$ && -x $bin ]] && add_php host "$bin"
done
if [[ -f $D13/.sgwhmcs-complete ]]; then
    for bin in "$D13"/usr/bin/php[0-9]*; do
        [[ $bin =~ /php[0-9]+\.[0-9]+$ && -x $bin ]] && add_php root "${bin#"$D13"}"
    done
fi
for label in "${PHP_LABEL[@]}"; do echo "PHP here: $label"; done

# Runs PHP number $1 with the rest as arguments; paths are given as host paths of the stage and
# translated for a PHP inside the root.
run_php() {
    local i=$1; shift
    local args=() a
    for a in "$@"; do
        [[ ${PHP_WHERE[$i]} == root ]] && a=${a//"$D13"/}
        args+=("$a")
    done
    if [[ ${PHP_WHERE[$i]} == root ]]; then chroot "$D13" "${PHP_BIN[$i]}" -n "${args[@]}"
    else "${PHP_BIN[$i]}" -n "${args[@]}"; fi
}

# ---- the stage: inside the root when there is one, so both PHPs see the same files ------------
if [[ -f $D13/.sgwhmcs-complete ]]; then STAGE=$(mktemp -d "$D13/tmp/sgwhmcs-builds.XXXXXX")
else STAGE=$(mktemp -d "${TMPDIR:-/tmp}/sgwhmcs-builds.XXXXXX"); fi
chmod 755 "$STAGE"
mkdir -p "$STAGE/tools/deploy" "$STAGE/tests/Builds"
cp "$REPO/tools/deploy/front.php" "$REPO/tools/deploy/capsule.php" "$STAGE/tools/deploy/"
cp "$REPO/tests/Builds/call.php" "$STAGE/tests/Builds/"

# ---- a TLS simulator on 127.0.0.1 (a chroot shares the host's network) ------------------------
[[ -x $SGSIM ]] || { bad "sgsim not found at $SGSIM (cargo build --release -p sgsim)"; exit 1; }
setsid "$SGSIM" --listen 127.0.0.1:0 --tls </dev/null >"$STAGE/sgsim.out" 2>&1 &
SIM_PID=$!
for _ in $(seq 150); do [[ $(head -n1 "$STAGE/sgsim.out" 2>/dev/null) == *'}' ]] && break; sleep 0.1; done
SIM=$(head -n1 "$STAGE/sgsim.out")
[[ $SIM == *'"sha256"'* ]] || { bad "sgsim printed no TLS JSON line: $(cat "$STAGE/sgsim.out")"; exit 1; }
printf '{"A":%s}\n' "$SIM" >"$STAGE/products.json"
# The same simulator pinned with another certificate's fingerprint.
"$HOSTPHP" -n -r '$c = json_decode(file_get_contents($argv[1]), true); $c["A"]["sha256"] = str_repeat("ab", 32);
    echo json_encode($c);' "$STAGE/products.json" >"$STAGE/wrong-pin.json"

# Field $2 of JSON text $1 (dotted path), as PHP's json_encode prints it (strings bare).
json_field() {
    "$HOSTPHP" -n -r '$v = json_decode($argv[1], true); foreach (explode(".", $argv[2]) as $k) { $v = is_array($v) ? ($v[$k] ?? null) : null; }
        echo is_string($v) ? $v : json_encode($v);' "$1" "$2"
}
# The simulator's own view of customer $1 (GET /api/v1/customers/NAME, pinned TLS), or "null".
server_view() {
    "$HOSTPHP" -n -r '$s = json_decode(file_get_contents($argv[1]), true)["A"];
        $ctx = stream_context_create(["http" => ["header" => "Authorization: Basic " . base64_encode($s["user"] . ":" . $s["password"]), "ignore_errors" => true],
            "ssl" => ["verify_peer" => false, "verify_peer_name" => false, "peer_fingerprint" => ["sha256" => $s["sha256"]]]]);
        $body = @file_get_contents($s["url"] . "/api/v1/customers/" . rawurlencode($argv[2]), false, $ctx);
        $j = json_decode((string) $body, true); echo isset($j["name"]) ? json_encode($j) : "null";' "$STAGE/products.json" "$1"
}

# ---- every build --------------------------------------------------------------------------------
shopt -s nullglob
dirs=("$BUILDS"/*/)
[[ ${#dirs[@]} -gt 0 ]] || bad "no builds under $BUILDS (make builds)"
sid=100
for dir in "${dirs[@]}"; do
    dir=${dir%/}
    tag=$(basename "$dir")
    so=$dir/sgwhmcs.so
    echo "== $tag"
    [[ -f $so && -f $dir/build.json ]] || { bad "$tag: sgwhmcs.so and build.json"; continue; }
    meta=$(<"$dir/build.json")
    php=$(json_field "$meta" php) api=$(json_field "$meta" zend_api) zts=$(json_field "$meta" zts)
    arch=$(json_field "$meta" arch) version=$(json_field "$meta" sgwhmcs) glibc=$(json_field "$meta" glibc_max)
    check "$tag: build.json ($meta) describes its tag" \
        test "$tag" == "php$php-$([[ $zts == true ]] && echo zts || echo nts)-$arch"

    figures=$(bash "$REPO/tools/build/check-symbols.sh" "$so")
    status=$?
    echo "     $figures" | head -n 3
    check "$tag: needs glibc <= 2.28 and only the C runtime" test "$status" == 0
    check "$tag: build.json's glibc_max $glibc is what the .so needs" \
        test "$glibc" == "$(bash "$REPO/tools/build/check-symbols.sh" --glibc-max "$so")"

    cp "$so" "$STAGE/$tag.so"
    staged=$STAGE/$tag.so
    own=""
    for i in "${!PHP_LABEL[@]}"; do
        if [[ ${PHP_MINOR[$i]} == "$php" && ${PHP_ZTS[$i]} == "$([[ $zts == true ]] && echo 1 || echo 0)" ]]; then
            own=$i
            continue
        fi
        # Another PHP: it must refuse the module and say why.
        out=$(run_php "$i" -d "extension=$staged" -r 'echo function_exists("SgWhmcs\\version") ? "LOADED" : "absent";' 2>&1)
        echo "     in ${PHP_LABEL[$i]}: $(grep -m1 -E 'compiled with' <<<"$out")"
        check "$tag: refused by ${PHP_LABEL[$i]}" \
            bash -c '[[ $1 == *"Module compiled with"* && $1 == *absent && $1 != *LOADED* ]]' _ "$out"
    done
    if [[ -z $own ]]; then bad "$tag: no PHP $php here to load it in"; continue; fi
    label=${PHP_LABEL[$own]}
    check "$tag: $label has the build's Zend API $api" test "${PHP_API[$own]}" == "$api"

    out=$(run_php "$own" -d "extension=$staged" -m 2>&1)
    check "$tag: $label lists the module (php -m), without a warning" \
        bash -c '[[ $1 == *$'"'"'\nsgwhmcs\n'"'"'* && $1 != *Warning* ]]' _ "$out"
    out=$(run_php "$own" -d "extension=$staged" -r 'echo SgWhmcs\version();' 2>&1)
    check "$tag: SgWhmcs\\version() in $label answers $version (got: $out)" test "$out" == "$version"

    # Real calls from that PHP, over pinned TLS to the simulator.
    work=$STAGE/work-$tag
    mkdir -p "$work" && chmod 777 "$work"
    call() { run_php "$own" -d "extension=$staged" "$STAGE/tests/Builds/call.php" "$@" 2>&1; }
    out=$(call "$STAGE/products.json" "$work" TestConnection)
    check "$tag: TestConnection from $label succeeds ($(json_field "$out" result))" \
        test "$(json_field "$out" result.success)" == true
    user=builds-$(tr -cd 'a-z0-9' <<<"$tag" | cut -c1-20)
    sid=$((sid + 1))
    out=$(call "$STAGE/products.json" "$work" CreateAccount "$user" "$sid")
    check "$tag: CreateAccount from $label answers success (got: $(json_field "$out" result))" \
        test "$(json_field "$out" result)" == success
    view=$(server_view "$user")
    check "$tag: the server shows $user with this service's reference ($(json_field "$view" reference))" \
        bash -c '[[ $1 == whmcs:*:service:$2 ]]' _ "$(json_field "$view" reference)" "$sid"
    out=$(call "$STAGE/wrong-pin.json" "$work" TestConnection)
    check "$tag: a wrong certificate pin is refused in $label ($(json_field "$out" result.error | cut -c1-80)…)" \
        bash -c '[[ $1 == false && $2 == *"does not match"* ]]' _ "$(json_field "$out" result.success)" "$(json_field "$out" result.error)"
done
