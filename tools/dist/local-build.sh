#!/usr/bin/env bash
# A build folder from the extension built in this tree for the PHP of this host, for developing
# and testing `make dist` and its installer before the portable builds exist:
#   bash tools/dist/local-build.sh OUT [EXT] [PHP_CONFIG]
# writes OUT/php<M.m>-<nts|zts>-<arch>/{sgwhmcs.so,build.json} (build.json as tools/build/build.sh
# writes it). Not for release: this .so needs the glibc of the machine it was built on.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:?usage: local-build.sh OUT [EXT] [PHP_CONFIG]}
EXT=${2:-$ROOT/target/release/libsgwhmcs.so}
PHP_CONFIG=${3:-php-config}
[ -f "$EXT" ] || { echo "local-build: $EXT not found (cargo build --release -p sgwhmcs)" >&2; exit 1; }
VERSION=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$ROOT/Cargo.toml")
MINOR=$("$PHP_CONFIG" --version | cut -d. -f1,2)
API=$("$PHP_CONFIG" --phpapi)
if "$PHP_CONFIG" --configure-options | grep -q -e '--enable-zts'; then ZTS=true T=zts; else ZTS=false T=nts; fi
ARCH=$(uname -m)
GLIBC=$({ objdump -T "$EXT" 2>/dev/null || true; } | grep -o 'GLIBC_[0-9.]*' | sort -Vu | tail -n1 | sed 's/GLIBC_//' || true)
DIR=$OUT/php$MINOR-$T-$ARCH
mkdir -p "$DIR"
install -m 644 "$EXT" "$DIR/sgwhmcs.so"
printf '{"sgwhmcs": "%s", "php": "%s", "zend_api": "%s", "zts": %s, "arch": "%s", "glibc_max": "%s"}\n' \
    "$VERSION" "$MINOR" "$API" "$ZTS" "$ARCH" "${GLIBC:-unknown}" >"$DIR/build.json"
echo "$DIR"
