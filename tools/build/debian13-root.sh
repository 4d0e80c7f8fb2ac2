#!/usr/bin/env bash
# A Debian 13 (trixie) root with PHP 8.4 (php8.4-cli, php8.4-dev), made once with debootstrap from
# Debian's own archive and reused while it exists. It serves two purposes: its headers and `php -i`
# let the host's Rust build an extension for PHP 8.4 (tools/build/php84-config.sh), and its php8.4
# loads and runs that extension in the tests (tests/Builds/run.sh), through chroot.
#
#   tools/build/debian13-root.sh            # prints the root's path (makes it first if missing)
#
# The path is ${SGWHMCS_DEBIAN13_ROOT:-/var/cache/sgwhmcs/debian13}. The mirror is the one this
# machine's apt already uses for Debian (read from /etc/apt/sources.list*), or
# SGWHMCS_DEBIAN_MIRROR. Needs root. Concurrent callers wait on a lock; a half-made root is never
# left at the path (it is made beside it and renamed when complete).
set -euo pipefail

ROOT=${SGWHMCS_DEBIAN13_ROOT:-/var/cache/sgwhmcs/debian13}
PACKAGES=(php8.4-cli php8.4-dev)
log() { echo "debian13-root: $*" >&2; }

# The root is complete when its php answers; it is made only then.
complete() { [[ -x $ROOT/usr/bin/php8.4 && -x $ROOT/usr/bin/php-config8.4 && -f $ROOT/.sgwhmcs-complete ]]; }

if complete; then echo "$ROOT"; exit 0; fi
[[ $(id -u) == 0 ]] || { log "needs root (debootstrap and chroot)"; exit 1; }

mkdir -p "$(dirname "$ROOT")"
exec 9>"$ROOT.lock"
flock 9
if complete; then echo "$ROOT"; exit 0; fi

command -v debootstrap >/dev/null || {
    log "installing debootstrap"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

# The Debian mirror apt uses here: the first URI of a source for the "debian" archive.
mirror=${SGWHMCS_DEBIAN_MIRROR:-}
if [[ -z $mirror ]]; then
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | grep -oE '(https?)://[^ ]+/debian/?( |$)' | head -n1 | tr -d ' ' || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}
mirror=${mirror%/}
log "making $ROOT from $mirror (trixie, minbase); this takes a few minutes once"

tmp="$ROOT.partial"
rm -rf "$tmp"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
debootstrap --variant=minbase --keyring="$keyring" trixie "$tmp" "$mirror" >"$ROOT.debootstrap.log" 2>&1 || {
    log "debootstrap failed; last lines of $ROOT.debootstrap.log:"; tail -n 20 "$ROOT.debootstrap.log" >&2; exit 1; }

# apt inside the root: the same mirror, no recommends, no daemons started by maintainer scripts.
echo "deb $mirror trixie main" >"$tmp/etc/apt/sources.list"
printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"
chmod +x "$tmp/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$tmp/etc/resolv.conf" 2>/dev/null || true
chroot "$tmp" /usr/bin/env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get update -qq >>"$ROOT.debootstrap.log" 2>&1
chroot "$tmp" /usr/bin/env DEBIAN_FRONTEND=noninteractive LC_ALL=C \
    apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >>"$ROOT.debootstrap.log" 2>&1 || {
    log "apt-get install ${PACKAGES[*]} failed inside the root; see $ROOT.debootstrap.log"; exit 1; }
chroot "$tmp" apt-get clean
chroot "$tmp" php8.4 -r 'echo PHP_VERSION, "\n";' >&2

touch "$tmp/.sgwhmcs-complete"
rm -rf "$ROOT"
mv "$tmp" "$ROOT"
log "ready: $ROOT"
echo "$ROOT"
