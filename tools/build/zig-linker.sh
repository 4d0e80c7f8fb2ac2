#!/usr/bin/env bash
# The linker rustc calls for a portable build (tools/build/build.sh sets it with -C linker=…):
# `zig cc -target x86_64-linux-gnu.2.28` links against glibc 2.28's symbol versions, so the .so
# loads on AlmaLinux/CloudLinux/RHEL 8 and every newer glibc. Zig comes from PyPI's `ziglang`;
# build.sh passes its path in SGWHMCS_ZIG.
#
# rustc speaks to a gcc-style driver; a few of its arguments mean nothing to zig's (they choose
# rustc's bundled lld, which zig replaces with its own) and are left out here.
set -euo pipefail
: "${SGWHMCS_ZIG:?set by tools/build/build.sh: the zig binary of the ziglang package}"
target=${SGWHMCS_ZIG_TARGET:-x86_64-linux-gnu.2.28}
args=()
for a in "$@"; do
    case $a in
        -fuse-ld=*|-B*gcc-ld*|-Wl,-znostart-stop-gc) ;;   # rustc's own lld selection
        *) args+=("$a") ;;
    esac
done
exec "$SGWHMCS_ZIG" cc -target "$target" "${args[@]}"
