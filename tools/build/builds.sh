#!/usr/bin/env bash
# `make builds`: a portable build (tools/build/build.sh) for every PHP this machine can offer:
# each host PHP with its headers (/usr/bin/php-configX.Y; Debian 12: 8.2) and PHP 8.4 from the
# Debian 13 root (tools/build/debian13-root.sh makes it once; needs root). Writes
# target/builds/<tag>/ for each (or --out DIR) and prints the tags made.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
args=("$@")
configs=()
for pc in /usr/bin/php-config[0-9]*; do
    [[ $pc =~ /php-config[0-9]+\.[0-9]+$ && -x $pc ]] && configs+=("$pc")
done
[[ ${#configs[@]} -gt 0 ]] || echo "builds: no /usr/bin/php-configX.Y on this host (Debian: apt-get install php8.2-dev)" >&2
bash "$here/debian13-root.sh" >/dev/null
configs+=("$here/debian13-php-config.sh")
made=()
for pc in "${configs[@]}"; do
    start=$SECONDS
    dest=$(bash "$here/build.sh" --php-config "$pc" "${args[@]}")
    made+=("$(basename "$dest")")
    echo "builds: $(basename "$dest") in $((SECONDS - start)) s" >&2
done
echo "builds: made ${made[*]}" >&2
