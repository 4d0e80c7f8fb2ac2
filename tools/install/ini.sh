#!/usr/bin/env bash
# Prints sgwhmcs.ini, the file that loads the extension, from the extension's own table of INI
# directives (src/ini.rs, shown by `php --ri sgwhmcs`): every directive with its default, commented
# out. So the directives and their defaults have one declaration, and this file cannot drift.
#
#   bash tools/install/ini.sh EXT [PHP]     (EXT: the built libsgwhmcs.so)
set -euo pipefail
EXT=${1:?usage: ini.sh EXT [PHP]}
PHP=${2:-php}

# -n: no php.ini, so the master values are the extension's registered defaults.
INFO=$("$PHP" -n -d "extension=$EXT" --ri sgwhmcs) || {
    echo "ini.sh: PHP could not load $EXT" >&2
    exit 1
}
DIRECTIVES=$(printf '%s\n' "$INFO" | sed -n 's/^\(sgwhmcs\.[a-z_]*\) => .* => \(.*\)$/\1 \2/p')
[ -n "$DIRECTIVES" ] || {
    echo "ini.sh: php --ri sgwhmcs listed no directive" >&2
    exit 1
}

cat <<'HEAD'
; sgwhmcs: the Backup Server module for WHMCS, a native PHP extension.
; Enabled for php-fpm and the CLI (WHMCS's cron) by phpenmod; see the project's README ("Install")
; and docs/extension-api.md ("INI directives") for what each directive means.
; priority=20
extension=sgwhmcs.so

; The directives with their defaults; uncomment a line to change it.
HEAD
while read -r name default; do
    [ "$default" = "no value" ] && default=""
    printf ';%s =%s\n' "$name" "${default:+ $default}"
done <<<"$DIRECTIVES"
