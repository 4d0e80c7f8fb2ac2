#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for SECONDS each (default 60), on a temporary copy of
# its seed corpus so the committed corpus does not grow. Prints one line per target and exits
# non-zero when a target finds a crash (the input is kept under fuzz/artifacts/<target>/).
#
#   tools/fuzz.sh [SECONDS] [TARGET...]
#
# Works on stable Rust: cargo-fuzz's nightly flags are allowed through RUSTC_BOOTSTRAP=1.
# Installs cargo-fuzz (cargo install --locked) when `cargo fuzz` is missing. Needs a C++
# compiler (libFuzzer is built from source by libfuzzer-sys).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
[ $# -gt 0 ] && shift
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: tools/fuzz.sh [SECONDS] [TARGET...]" >&2
    exit 2
fi

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "Installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

cd "$root"
if [ $# -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets found" >&2; exit 2; }

# Debug assertions on, so that integer overflow is a crash too. AddressSanitizer by default
# (cargo-fuzz's own default); FUZZ_SANITIZER=none runs about 3x more inputs per second, which
# suits the safe Rust under test (switching rebuilds the dependencies once).
build=(--debug-assertions --sanitizer "${FUZZ_SANITIZER:-address}")

echo "Building ${targets[*]}" >&2
for target in "${targets[@]}"; do
    cargo fuzz build "${build[@]}" "$target"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/sgwhmcs-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT

summary=()
failed=0
for target in "${targets[@]}"; do
    corpus="$work/corpus-$target"
    mkdir -p "$corpus"
    if [ -d "fuzz/corpus/$target" ]; then
        cp -R "fuzz/corpus/$target/." "$corpus/"
    fi
    args=(-max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1)
    if [ -f "fuzz/dicts/$target.dict" ]; then
        args+=(-dict="fuzz/dicts/$target.dict")
    fi
    log="$work/$target.log"
    echo "Fuzzing $target for ${seconds}s" >&2
    status=0
    cargo fuzz run "${build[@]}" "$target" "$corpus" -- "${args[@]}" >"$log" 2>&1 || status=$?
    runs="$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n1)"
    [ -n "$runs" ] || runs="$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n1)"
    runs="${runs:-0}"
    per_sec=$(( runs / seconds ))
    if [ "$status" -eq 0 ]; then
        summary+=("$target: ok, $runs runs in ${seconds}s (~$per_sec exec/s), corpus $(find "$corpus" -type f | wc -l) inputs")
    else
        failed=1
        artifact="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n1)"
        # What failed: the panic (or sanitizer report) and its first frames; the full log is long
        # (it repeats the input) and is kept next to the input.
        if grep -q "panicked at\|ERROR: \(AddressSanitizer\|libFuzzer\)" "$log"; then
            grep -m1 -A12 "panicked at\|ERROR: \(AddressSanitizer\|libFuzzer\)" "$log" | cut -c1-300 >&2
        else
            tail -n 30 "$log" | cut -c1-300 >&2
        fi
        if [ -n "$artifact" ]; then
            cp "$log" "$artifact.log" 2>/dev/null || true
        fi
        summary+=("$target: FAILED (exit $status) after ~$runs runs${artifact:+, input in $artifact}; reproduce with: RUSTC_BOOTSTRAP=1 cargo fuzz run ${build[*]} $target ${artifact:-<input>}")
    fi
done

printf '%s\n' "${summary[@]}"
exit "$failed"
