#!/usr/bin/env bash
# The release archive and its installer (make test-dist; root, Debian 12 with php8.2-cli/fpm):
#   - `make dist` from the builds (target/builds, or when that holds none, a build folder made
#     from target/release by tools/dist/local-build.sh): the archive holds install.sh at its top,
#     the builds, the generator with everything it reads, the hooks file, tools/ini.sh and docs;
#     `make dist` with no build refuses, naming how to make one.
#   - Real PHP 8.2 binaries laid out as each platform places them: Debian's own /usr/bin/php8.2
#     (mods-available + phpenmod), and wrappers that exec it with that layout's extension_dir and
#     PHP_INI_SCAN_DIR for cPanel EA-PHP, CloudLinux alt-php, Plesk and Remi, so the installer's
#     questions get that layout's answers. Each: the .so and ini in place, `php -m` lists sgwhmcs,
#     SgWhmcs\version() answers, the restart hint names that platform's service; the installed
#     generator writes a whole module.
#   - --dry-run changes nothing; a second install changes nothing; --uninstall leaves every touched
#     directory as it was; --php PATH installs into that PHP only.
#   - A PHP with no matching build (the archive's build claims ZTS, or another Zend API): nothing
#     installed there, the builds named, `make build PHP_CONFIG=…` named, exit status 1.
#   - A build that does not load (wrong version answer; not a library): rolled back, exit 1.
#   - Another installation's sgwhmcs.so is never overwritten nor removed.
#   - --regenerate-known is run with the generator after an install when it supports it.
#   - When /var/cache/sgwhmcs/debian13 (a Debian 13 root) exists: PHP 8.4 inside it via chroot.
# It refuses to run on a machine that has these layouts or sgwhmcs installed (not its to touch),
# and removes everything it made (trap).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
EXT=${SGWHMCS_EXT:-$ROOT/target/release/libsgwhmcs.so}
PHP82=/usr/bin/php8.2
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sgwhmcs-dist.XXXXXX")
chmod 755 "$TMP"
PASSED=0
FAILED=0
MADE=()   # the top directories this test created, removed at the end
D13=/var/cache/sgwhmcs/debian13

say() { echo "dist-test: $*" >&2; }
check() { # check "what" command...
    local what=$1
    shift
    if "$@"; then
        PASSED=$((PASSED + 1))
    else
        FAILED=$((FAILED + 1))
        say "FAIL: $what"
    fi
}
not() { ! "$@"; }
has() { grep -q -e "$1" <<<"$2"; }
lists_sgwhmcs() { grep -qx sgwhmcs <<<"$("$1" -m 2>/dev/null)"; }
answers_version() { [ "$("$1" -r 'echo \SgWhmcs\version();' 2>/dev/null)" = "$VERSION" ]; }

# Everything an install may touch, as path, type, link target, mode, size and checksum of files.
WATCH=(/etc/php /usr/lib/php /var/lib/php/modules /usr/share/sgwhmcs /var/lib/sgwhmcs /etc/sgwhmcs
    /opt/cpanel /opt/alt /opt/plesk /opt/remi /etc/opt/remi)
snapshot() {
    find "${WATCH[@]}" -printf '%p %y %l %m %s\n' 2>/dev/null | sort
    find "${WATCH[@]}" -type f -exec sha256sum {} + 2>/dev/null | sort -k2
}
same_as() { diff <(printf '%s\n' "$1") <(snapshot) >&2; }
# The same, leaving out the generator's folder and the manifest (installed before any PHP).
without_share() { grep -v -e ' /usr/share/sgwhmcs' -e '^/usr/share/sgwhmcs' -e ' /var/lib/sgwhmcs' -e '^/var/lib/sgwhmcs'; }
same_but_share_as() { diff <(printf '%s\n' "$1" | without_share) <(snapshot | without_share) >&2; }

cleanup() {
    trap - EXIT INT TERM
    # Whatever the installer may have left (its own manifest says what), then this test's layouts.
    [ -f /var/lib/sgwhmcs/manifest ] && "$A/install.sh" --uninstall >/dev/null 2>&1
    [ -n "${D13ROOT_ARCHIVE:-}" ] && chroot "$D13" "/tmp/$NAME/install.sh" --uninstall >/dev/null 2>&1
    [ -n "${D13ROOT_ARCHIVE:-}" ] && rm -rf "$D13/tmp/$NAME"
    for d in "${MADE[@]}"; do rm -rf "$d"; done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || { say "run me as root (the installer installs into PHP's directories)"; exit 2; }
[ -x "$PHP82" ] || { say "$PHP82 not found (apt-get install php8.2-cli)"; exit 2; }
for d in /opt/cpanel /opt/alt /opt/plesk /opt/remi /etc/opt/remi /var/lib/sgwhmcs /usr/share/sgwhmcs \
    "$("$PHP82" -r 'echo PHP_EXTENSION_DIR;')/sgwhmcs.so" /etc/php/8.2/mods-available/sgwhmcs.ini; do
    [ -e "$d" ] && { say "$d exists: this machine has that layout or sgwhmcs installed; not touching it"; exit 2; }
done

# ---- the archive ----
# The builds of target/builds; when they have none for this host's PHP 8.2 (the test's layouts run
# it), they and one made from target/release.
BUILDS=$ROOT/target/builds
HOST_TAG=php8.2-nts-$(uname -m)
if [ ! -f "$BUILDS/$HOST_TAG/build.json" ]; then
    mkdir "$TMP/builds"
    ls "$BUILDS"/*/build.json >/dev/null 2>&1 && cp -a "$BUILDS"/* "$TMP/builds/"
    BUILDS=$TMP/builds
    bash "$ROOT/tools/dist/local-build.sh" "$BUILDS" "$EXT" "$(command -v php-config8.2 || echo php-config)" >/dev/null || exit 2
fi
say "builds: $(cd "$BUILDS" && echo */ | tr -d /)"
out=$(make -s -C "$ROOT" dist BUILDS="$TMP/no-builds" DISTDIR="$TMP/dist" 2>&1)
check "make dist without a build refuses" [ $? -ne 0 ]
check "make dist without a build says how to make one" has "no build in .*tools/build/build.sh" "$(tr '\n' ' ' <<<"$out")"
out=$(make -s -C "$ROOT" dist BUILDS="$BUILDS" DISTDIR="$TMP/dist" 2>&1) || { say "make dist failed: $out"; exit 1; }
ARCHIVE=$(ls "$TMP"/dist/sgwhmcs-*-linux-*.tar.gz)
VERSION=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$ROOT/Cargo.toml")
NAME=sgwhmcs-$VERSION
check "the archive is named for the version and platform" [ "$(basename "$ARCHIVE")" = "$NAME-linux-$(uname -m).tar.gz" ]
mkdir "$TMP/x"
tar -xzf "$ARCHIVE" -C "$TMP/x"
A=$TMP/x/$NAME
check "one folder in the archive" [ "$(ls "$TMP/x")" = "$NAME" ]
for f in install.sh tools/ini.sh README.md docs/settings.md share/generate-module.php share/ModuleGenerator.php \
    share/GeneratorError.php share/whmcsHooks.php; do
    check "the archive holds $f" [ -s "$A/$f" ]
done
# Every file the generator reads beside itself (its __DIR__ paths) is in the archive.
while read -r rel; do
    check "the archive holds the generator's $rel" [ -e "$A/share/$rel" ]
done < <(grep -ho "__DIR__ \. '/[^']*'" "$ROOT"/php/*.php | sed "s/^__DIR__ \. '\///; s/'$//" | sort -u)
for f in "$ROOT"/LICENSE* "$ROOT"/CHANGELOG* "$ROOT"/THIRD-PARTY-LICENSES*; do
    [ -e "$f" ] && check "the archive holds $(basename "$f")" [ -e "$A/$(basename "$f")" ]
done
for b in "$BUILDS"/*/build.json; do
    tag=$(basename "$(dirname "$b")")
    check "the archive holds build $tag" cmp -s "$(dirname "$b")/sgwhmcs.so" "$A/builds/$tag/sgwhmcs.so"
done
check "install.sh is executable" [ -x "$A/install.sh" ]

# ---- the layouts: real PHP 8.2 behind each platform's paths ----
# LAYOUT NAME: binary, extension dir, scan dir, restart hint to expect.
LAYOUTS=(
    "cpanel /opt/cpanel/ea-php82/root/usr/bin/php /opt/cpanel/ea-php82/root/usr/lib64/php/modules /opt/cpanel/ea-php82/root/etc/php.d restartsrv_apache_php_fpm"
    "alt-php /opt/alt/php82/usr/bin/php /opt/alt/php82/usr/lib64/php/modules /opt/alt/php82/etc/php.d alt-php82-fpm"
    "plesk /opt/plesk/php/8.2/bin/php /opt/plesk/php/8.2/lib64/php/modules /opt/plesk/php/8.2/etc/php.d plesk-php82-fpm"
    "remi /opt/remi/php82/root/usr/bin/php /opt/remi/php82/root/usr/lib64/php/modules /etc/opt/remi/php82/php.d php82-php-fpm"
)
MADE+=(/opt/cpanel /opt/alt /opt/plesk /opt/remi /etc/opt/remi)
[ -d /etc/opt ] || MADE+=(/etc/opt)
for l in "${LAYOUTS[@]}"; do
    read -r _ bin extdir scandir _ <<<"$l"
    mkdir -p "$(dirname "$bin")" "$extdir" "$scandir"
    printf '#!/bin/sh\n# PHP 8.2 as this platform lays it out (sgwhmcs dist test)\nPHP_INI_SCAN_DIR=%s\nexport PHP_INI_SCAN_DIR\nexec %s -d extension_dir=%s "$@"\n' \
        "$scandir" "$PHP82" "$extdir" >"$bin"
    chmod 755 "$bin"
done
BEFORE=$(snapshot)

"$A/install.sh" --php /nonexistent/php >/dev/null 2>&1
check "--php of no file: exit status 2" [ $? -eq 2 ]
"$A/install.sh" --frobnicate >/dev/null 2>&1
check "an unknown argument: exit status 2" [ $? -eq 2 ]
check "refusals change nothing" same_as "$BEFORE"
out=$("$A/install.sh" --dry-run 2>&1)
rc=$?
check "--dry-run exits 0" [ $rc -eq 0 ]
check "--dry-run changes nothing" same_as "$BEFORE"
check "--dry-run names the Debian PHP" has "/usr/bin/php8.2 .*would install build" "$out"
for l in "${LAYOUTS[@]}"; do
    read -r layout bin _ <<<"$l"
    check "--dry-run finds $layout's PHP" has "$bin .*layout $layout.*would install" "$out"
done

# ---- install everywhere ----
out=$("$A/install.sh" 2>&1)
rc=$?
grep 'installed build' <<<"$out" | sed 's/^sgwhmcs: /dist-test: /' >&2
check "install exits 0 (every PHP installed)" [ $rc -eq 0 ] || printf '%s\n' "$out" >&2
for l in "${LAYOUTS[@]}"; do
    read -r layout bin extdir scandir hint <<<"$l"
    check "$layout: sgwhmcs.so in $extdir" cmp -s "$A/builds/$HOST_TAG/sgwhmcs.so" "$extdir/sgwhmcs.so"
    check "$layout: the ini in $scandir loads it" grep -qx 'extension=sgwhmcs.so' "$scandir/20-sgwhmcs.ini"
    check "$layout: the ini lists the directives" grep -q '^;sgwhmcs\.timeout' "$scandir/20-sgwhmcs.ini"
    check "$layout: php -m lists sgwhmcs" lists_sgwhmcs "$bin"
    check "$layout: SgWhmcs\\version() answers $VERSION" answers_version "$bin"
    check "$layout: the restart hint names $hint" has "$hint" "$out"
done
check "debian: sgwhmcs.ini in mods-available" grep -qx 'extension=sgwhmcs.so' /etc/php/8.2/mods-available/sgwhmcs.ini
check "debian: enabled for cli by phpenmod" [ "$(readlink /etc/php/8.2/cli/conf.d/20-sgwhmcs.ini)" = /etc/php/8.2/mods-available/sgwhmcs.ini ]
[ -d /etc/php/8.2/fpm ] && check "debian: enabled for fpm" [ -L /etc/php/8.2/fpm/conf.d/20-sgwhmcs.ini ]
[ -x /usr/sbin/php-fpm8.2 ] && check "debian: php-fpm8.2 -m lists sgwhmcs" lists_sgwhmcs /usr/sbin/php-fpm8.2
check "debian: php8.2 -m lists sgwhmcs" lists_sgwhmcs "$PHP82"
check "debian: SgWhmcs\\version() answers" answers_version "$PHP82"
check "debian: restart php8.2-fpm named" has "systemctl restart php8.2-fpm" "$out"
check "the manifest names 5 PHPs" [ "$(grep -c '^php' /var/lib/sgwhmcs/manifest)" = 5 ]
# The installed generator, from where it was installed, writes a whole module.
mkdir "$TMP/whmcs"
PRE_GEN=$(find "${WATCH[@]}" 2>/dev/null | sort)
gen=$("$PHP82" /usr/share/sgwhmcs/generate-module.php sgdist "$TMP/whmcs" 2>&1)
check "the installed generator succeeds ($gen)" [ $? -eq 0 ]
check "the generated module file" [ -s "$TMP/whmcs/modules/servers/sgdist/sgdist.php" ]
check "the generated MetricProvider is whole" grep -q 'class' "$TMP/whmcs/modules/servers/sgdist/lib/MetricProvider.php"
check "the generated client area template" [ -s "$TMP/whmcs/modules/servers/sgdist/clientarea.tpl" ]
check "cPanel's PHP runs the installed generator" \
    /opt/cpanel/ea-php82/root/usr/bin/php /usr/share/sgwhmcs/generate-module.php sgdist2 "$TMP/whmcs" >/dev/null
# What the generator itself keeps on the host (a list of the modules it wrote, if it keeps one) is
# not the installer's: removed here, so the comparisons below see the installer's work alone.
comm -13 <(printf '%s\n' "$PRE_GEN") <(find "${WATCH[@]}" 2>/dev/null | sort) | sort -r | while IFS= read -r p; do
    say "the generator left $p: removed"
    if [ -d "$p" ]; then rmdir "$p"; else rm -f "$p"; fi
done

INSTALLED=$(snapshot)
out=$("$A/install.sh" 2>&1)
check "a second install exits 0" [ $? -eq 0 ]
check "a second install changes nothing" same_as "$INSTALLED"

out=$("$A/install.sh" --uninstall --dry-run 2>&1)
check "--uninstall --dry-run changes nothing" same_as "$INSTALLED"
check "--uninstall --dry-run says what it would remove" has "would remove /etc/php/8.2/mods-available/sgwhmcs.ini" "$out"
out=$("$A/install.sh" --uninstall 2>&1)
check "uninstall exits 0" [ $? -eq 0 ]
check "uninstall leaves every touched directory as it was" same_as "$BEFORE"
check "uninstall names the services to restart" has "restartsrv_apache_php_fpm" "$out"
check "php8.2 no longer lists sgwhmcs" not lists_sgwhmcs "$PHP82"

# ---- --php PATH: that PHP only ----
PLESK=/opt/plesk/php/8.2/bin/php
out=$("$A/install.sh" --php "$PLESK" --prefix "$TMP/prefix" 2>&1)
check "--php: exits 0" [ $? -eq 0 ]
check "--prefix: the generator in PREFIX/share/sgwhmcs" [ -s "$TMP/prefix/share/sgwhmcs/generate-module.php" ]
check "--prefix: nothing in /usr/share/sgwhmcs" [ ! -e /usr/share/sgwhmcs ]
check "--php: Plesk's PHP has it" lists_sgwhmcs "$PLESK"
check "--php: Debian's PHP does not" not lists_sgwhmcs "$PHP82"
check "--php: cPanel's PHP does not" not lists_sgwhmcs /opt/cpanel/ea-php82/root/usr/bin/php
check "--php: one PHP in the manifest" [ "$(grep -c '^php' /var/lib/sgwhmcs/manifest)" = 1 ]
"$A/install.sh" --uninstall >/dev/null 2>&1
check "--php: uninstall leaves all as it was" same_as "$BEFORE"
check "--prefix: uninstall removes what it made there" [ ! -e "$TMP/prefix" ]

# ---- a PHP with no matching build ----
variant() { # a copy of the archive to change
    rm -rf "$TMP/v"
    cp -a "$A" "$TMP/v"
}
CPANEL=/opt/cpanel/ea-php82/root/usr/bin/php
variant
mv "$TMP/v/builds/$HOST_TAG" "$TMP/v/builds/php8.2-zts-$(uname -m)"
sed -i 's/"zts": false/"zts": true/' "$TMP/v/builds/php8.2-zts-x86_64/build.json"
out=$("$TMP/v/install.sh" --php "$CPANEL" 2>&1)
check "no build (ZTS only): exit status 1" [ $? -eq 1 ]
check "no build: says so" has "$CPANEL .*NOT installed: this archive has no build for it" "$out"
check "no build: names the builds there are" has "php8.2-zts-x86_64 (PHP 8.2, Zend API 20220829)" "$out"
check "no build: says how to build one" has "make build PHP_CONFIG=/opt/cpanel/ea-php82/root/usr/bin/php-config" "$out"
check "no build: names the devel package" has "ea-php82-php-devel" "$out"
check "no build: cPanel's PHP has no sgwhmcs" not lists_sgwhmcs "$CPANEL"
check "no build: nothing in its extension dir" [ -z "$(ls /opt/cpanel/ea-php82/root/usr/lib64/php/modules)" ]
"$TMP/v/install.sh" --uninstall >/dev/null 2>&1
check "no build: uninstall leaves all as it was" same_as "$BEFORE"
variant
mv "$TMP/v/builds/$HOST_TAG" "$TMP/v/builds/php8.3-nts-x86_64"
sed -i 's/"php": "8.2"/"php": "8.3"/; s/"zend_api": "[0-9]*"/"zend_api": "20230831"/' "$TMP/v/builds/php8.3-nts-x86_64/build.json"
out=$("$TMP/v/install.sh" --php "$PHP82" 2>&1)
check "no build (only 8.3): exit status 1" [ $? -eq 1 ]
check "no build (only 8.3): names it" has "php8.3-nts-x86_64 (PHP 8.3, Zend API 20230831)" "$out"
check "no build (only 8.3): php-config8.2 named" has "make build PHP_CONFIG=/usr/bin/php-config8.2" "$out"
check "no build (only 8.3): nothing enabled" not lists_sgwhmcs "$PHP82"
"$TMP/v/install.sh" --uninstall >/dev/null 2>&1
check "no build (only 8.3): uninstall leaves all as it was" same_as "$BEFORE"

# ---- a build that does not load is rolled back ----
variant
sed -i "s/\"sgwhmcs\": \"$VERSION\"/\"sgwhmcs\": \"0.0.0-other\"/" "$TMP/v/builds/$HOST_TAG/build.json"
out=$("$TMP/v/install.sh" 2>&1)
check "wrong version: exit status 1" [ $? -eq 1 ]
check "wrong version: rolled back, said so" has "SgWhmcs.version() answers '$VERSION', the build is 0.0.0-other); rolled back" "$out"
check "wrong version: no PHP lists sgwhmcs" not lists_sgwhmcs "$PHP82"
check "wrong version: no ini left in cPanel's scan dir" [ -z "$(ls /opt/cpanel/ea-php82/root/etc/php.d)" ]
check "wrong version: no PHP in the manifest" not grep -q '^php' /var/lib/sgwhmcs/manifest
check "wrong version: every PHP's directories as before" same_but_share_as "$BEFORE"
"$TMP/v/install.sh" --uninstall >/dev/null 2>&1
check "wrong version: uninstall leaves all as it was" same_as "$BEFORE"
variant
echo "not a library" >"$TMP/v/builds/$HOST_TAG/sgwhmcs.so"
out=$("$TMP/v/install.sh" --php "$CPANEL" 2>&1)
check "not a library: exit status 1" [ $? -eq 1 ]
check "not a library: does not load, said so" has "does not load in it" "$out"
check "not a library: cPanel's directories as before" same_but_share_as "$BEFORE"
"$TMP/v/install.sh" --uninstall >/dev/null 2>&1
check "not a library: all as it was" same_as "$BEFORE"

# ---- another installation's file is never overwritten nor removed ----
REMI_SO=/opt/remi/php82/root/usr/lib64/php/modules/sgwhmcs.so
echo "installed by hand" >"$REMI_SO"
BEFORE_FOREIGN=$(snapshot)
out=$("$A/install.sh" 2>&1)
check "foreign file: exit status 1" [ $? -eq 1 ]
check "foreign file: named" has "$REMI_SO exists and is not from this installer" "$out"
check "foreign file: untouched" [ "$(cat "$REMI_SO")" = "installed by hand" ]
check "foreign file: the other PHPs installed" lists_sgwhmcs /opt/alt/php82/usr/bin/php
"$A/install.sh" --uninstall >/dev/null 2>&1
check "foreign file: still there after uninstall, all else as it was" same_as "$BEFORE_FOREIGN"
rm -f "$REMI_SO"

# ---- a PHP that prints startup warnings on stdout (display_startup_errors, a missing extension) ----
ALT_SCAN=/opt/alt/php82/etc/php.d
printf 'display_startup_errors=1\ndisplay_errors=stdout\nextension=missing_ext_for_the_test.so\n' >"$ALT_SCAN/10-noise.ini"
BEFORE_NOISE=$(snapshot)
out=$("$A/install.sh" --php /opt/alt/php82/usr/bin/php 2>&1)
check "startup noise: installed (exit 0)" [ $? -eq 0 ] || printf '%s\n' "$out" >&2
check "startup noise: the right extension dir" [ -f /opt/alt/php82/usr/lib64/php/modules/sgwhmcs.so ]
check "startup noise: SgWhmcs\\version() read through the noise" has "SgWhmcs.version() = $VERSION" "$out"
"$A/install.sh" --uninstall >/dev/null 2>&1
check "startup noise: uninstall leaves all as it was" same_as "$BEFORE_NOISE"
rm -f "$ALT_SCAN/10-noise.ini"

# ---- --regenerate-known after an install, when the generator has it ----
variant
# shellcheck disable=SC2016
printf '<?php\n// --regenerate-known stand-in\nfile_put_contents(getenv("SGWHMCS_MARK"), implode(" ", array_slice($argv, 1)) . " " . \\SgWhmcs\\version());\n' \
    >"$TMP/v/share/generate-module.php"
SGWHMCS_MARK=$TMP/mark "$TMP/v/install.sh" --php "$PHP82" >/dev/null 2>&1
check "--regenerate-known run with the new extension loaded" [ "$(cat "$TMP/mark" 2>/dev/null)" = "--regenerate-known $VERSION" ]
"$TMP/v/install.sh" --uninstall >/dev/null 2>&1
check "--regenerate-known: uninstall leaves all as it was" same_as "$BEFORE"

# ---- PHP 8.4 in a Debian 13 root (made by the builds' tooling), when there is one ----
if [ -x "$D13/usr/bin/php8.4" ]; then
    # The root's maker holds this lock while it changes the root.
    exec 9>>"$D13.lock"
    flock -w 600 9 || say "waited 10 minutes for $D13.lock; going on"
    D13ROOT_ARCHIVE=1
    cp -a "$A" "$D13/tmp/$NAME"
    d13snap() { chroot "$D13" find /etc/php /usr/lib/php /var/lib/php/modules /usr/share/sgwhmcs /var/lib/sgwhmcs -printf '%p %y %l %s\n' 2>/dev/null | sort; }
    D13_BEFORE=$(d13snap)
    out=$(chroot "$D13" "/tmp/$NAME/install.sh" --php /usr/bin/php8.4 2>&1)
    rc=$?
    grep '/usr/bin/php8.4' <<<"$out" | sed 's/^sgwhmcs: /dist-test: Debian 13: /' >&2
    if ls "$A"/builds/php8.4-*/build.json >/dev/null 2>&1; then
        check "Debian 13: PHP 8.4 installed" [ $rc -eq 0 ] || printf '%s\n' "$out" >&2
        check "Debian 13: php8.4 -m lists sgwhmcs" grep -qx sgwhmcs <<<"$(chroot "$D13" /usr/bin/php8.4 -m)"
        check "Debian 13: SgWhmcs\\version()" [ "$(chroot "$D13" /usr/bin/php8.4 -r 'echo \SgWhmcs\version();')" = "$VERSION" ]
    else
        check "Debian 13: PHP 8.4 without a build: exit status 1" [ $rc -eq 1 ]
        check "Debian 13: PHP 8.4 without a build: said so" has "no build for it" "$out"
    fi
    chroot "$D13" "/tmp/$NAME/install.sh" --uninstall >/dev/null 2>&1
    check "Debian 13: uninstall leaves it as it was" diff <(printf '%s\n' "$D13_BEFORE") <(d13snap)
    rm -rf "${D13:?}/tmp/$NAME"
    D13ROOT_ARCHIVE=""
    exec 9>&-
    say "Debian 13 root: tried PHP 8.4"
else
    say "no Debian 13 root at $D13: PHP 8.4 not tried"
fi

check "the system is as before the test" same_as "$BEFORE"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
