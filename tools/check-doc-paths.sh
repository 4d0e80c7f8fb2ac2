#!/usr/bin/env bash
# Every document a file of the repository cites (a path ending in .md or .txt, in code, tests or
# docs) must exist in the repository, so that a clone can follow every reference. A cited path is
# found when it exists relative to the repository root, to the citing file's folder, or (a bare
# name such as `settings.md`) in docs/. Paths built at run time (containing `$` or `{`) and URLs
# are not references. The design inputs the project was started from live outside the repository
# (a `shared` folder beside it); no file may point there, nor name them.
set -euo pipefail
cd "$(dirname "$0")/.."

failed=0
files=$(git ls-files --cached --others --exclude-standard | sort -u | grep -v -e '^fuzz/corpus/' -e '^target/' -e '^tools/check-doc-paths.sh$' || true)

# Never a path outside the repository.
if outside=$(printf '%s\n' "$files" | xargs -d '\n' grep -n -I -e 'shared/''design' -e 'whmcs-contract\.md' \
    -e 'config-options\.md' -e 'whmcs-features\.md' -e 'product-guide\.txt' 2>/dev/null); then
    echo "check-doc-paths: references to documents outside the repository:" >&2
    echo "$outside" >&2
    failed=1
fi

checked=0
while IFS=: read -r file line cited; do
    # Built at run time, or the tail of a URL (`https://…` leaves `//…`).
    case "$cited" in *'$'* | *'{'* | *'}'* | //*) continue ;; esac
    path=${cited#/}
    path=${path#./}
    # `../docs/x.md` from a crate's folder (CARGO_MANIFEST_DIR) names the repository's docs/x.md.
    while [ "${path#../}" != "$path" ]; do path=${path#../}; done
    dir=$(dirname "$file")
    if [ -e "$path" ] || [ -e "$dir/$path" ] || { [ "${path#*/}" = "$path" ] && [ -e "docs/$path" ]; }; then
        checked=$((checked + 1))
        continue
    fi
    echo "check-doc-paths: $file:$line cites $cited, which is not in the repository" >&2
    failed=1
done < <(printf '%s\n' "$files" | xargs -d '\n' grep -n -o -I -E '[A-Za-z0-9_./${}-]+\.(md|txt)\b' 2>/dev/null \
    | grep -v -E '^[^:]+:[0-9]+://' || true)

if [ "$failed" -ne 0 ]; then
    exit 1
fi
echo "check-doc-paths: $checked cited document paths, all in the repository"
