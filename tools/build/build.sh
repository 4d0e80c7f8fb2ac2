#!/usr/bin/env bash
# One portable build of the extension for the PHP of a given php-config:
#
#   tools/build/build.sh --php-config PATH [--out DIR]
#
# writes DIR/<tag>/sgwhmcs.so and DIR/<tag>/build.json (DIR defaults to target/builds), where
# tag = php<MAJOR>.<MINOR>-<nts|zts>-<arch> and build.json =
#   {"sgwhmcs": "<version>", "php": "8.2", "zend_api": "20220829", "zts": false,
#    "arch": "x86_64", "glibc_max": "<highest GLIBC_ version the .so needs>"}
#
# How: a normal `cargo build --release -p sgwhmcs`, ext-php-rs reading that PHP through
# PHP_CONFIG (headers) and PHP (`php -i`: API number, thread safety), linked by
# `zig cc -target x86_64-linux-gnu.2.28` (tools/build/zig-linker.sh) so the .so needs glibc 2.28
# at most; in its own CARGO_TARGET_DIR (target/build-<tag>) so builds for different PHPs and the
# developer's target/release never overwrite each other. Then stripped and checked by
# tools/build/check-symbols.sh. Zig comes from PyPI's `ziglang`, installed here when missing.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
ZIGLANG_VERSION=${SGWHMCS_ZIGLANG_VERSION:-0.17.1}
RUST_TARGET=x86_64-unknown-linux-gnu
ARCH=x86_64
log() { echo "build: $*" >&2; }
die() { echo "build: $*" >&2; exit 1; }

php_config='' out=$REPO/target/builds
while [[ $# -gt 0 ]]; do
    case $1 in
        --php-config) php_config=${2:?--php-config needs a path}; shift 2 ;;
        --out) out=${2:?--out needs a directory}; shift 2 ;;
        -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument $1 (usage: $0 --php-config PATH [--out DIR])" ;;
    esac
done
[[ -n $php_config ]] || die "usage: $0 --php-config PATH [--out DIR]"
[[ $php_config == */* ]] || php_config=$(command -v "$php_config") || die "php-config not found: $php_config"
[[ -x $php_config ]] || die "not an executable php-config: $php_config"
# One spelling per php-config (symlinks resolved): ext-php-rs rebuilds when PHP_CONFIG changes.
php_config=$(readlink -f "$php_config")
mkdir -p "$out" && out=$(cd "$out" && pwd)
[[ $(uname -m) == "$ARCH" ]] || die "builds are made for $ARCH; this machine is $(uname -m)"

# --- zig, from PyPI's ziglang (kept in a private directory: no change to the system's Python) ---
zig_home=${SGWHMCS_ZIG_HOME:-${HOME:-/root}/.cache/sgwhmcs/ziglang-$ZIGLANG_VERSION}
zig=${SGWHMCS_ZIG:-$zig_home/ziglang/zig}
if [[ ! -x $zig ]]; then
    if ! python3 -m pip --version >/dev/null 2>&1; then
        if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null; then
            die "python3 and pip are needed to install zig (Debian: apt-get install python3-pip)"
        fi
        log "installing python3-pip"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >/dev/null
    fi
    # --target: a private directory, which also keeps pip off the system's externally managed
    # Python (PEP 668, Debian 12).
    log "installing ziglang $ZIGLANG_VERSION from PyPI into $zig_home"
    rm -rf "$zig_home.partial"
    python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
        --target "$zig_home.partial" "ziglang==$ZIGLANG_VERSION" 2>&1 | grep -v 'Running pip as the .root. user' >&2 || true
    [[ -x $zig_home.partial/ziglang/zig ]] || die "pip install ziglang==$ZIGLANG_VERSION did not give a zig binary"
    rm -rf "$zig_home" && mv "$zig_home.partial" "$zig_home"
fi
"$zig" version >/dev/null || die "zig at $zig does not run"

# --- the compilers: cargo, and libclang for ext-php-rs's bindgen (a C compiler comes with both) ---
command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs)"
if ! ldconfig -p 2>/dev/null | grep -q 'libclang[-.0-9]*\.so'; then
    if command -v dpkg-query >/dev/null; then bash "$REPO/tools/ensure-debs.sh" libclang-dev
    else die "libclang not found (ext-php-rs reads PHP's headers with it): install clang-devel or libclang-dev"; fi
fi

# --- the PHP: its numbers come from php-config, its `php -i` from the PHP binary it names ---
php_version=$("$php_config" --version)
php_api=$("$php_config" --phpapi)
php_bin=${PHP:-$("$php_config" --php-binary)}
[[ -x $php_bin ]] || die "the PHP of $php_config ($php_bin) is not executable; set PHP=/path/to/php"
include_dir=$("$php_config" --include-dir)
[[ -f $include_dir/main/php_config.h ]] || die "no PHP headers at $include_dir (install the PHP's -dev/-devel package)"
minor=$(cut -d. -f1,2 <<<"$php_version")
[[ $minor =~ ^[0-9]+\.[0-9]+$ && $php_api =~ ^[0-9]{8}$ ]] || die "php-config answered version '$php_version', API '$php_api'"
if grep -qE '^#define ZTS 1' "$include_dir/main/php_config.h"; then zts=true tsm=zts; else zts=false tsm=nts; fi
# The binary must be the same PHP as the headers, or the .so would be built for the wrong API.
bin_api=$("$php_bin" -n -i | sed -n 's/^PHP API => //p')
[[ $bin_api == "$php_api" ]] || die "$php_bin reports PHP API '$bin_api' but $php_config says '$php_api'"
tag=php$minor-$tsm-$ARCH
log "$tag: PHP $php_version, API $php_api, $php_config"

# --- build ---
target_dir=$REPO/target/build-$tag
cd "$REPO"
# A first build for this PHP starts from a copy of another PHP's target directory: cargo then
# rebuilds only what depends on the PHP (ext-php-rs, whose build script reruns when PHP or
# PHP_CONFIG changes, and the extension), not the 200-odd other crates. Measured: 20 s instead of
# minutes, and a .so byte-identical to a build from scratch.
if [[ ! -d $target_dir ]]; then
    seed=$(ls -1dt "$REPO"/target/build-php*-"$ARCH" 2>/dev/null | head -n1 || true)
    if [[ -n $seed && -d $seed/$RUST_TARGET/release ]]; then
        log "seeding $target_dir from $seed"
        rm -rf "$target_dir.partial"
        cp -a "$seed" "$target_dir.partial" && mv "$target_dir.partial" "$target_dir"
    fi
fi
SGWHMCS_ZIG=$zig PHP_CONFIG=$php_config PHP=$php_bin CARGO_TARGET_DIR=$target_dir \
    RUSTFLAGS="-C linker=$REPO/tools/build/zig-linker.sh" \
    cargo build --release --locked -p sgwhmcs --target "$RUST_TARGET"
built=$target_dir/$RUST_TARGET/release/libsgwhmcs.so

# --- strip, check, describe ---
dest=$out/$tag
mkdir -p "$dest"
cp "$built" "$dest/sgwhmcs.so.tmp"
if command -v strip >/dev/null; then strip --strip-all "$dest/sgwhmcs.so.tmp"
else "$zig" objcopy --strip-all "$dest/sgwhmcs.so.tmp" "$dest/sgwhmcs.so.tmp"; fi
bash "$REPO/tools/build/check-symbols.sh" "$dest/sgwhmcs.so.tmp" >&2 || die "the build fails the symbol check (above)"
mv "$dest/sgwhmcs.so.tmp" "$dest/sgwhmcs.so"
glibc_max=$(bash "$REPO/tools/build/check-symbols.sh" --glibc-max "$dest/sgwhmcs.so")
version=$(cargo pkgid -p sgwhmcs | sed 's/.*[#@]//')
printf '{"sgwhmcs": "%s", "php": "%s", "zend_api": "%s", "zts": %s, "arch": "%s", "glibc_max": "%s"}\n' \
    "$version" "$minor" "$php_api" "$zts" "$ARCH" "$glibc_max" >"$dest/build.json"
log "wrote $dest/sgwhmcs.so and $dest/build.json: $(cat "$dest/build.json")"
echo "$dest"
