#!/usr/bin/env bash
# Proves a built extension loads on the oldest glibc WHMCS hosts run (AlmaLinux/CloudLinux/RHEL 8:
# glibc 2.28): every GLIBC_x.y symbol version the .so asks the loader for is <= the limit, and it
# links nothing but the C runtime (libc, libm, libgcc_s, libpthread, libdl, the loader).
#
#   tools/build/check-symbols.sh [--max 2.28] SO...    # prints the figures; exit 1 if any fails
#   tools/build/check-symbols.sh --glibc-max SO        # prints only the highest GLIBC_ version
#
# The figures come from the ELF itself (readelf): the version needs (.gnu.version_r, what the
# dynamic loader checks) and DT_NEEDED.
set -euo pipefail

MAX=2.28
ALLOWED_NEEDED='^(libc\.so\.6|libm\.so\.6|libgcc_s\.so\.1|libpthread\.so\.0|libdl\.so\.2|ld-linux-x86-64\.so\.2)$'
command -v readelf >/dev/null || { echo "check-symbols: readelf not found (Debian: apt-get install binutils)" >&2; exit 2; }

# Every GLIBC_ version the .so needs, from any library, one a line, oldest first.
glibc_versions() {
    LC_ALL=C readelf -V -W "$1" | sed -n '/\.gnu\.version_r/,$p' \
        | grep -oE 'Name: GLIBC_[^ ]+' | sed 's/^Name: GLIBC_//' | sort -u -V
}
needed() { LC_ALL=C readelf -d -W "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
# a <= b for dotted versions.
version_le() { [[ $(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1) == "$1" ]]; }

if [[ ${1:-} == --glibc-max ]]; then
    [[ $# == 2 ]] || { echo "usage: $0 --glibc-max SO" >&2; exit 2; }
    glibc_versions "$2" | grep -E '^[0-9.]+$' | tail -n1
    exit 0
fi
if [[ ${1:-} == --max ]]; then MAX=$2; shift 2; fi
[[ $# -ge 1 ]] || { echo "usage: $0 [--max 2.28] SO..." >&2; exit 2; }

failed=0
for so in "$@"; do
    if [[ ! -f $so ]]; then echo "FAIL $so: no such file"; failed=1; continue; fi
    problems=()
    versions=$(glibc_versions "$so")
    top=$(grep -E '^[0-9.]+$' <<<"$versions" | tail -n1 || true)
    odd=$(grep -vE '^[0-9.]+$' <<<"$versions" | grep . || true)   # GLIBC_PRIVATE and the like
    [[ -n $top ]] || problems+=("no GLIBC_ version needs found (not a glibc .so?)")
    if [[ -n $top ]] && ! version_le "$top" "$MAX"; then
        newer=$(while read -r v; do version_le "$v" "$MAX" || printf 'GLIBC_%s ' "$v"; done <<<"$versions")
        problems+=("needs glibc newer than $MAX: ${newer% }")
    fi
    [[ -z $odd ]] || problems+=("needs non-public glibc versions: $(sed 's/^/GLIBC_/' <<<"$odd" | tr '\n' ' ')")
    libs=$(needed "$so" | tr '\n' ' ')
    extra=$(needed "$so" | grep -vE "$ALLOWED_NEEDED" | tr '\n' ' ' || true)
    [[ -z $extra ]] || problems+=("links libraries beyond the C runtime: ${extra% }")
    size=$(stat -c %s "$so")
    printf '%s %s: glibc max GLIBC_%s (limit %s), NEEDED: %s, size %s bytes\n' \
        "$([[ ${#problems[@]} == 0 ]] && echo PASS || echo FAIL)" "$so" "${top:-none}" "$MAX" "${libs% }" "$size"
    for p in "${problems[@]}"; do echo "     $p"; done
    [[ ${#problems[@]} == 0 ]] || failed=1
done
exit $failed
