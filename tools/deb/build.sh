#!/usr/bin/env bash
# Builds the Debian package of the extension with dpkg-deb (make deb):
# target/debian/sgwhmcs_<version>_<arch>.deb. Its files are staged by tools/install/install.sh
# (the same files as make install); its maintainer scripts (tools/deb/postinst, prerm, postrm)
# put sgwhmcs.ini into mods-available and enable it for php-fpm and the CLI, and undo that.
# The package's .so is stripped (--strip-unneeded, as Debian policy asks of shared objects), and
# /usr/share/doc/sgwhmcs holds the Debian copyright file (tools/deb/copyright.sh: our MIT licence
# and the crates linked into the .so), THIRD-PARTY-LICENSES (every crate's notice and licence in
# full, `make notices`), the project's CHANGELOG.md and a Debian changelog pointing to it.
#
#   bash tools/deb/build.sh          (after cargo build --release -p sgwhmcs)
#
# Environment: EXT, PHP, PHP_CONFIG as for tools/install/install.sh; OUT (target/debian);
# DEB_MAINTAINER, the package's Maintainer (name <address>): set it to the vendor's own address
# when building a package to distribute (the default is a placeholder on the reserved .invalid
# domain).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
EXT=${EXT:-$ROOT/target/release/libsgwhmcs.so}
PHP=${PHP:-php}
PHP_CONFIG=${PHP_CONFIG:-php-config}
OUT=${OUT:-$ROOT/target/debian}
PHPVER=$("$PHP_CONFIG" --version | cut -d. -f1,2)
PHPAPI=$("$PHP_CONFIG" --phpapi)
# The version the extension itself reports (Cargo.toml's, through SgWhmcs\version()).
VERSION=$("$PHP" -n -d "extension=$EXT" -r 'echo SgWhmcs\version();')
[ -n "$VERSION" ] || { echo "deb: $EXT reported no version" >&2; exit 1; }
ARCH=$(dpkg --print-architecture)
MAINTAINER=${DEB_MAINTAINER:-sgwhmcs authors <maintainers@sgwhmcs.invalid>}
# The date of the last commit (a reproducible date for the Debian changelog), else now.
DATE=$(git -C "$ROOT" log -1 --format=%cD 2>/dev/null || date -R)
[ -f "$ROOT/THIRD-PARTY-LICENSES" ] || { echo "deb: THIRD-PARTY-LICENSES is missing (make notices)" >&2; exit 1; }

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/sgwhmcs-deb.XXXXXX")
chmod 755 "$STAGE"
trap 'rm -rf "$STAGE"' EXIT
# The live ini in /etc is made by postinst from the pristine copy in /usr/share/sgwhmcs (as
# Debian's own PHP extension packages do), so it is not a dpkg conffile: an unedited one goes with
# `dpkg -r`, an edited one stays until `dpkg -P`.
EXT=$EXT PHP=$PHP PHP_CONFIG=$PHP_CONFIG DESTDIR=$STAGE ENABLE=no PREFIX=/usr \
    bash "$ROOT/tools/install/install.sh" install >/dev/null
rm -r "$STAGE/etc"
SO=$(find "$STAGE/usr/lib/php" -name sgwhmcs.so)
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$SO"

DOC=$STAGE/usr/share/doc/sgwhmcs
install -d "$DOC"
bash "$ROOT/tools/deb/copyright.sh" "$ROOT/LICENSE" "$ROOT/THIRD-PARTY-LICENSES" >"$DOC/copyright"
chmod 644 "$DOC/copyright"
gzip -9n <"$ROOT/THIRD-PARTY-LICENSES" >"$DOC/THIRD-PARTY-LICENSES.gz"
gzip -9n <"$ROOT/CHANGELOG.md" >"$DOC/CHANGELOG.md.gz"
# A native package's changelog (Debian's format): the project's own history is CHANGELOG.md.
printf '%s\n' "sgwhmcs ($VERSION) unstable; urgency=medium" "" \
    "  * sgwhmcs $VERSION: what changed is in CHANGELOG.md.gz beside this file." "" \
    " -- $MAINTAINER  $DATE" | gzip -9n >"$DOC/changelog.gz"
chmod 644 "$DOC"/*.gz

mkdir -p "$STAGE/DEBIAN" "$OUT"
for script in postinst prerm postrm; do
    sed "s/@PHPVER@/$PHPVER/g" "$ROOT/tools/deb/$script" >"$STAGE/DEBIAN/$script"
    chmod 755 "$STAGE/DEBIAN/$script"
done
# The files' checksums (dpkg --verify, debsums).
(cd "$STAGE" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) >"$STAGE/DEBIAN/md5sums"
chmod 644 "$STAGE/DEBIAN/md5sums"
SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
cat >"$STAGE/DEBIAN/control" <<CONTROL
Package: sgwhmcs
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $SIZE
Depends: phpapi-$PHPAPI, php-common, libc6, libgcc-s1
Section: php
Priority: optional
Description: Backup Server module for WHMCS, as a native PHP $PHPVER extension
 Loads into php-fpm and the CLI through /etc/php/$PHPVER/mods-available/sgwhmcs.ini.
 /usr/share/sgwhmcs holds the module generator (generate-module.php) and the
 action hooks file (whmcsHooks.php).
CONTROL
DEB="$OUT/sgwhmcs_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group --build "$STAGE" "$DEB" >/dev/null
echo "$DEB"
