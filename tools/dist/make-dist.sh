#!/usr/bin/env bash
# make dist: the release archive DISTDIR/sgwhmcs-<version>-linux-<arch>.tar.gz (DISTDIR:
# target/dist), one folder sgwhmcs-<version>/ holding
#   install.sh                   the installer (tools/dist/install.sh), run as root on the host
#   builds/<tag>/sgwhmcs.so      every build of BUILDS (target/builds, made by tools/build/build.sh),
#   builds/<tag>/build.json      tag php<MAJOR>.<MINOR>-<nts|zts>-<arch>
#   share/                       everything under php/: the module generator with the templates,
#                                language files and logo it reads beside itself, and whmcsHooks.php
#   tools/ini.sh                 the ini writer of `make install` (tools/install/ini.sh), which the
#                                installer runs with each PHP and build
#   docs/, README.md, and the licence, changelog and third-party notices (LICENSE*, CHANGELOG*,
#   THIRD-PARTY-LICENSES*) when the tree has them
# It refuses when BUILDS holds no build, or a build of another version than this tree's.
#
#   bash tools/dist/make-dist.sh [BUILDS [DISTDIR]]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILDS=${1:-$ROOT/target/builds}
DISTDIR=${2:-$ROOT/target/dist}
cd "$ROOT"

die() { echo "make dist: $*" >&2; exit 1; }
VERSION=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)
[ -n "$VERSION" ] || die "no [workspace.package] version in Cargo.toml"

shopt -s nullglob
builds=()
for j in "$BUILDS"/*/build.json; do
    [ -f "$(dirname "$j")/sgwhmcs.so" ] && builds+=("$(dirname "$j")")
done
[ ${#builds[@]} -gt 0 ] || die "no build in $BUILDS (each is $BUILDS/<tag>/sgwhmcs.so with its build.json).
Make one per PHP first: tools/build/build.sh --php-config PATH (make build PHP_CONFIG=PATH); see docs/builds.md"

ARCH=""
for b in "${builds[@]}"; do
    tag=$(basename "$b")
    # One reader of build.json, PHP's own; every field the installer matches on must be there.
    facts=$(php -n -r '$j = json_decode((string) file_get_contents($argv[1]), true);
        foreach (["sgwhmcs", "php", "zend_api", "zts", "arch"] as $k) {
            if (!is_array($j) || !array_key_exists($k, $j)) { fwrite(STDERR, "no \"$k\"\n"); exit(1); }
        }
        echo $j["sgwhmcs"], " ", $j["php"], " ", $j["zts"] ? "zts" : "nts", " ", $j["arch"], "\n";' "$b/build.json") \
        || die "$b/build.json is not a build description"
    read -r bver bphp bzts barch <<<"$facts"
    [ "$tag" = "php$bphp-$bzts-$barch" ] || die "$b: the folder should be named php$bphp-$bzts-$barch after its build.json"
    [ "$bver" = "$VERSION" ] || die "$b is sgwhmcs $bver, this tree is $VERSION: rebuild it"
    [ -z "$ARCH" ] || [ "$ARCH" = "$barch" ] || die "builds of two architectures ($ARCH, $barch): one archive per architecture"
    ARCH=$barch
done

NAME=sgwhmcs-$VERSION
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/sgwhmcs-dist.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
D=$STAGE/$NAME
mkdir -p "$D/builds" "$D/tools"
install -m 755 tools/dist/install.sh "$D/install.sh"
install -m 755 tools/install/ini.sh "$D/tools/ini.sh"
for b in "${builds[@]}"; do
    mkdir "$D/builds/$(basename "$b")"
    install -m 644 "$b/sgwhmcs.so" "$b/build.json" "$D/builds/$(basename "$b")/"
done
cp -r php "$D/share"
cp -r docs "$D/docs"
for f in README.md LICENSE* CHANGELOG* THIRD-PARTY-LICENSES*; do
    [ -e "$f" ] && cp -r "$f" "$D/"
done
find "$D" -type d -exec chmod 755 {} + && find "$D" -type f ! -perm -u+x -exec chmod 644 {} +

mkdir -p "$DISTDIR"
OUT=$DISTDIR/$NAME-linux-$ARCH.tar.gz
# Reproducible: sorted names, no owner, the time of the last commit.
MTIME=$(git log -1 --format=%ct 2>/dev/null || echo 0)
tar -C "$STAGE" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$MTIME" -cf - "$NAME" | gzip -n9 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "make dist: $OUT ($(du -h "$OUT" | cut -f1)), builds: $(for b in "${builds[@]}"; do printf '%s ' "$(basename "$b")"; done)"
