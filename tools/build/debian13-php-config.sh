#!/usr/bin/env bash
# php-config for the PHP 8.4 inside the Debian 13 root (tools/build/debian13-root.sh), seen from
# the host: the root's own php-config8.4 answers, with every path it names prefixed by the root,
# so ext-php-rs on the host finds the root's headers (--includes, --include-dir), and
# --php-binary names tools/build/debian13-php.sh, which runs the root's php8.4 (ext-php-rs reads
# `php -i` for the API number and thread safety). Used as
#   tools/build/build.sh --php-config tools/build/debian13-php-config.sh
# Needs root (chroot) and the root made; SGWHMCS_DEBIAN13_ROOT as for debian13-root.sh.
set -euo pipefail
ROOT=${SGWHMCS_DEBIAN13_ROOT:-/var/cache/sgwhmcs/debian13}
here=$(cd "$(dirname "$0")" && pwd)
[[ -x $ROOT/usr/bin/php-config8.4 ]] || { echo "no PHP 8.4 root at $ROOT: run tools/build/debian13-root.sh" >&2; exit 1; }
answer() { chroot "$ROOT" /usr/bin/php-config8.4 "$@"; }
case ${1:-} in
    --php-binary) echo "$here/debian13-php.sh" ;;
    --includes|--ldflags) answer "$1" | sed -E "s#-([IL])/#-\\1$ROOT/#g" ;;
    --prefix|--extension-dir|--include-dir|--lib-dir|--man-dir|--ini-path|--ini-dir)
        out=$(answer "$1"); echo "${out:+$ROOT$out}" ;;
    *) answer "$@" ;;   # --version, --vernum, --phpapi, --configure-options, --libs, --php-sapis, usage
esac
