#!/usr/bin/env bash
# The PHP 8.4 of the Debian 13 root (tools/build/debian13-root.sh), run from the host through
# chroot with the given arguments: what debian13-php-config.sh names as --php-binary. Paths in the
# arguments are inside the root. Needs root; SGWHMCS_DEBIAN13_ROOT as for debian13-root.sh.
set -euo pipefail
ROOT=${SGWHMCS_DEBIAN13_ROOT:-/var/cache/sgwhmcs/debian13}
[[ -x $ROOT/usr/bin/php8.4 ]] || { echo "no PHP 8.4 root at $ROOT: run tools/build/debian13-root.sh" >&2; exit 1; }
exec chroot "$ROOT" /usr/bin/php8.4 "$@"
