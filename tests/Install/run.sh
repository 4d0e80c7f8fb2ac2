#!/usr/bin/env bash
# The install test (make test-install; CI runs it last, as root on Debian 12):
#   1. make install into a scratch DESTDIR: exactly the expected files (every file of php/, so the
#      generator has all it reads), an ini with every directive and its default commented out, and
#      the installed generator run from there writes a complete module (below); make uninstall
#      there leaves no file. As an ordinary user without cargo on PATH, make install DESTDIR=…
#      works (no apt, no root; `make -n install` runs no prerequisite step), and make install into
#      the system refuses, says root is needed and writes nothing.
#   2. make install for real: php -m and php-fpm -m list sgwhmcs, SgWhmcs\version() answers in the
#      CLI and in a php-fpm request, the installed generator writes a complete module; make
#      uninstall: neither lists it, and the system's files under /etc/php, the extension directory,
#      /usr/share/sgwhmcs, /usr/share/doc/sgwhmcs and phpenmod's state are as before.
#   3. make deb, dpkg -i: the same checks, a stripped .so, and the copyright file, the third-party
#      notices and the changelogs in /usr/share/doc/sgwhmcs; dpkg -r: no file left, as before.
# "A complete module": the installed generator, run from its installed place into a scratch WHMCS
# folder, exits 0 and writes NAME.php, hooks.php, lib/MetricProvider.php, whmcs.json, logo.png,
# clientarea.tpl and lang/english.php, each non-empty, the PHP ones `php -l` clean, whmcs.json
# JSON, logo.png a PNG, and the module file defines every function of module_functions() and
# answers MetaData and ConfigOptions from the installed extension (tests/Install/module-check.php).
# Any failure of the generator fails the install.
#
# It changes the machine only between its own install and uninstall, and always undoes them (trap),
# so a globally enabled sgwhmcs never leaks into suites that load it with -d extension=.
# It refuses to run when sgwhmcs is already installed (that installation is not its to remove).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PHP=${PHP:-php}
EXT=${SGWHMCS_EXT:-$ROOT/target/release/libsgwhmcs.so}
FPM=${PHP_FPM:-$(command -v php-fpm8.2 || echo /usr/sbin/php-fpm8.2)}
PHPVER=$(php-config --version | cut -d. -f1,2)
EXTDIR=$(php-config --extension-dir)
# Without PHP in its environment: cargo's ext-php-rs build script reads it, and a different value
# would rebuild the extension.
MAKE=(env -u PHP make -s -C "$ROOT")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sgwhmcs-install.XXXXXX")
chmod 755 "$TMP"
# The generator's list of the modules it wrote (and postinst's --regenerate-known reading it): the
# test's own, so the host's /var/lib/sgwhmcs (the release archive's state) is never touched.
export SGWHMCS_MODULES_LIST="$TMP/modules.json"
FAILS=0
CHECKS=0
FPM_PID=""

say() { echo "install-test: $*" >&2; }
check() { # check "what" command...: counts a check, reports a failure
    local what=$1
    shift
    CHECKS=$((CHECKS + 1))
    if "$@"; then return 0; fi
    say "FAIL $what"
    FAILS=$((FAILS + 1))
    return 1
}
# What an installation may touch, as "path -> link target" lines.
snapshot() {
    find /etc/php "$EXTDIR" /usr/share/sgwhmcs /usr/share/doc/sgwhmcs /var/lib/php/modules \
        -printf '%p -> %l\n' 2>/dev/null | sort
}
# (The list is read whole: grep -q would stop early, and the writer's SIGPIPE fail the pipeline.)
lists_sgwhmcs() { grep -qx sgwhmcs <<<"$("$@" -m 2>/dev/null)"; }
not() { ! "$@"; }
same_as_before() { diff <(printf '%s\n' "$BEFORE") <(snapshot) >&2; }

stop_fpm() {
    [ -n "$FPM_PID" ] || return 0
    kill -TERM -- "-$FPM_PID" 2>/dev/null
    for _ in $(seq 50); do kill -0 -- "-$FPM_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$FPM_PID" 2>/dev/null
    wait "$FPM_PID" 2>/dev/null
    FPM_PID=""
}
# Undoes whatever this test installed, whatever happened; the machine is left as it was.
cleanup() {
    trap - EXIT INT TERM
    stop_fpm
    if dpkg-query -W -f='${Status}' sgwhmcs 2>/dev/null | grep -q 'install\|config-files'; then
        dpkg -P sgwhmcs >/dev/null 2>&1 || say "dpkg -P sgwhmcs failed"
    fi
    if [ -n "${INSTALLED:-}" ]; then
        "${MAKE[@]}" uninstall >/dev/null 2>&1 || say "make uninstall failed"
    fi
    if [ -n "${BEFORE:-}" ] && ! diff <(printf '%s\n' "$BEFORE") <(snapshot) >/dev/null; then
        say "FAIL the machine's PHP files differ from before the test"
        FAILS=$((FAILS + 1))
    fi
    rm -rf "$TMP"
    # (A failure outside a check, e.g. the machine left changed, counts as a failure too.)
    echo "install-test: $((CHECKS > FAILS ? CHECKS - FAILS : 0)) passed, $FAILS failed"
    [ "$FAILS" -eq 0 ] && exit 0
    exit 1
}
trap cleanup EXIT
trap 'say interrupted; FAILS=$((FAILS + 1)); exit 1' INT TERM

[ "$(id -u)" -eq 0 ] || { say "FAIL needs root (it installs into the system and removes again)"; FAILS=1; exit 1; }
[ -f "$EXT" ] || { say "FAIL $EXT not found (make build)"; FAILS=1; exit 1; }
VERSION=$("$PHP" -n -d "extension=$EXT" -r 'echo SgWhmcs\version();')
if lists_sgwhmcs "$PHP" || [ -e "$EXTDIR/sgwhmcs.so" ] || [ -e /usr/share/sgwhmcs ] \
    || dpkg-query -W sgwhmcs >/dev/null 2>&1; then
    say "FAIL sgwhmcs is already installed on this machine; not touching it"
    FAILS=1
    exit 1
fi

# The installed generator (SHARE/generate-module.php), run by PHP as given after HOW and SHARE,
# writes a complete module into a scratch WHMCS folder (see the header).
generator_checks() {
    local how=$1 share=$2 rc name=installed whmcs dir file result
    shift 2
    whmcs=$(mktemp -d "$TMP/whmcs.XXXXXX")
    mkdir -p "$whmcs/modules/servers"
    "$@" "$share/generate-module.php" "$name" "$whmcs" >"$TMP/gen.log" 2>&1
    rc=$?
    check "$how: the installed generator failed (exit $rc): $(cat "$TMP/gen.log")" test "$rc" -eq 0
    dir=$whmcs/modules/servers/$name
    for file in "$name.php" hooks.php lib/MetricProvider.php whmcs.json logo.png clientarea.tpl lang/english.php; do
        check "$how: the generated $file is missing or empty" test -s "$dir/$file" || continue
        case $file in
        *.php) check "$how: the generated $file is not valid PHP" "$@" -l "$dir/$file" >/dev/null ;;
        whmcs.json) check "$how: the generated whmcs.json is not JSON" "$@" -r \
            'exit(is_array(json_decode((string) file_get_contents($argv[1]), true)) ? 0 : 1);' "$dir/$file" ;;
        logo.png) check "$how: the generated logo.png is not a PNG" test "$(head -c 4 "$dir/$file" | tail -c 3)" = PNG ;;
        esac
    done
    check "$how: the generator left temporary files: $(find "$dir" -name '.*.tmp')" test -z "$(find "$dir" -name '.*.tmp')"
    result=$("$@" "$ROOT/tests/Install/module-check.php" "$dir/$name.php" "$name" 2>&1)
    check "$how: the generated module: $result" test "$result" = ok
    rm -rf "$whmcs"
}

# ---- 1. a scratch DESTDIR ----------------------------------------------------------------------
STAGE=$TMP/stage
"${MAKE[@]}" install DESTDIR="$STAGE" >"$TMP/install.log" 2>&1
check "make install DESTDIR=… failed: $(cat "$TMP/install.log")" test $? -eq 0
SHARE=/usr/share/sgwhmcs
# Every file of php/ (what the generator reads beside itself, and the hooks file), the pristine ini,
# the extension and its ini.
EXPECTED="$EXTDIR/sgwhmcs.so
/etc/php/$PHPVER/mods-available/sgwhmcs.ini
$SHARE/sgwhmcs.ini
$(cd "$ROOT/php" && find . -type f | sed "s|^\.|$SHARE|")"
for f in php/generate-module.php php/ModuleGenerator.php php/GeneratorError.php php/module-template.php.txt \
    php/hooks-template.php.txt php/metric-provider-template.php.txt php/logo.png php/templates/clientarea.tpl \
    php/lang/english.php php/whmcsHooks.php; do
    check "the expected set lacks $SHARE/${f#php/}" grep -qxF "$SHARE/${f#php/}" <<<"$EXPECTED"
done
GOT=$(cd "$STAGE" && find . ! -type d | sed 's|^\.||' | sort)
check "the staged files are not the expected set: $(diff <(sort <<<"$EXPECTED") <(printf '%s\n' "$GOT"))" \
    test "$GOT" = "$(sort <<<"$EXPECTED")"
INI=$STAGE/etc/php/$PHPVER/mods-available/sgwhmcs.ini
for line in 'extension=sgwhmcs.so' '; priority=20' ';sgwhmcs.connect_timeout = 5' ';sgwhmcs.timeout = 30' \
    ';sgwhmcs.ca_file ='; do
    check "sgwhmcs.ini lacks the line '$line'" grep -qxF -- "$line" "$INI"
done
check "the staged sgwhmcs.so is not the built one" cmp -s "$EXT" "$STAGE$EXTDIR/sgwhmcs.so"
# The installed generator runs from its own directory and writes a complete module.
generator_checks "make install DESTDIR=…" "$STAGE$SHARE" "$PHP" -n -d "extension=$STAGE$EXTDIR/sgwhmcs.so"
"${MAKE[@]}" uninstall DESTDIR="$STAGE" >"$TMP/uninstall.log" 2>&1
check "make uninstall DESTDIR=… failed: $(cat "$TMP/uninstall.log")" test $? -eq 0
check "make uninstall left files: $(find "$STAGE" ! -type d)" test -z "$(find "$STAGE" ! -type d)"

# ---- 1b. production install: no apt, no root with DESTDIR --------------------------------------
PLAN=$("${MAKE[@]}" -n install DESTDIR="$STAGE" 2>&1)
check "make install would run a prerequisite step: $PLAN" not grep -q 'ensure-debs\|apt-get' <<<"$PLAN"
USER_STAGE=$TMP/user-stage
install -d -o nobody "$USER_STAGE"
# An ordinary user, without cargo on PATH (a production server has none): the built extension is installed.
AS_USER=(runuser -u nobody -- env -u PHP PATH=/usr/sbin:/usr/bin:/sbin:/bin make -s -C "$ROOT")
"${AS_USER[@]}" install DESTDIR="$USER_STAGE" >"$TMP/user-install.log" 2>&1
check "make install DESTDIR=… as an ordinary user failed: $(cat "$TMP/user-install.log")" test $? -eq 0
check "make install DESTDIR=… as an ordinary user staged other files: $(cd "$USER_STAGE" && find . ! -type d | sed 's|^\.||' | sort | diff <(sort <<<"$EXPECTED") - )" \
    test "$(cd "$USER_STAGE" && find . ! -type d | sed 's|^\.||' | sort)" = "$(sort <<<"$EXPECTED")"
BEFORE_USER=$(snapshot)
"${AS_USER[@]}" install >"$TMP/user-install.log" 2>&1
check "make install into the system as an ordinary user did not fail" test $? -ne 0
check "make install as an ordinary user did not say root is needed: $(cat "$TMP/user-install.log")" \
    grep -q "needs root: run 'sudo make install'" "$TMP/user-install.log"
check "make install as an ordinary user changed the system" test "$BEFORE_USER" = "$(snapshot)"

# ---- the checks of an installed, enabled sgwhmcs -----------------------------------------------
# Starts the system's php-fpm (its php.ini and conf.d, a scratch pool) and answers
# SgWhmcs\version() as a php-fpm request sees it.
fpm_version() {
    local port
    port=$("$PHP" -n -r '$s = stream_socket_server("tcp://127.0.0.1:0"); $n = stream_socket_get_name($s, false);
        echo substr($n, strrpos($n, ":") + 1);')
    printf '[global]\nerror_log = %s/fpm.log\ndaemonize = no\n[t]\nlisten = 127.0.0.1:%s\npm = static\npm.max_children = 1\n' \
        "$TMP" "$port" >"$TMP/fpm.conf"
    printf '<?php echo function_exists("SgWhmcs\\\\version") ? SgWhmcs\\version() : "not loaded";\n' >"$TMP/version.php"
    chmod 644 "$TMP/version.php"
    setsid "$FPM" --nodaemonize -R -y "$TMP/fpm.conf" </dev/null >"$TMP/fpm.out" 2>&1 &
    FPM_PID=$!
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
    "$PHP" "$ROOT/tests/Install/fcgi.php" "tcp://127.0.0.1:$port" "$TMP/version.php"
    stop_fpm
}
installed_checks() {
    local how=$1
    generator_checks "$how" "$SHARE" "$PHP"
    check "$how: php -m does not list sgwhmcs" lists_sgwhmcs "$PHP"
    check "$how: php-fpm -m does not list sgwhmcs" lists_sgwhmcs "$FPM"
    local cli fpm
    cli=$("$PHP" -r 'echo SgWhmcs\version();' 2>&1)
    check "$how: the CLI's SgWhmcs\\version() said '$cli', not '$VERSION'" test "$cli" = "$VERSION"
    fpm=$(fpm_version 2>&1)
    check "$how: php-fpm's SgWhmcs\\version() said '$fpm', not '$VERSION'" test "$fpm" = "$VERSION"
    # Loaded once: no "already loaded" warning (which a second ini would cause).
    check "$how: PHP warns at startup: $("$PHP" -r ';' 2>&1)" test -z "$("$PHP" -r ';' 2>&1)"
}
removed_checks() {
    local how=$1
    check "$how: php -m still lists sgwhmcs" not lists_sgwhmcs "$PHP"
    check "$how: php-fpm -m still lists sgwhmcs" not lists_sgwhmcs "$FPM"
    check "$how: files differ from before the install" same_as_before
}

# ---- 2. make install / make uninstall for real --------------------------------------------------
BEFORE=$(snapshot)
INSTALLED=1
"${MAKE[@]}" install >"$TMP/install.log" 2>&1
check "make install failed: $(cat "$TMP/install.log")" test $? -eq 0
check "make install did not say what to restart" grep -q 'restart php-fpm' "$TMP/install.log"
installed_checks "make install"
"${MAKE[@]}" uninstall >"$TMP/uninstall.log" 2>&1
check "make uninstall failed: $(cat "$TMP/uninstall.log")" test $? -eq 0
INSTALLED=""
removed_checks "make uninstall"

# ---- 3. the .deb --------------------------------------------------------------------------------
DEB=$("${MAKE[@]}" deb 2>"$TMP/deb.log" | tail -n1)
check "make deb made no package: $(cat "$TMP/deb.log")" test -f "$DEB"
dpkg -i "$DEB" >"$TMP/dpkg-i.log" 2>&1
check "dpkg -i failed: $(cat "$TMP/dpkg-i.log")" test $? -eq 0
installed_checks "dpkg -i"
# Debian policy: a shared object is shipped stripped; the package carries its licences.
check "dpkg -i: the installed sgwhmcs.so is not stripped" not grep -q '\.symtab' <<<"$(readelf -S "$EXTDIR/sgwhmcs.so")"
DOC=/usr/share/doc/sgwhmcs
check "dpkg -i: $DOC/copyright is not a machine-readable copyright file" \
    grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' "$DOC/copyright"
check "dpkg -i: $DOC/copyright does not give the MIT licence for every file" \
    grep -qx 'License: MIT' "$DOC/copyright"
check "dpkg -i: $DOC/THIRD-PARTY-LICENSES.gz is not the project's THIRD-PARTY-LICENSES" \
    cmp -s <(zcat "$DOC/THIRD-PARTY-LICENSES.gz") "$ROOT/THIRD-PARTY-LICENSES"
check "dpkg -i: $DOC/CHANGELOG.md.gz is not the project's CHANGELOG.md" \
    cmp -s <(zcat "$DOC/CHANGELOG.md.gz") "$ROOT/CHANGELOG.md"
check "dpkg -i: $DOC/changelog.gz is not a Debian changelog of $VERSION" \
    grep -q "^sgwhmcs ($VERSION) " <<<"$(zcat "$DOC/changelog.gz")"
dpkg -r sgwhmcs >"$TMP/dpkg-r.log" 2>&1
check "dpkg -r failed: $(cat "$TMP/dpkg-r.log")" test $? -eq 0
removed_checks "dpkg -r"
