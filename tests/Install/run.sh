#!/usr/bin/env bash
# The install test (make test-install; CI runs it last, as root on Debian 12):
#   1. make install into a scratch DESTDIR: exactly the expected files, an ini with every directive
#      and its default commented out, and a generator that runs from /usr/share/sgwhmcs;
#      make uninstall there leaves no file.
#   2. make install for real: php -m and php-fpm -m list sgwhmcs, SgWhmcs\version() answers in the
#      CLI and in a php-fpm request; make uninstall: neither lists it, and the system's files under
#      /etc/php, the extension directory, /usr/share/sgwhmcs and phpenmod's state are as before.
#   3. make deb, dpkg -i: the same checks; dpkg -r: no file left, as before.
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
    find /etc/php "$EXTDIR" /usr/share/sgwhmcs /var/lib/php/modules -printf '%p -> %l\n' 2>/dev/null | sort
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
    if [ "$FAILS" -eq 0 ]; then
        echo "install-test: $CHECKS checks, 0 failed PASS"
        exit 0
    fi
    echo "install-test: $CHECKS checks, $FAILS failed FAIL"
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

# ---- 1. a scratch DESTDIR ----------------------------------------------------------------------
STAGE=$TMP/stage
"${MAKE[@]}" install DESTDIR="$STAGE" >"$TMP/install.log" 2>&1
check "make install DESTDIR=… failed: $(cat "$TMP/install.log")" test $? -eq 0
SHARE=/usr/share/sgwhmcs
EXPECTED="$EXTDIR/sgwhmcs.so
/etc/php/$PHPVER/mods-available/sgwhmcs.ini
$SHARE/GeneratorError.php
$SHARE/ModuleGenerator.php
$SHARE/generate-module.php
$SHARE/hooks-template.php.txt
$SHARE/logo.png
$SHARE/module-template.php.txt
$SHARE/sgwhmcs.ini
$SHARE/whmcsHooks.php"
GOT=$(cd "$STAGE" && find . ! -type d | sed 's|^\.||' | sort)
check "the staged files are not the expected set: $(diff <(sort <<<"$EXPECTED") <(printf '%s\n' "$GOT"))" \
    test "$GOT" = "$(sort <<<"$EXPECTED")"
INI=$STAGE/etc/php/$PHPVER/mods-available/sgwhmcs.ini
for line in 'extension=sgwhmcs.so' '; priority=20' ';sgwhmcs.connect_timeout = 5' ';sgwhmcs.timeout = 30' \
    ';sgwhmcs.ca_file ='; do
    check "sgwhmcs.ini lacks the line '$line'" grep -qxF -- "$line" "$INI"
done
check "the staged sgwhmcs.so is not the built one" cmp -s "$EXT" "$STAGE$EXTDIR/sgwhmcs.so"
# The installed generator runs from its own directory and writes a module that loads.
mkdir -p "$TMP/whmcs"
"$PHP" -d "extension=$STAGE$EXTDIR/sgwhmcs.so" "$STAGE/usr/share/sgwhmcs/generate-module.php" \
    installed "$TMP/whmcs" >"$TMP/gen.log" 2>&1
check "the installed generator failed: $(cat "$TMP/gen.log")" test -s "$TMP/whmcs/modules/servers/installed/installed.php"
check "the generated module file is not valid PHP" "$PHP" -l "$TMP/whmcs/modules/servers/installed/installed.php" >/dev/null
"${MAKE[@]}" uninstall DESTDIR="$STAGE" >"$TMP/uninstall.log" 2>&1
check "make uninstall DESTDIR=… failed: $(cat "$TMP/uninstall.log")" test $? -eq 0
check "make uninstall left files: $(find "$STAGE" ! -type d)" test -z "$(find "$STAGE" ! -type d)"

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
dpkg -r sgwhmcs >"$TMP/dpkg-r.log" 2>&1
check "dpkg -r failed: $(cat "$TMP/dpkg-r.log")" test $? -eq 0
removed_checks "dpkg -r"
