#!/usr/bin/env bash
# Whole-process benchmark of `stacklint check` on the synthetic monorepos (the ones
# `cargo bench` uses: seed 42), for BENCHMARKS.md. Complements the criterion stage
# benchmarks (`cargo bench --bench pipeline`) with what a user sees: wall time at
# --jobs 1 and 2, peak memory, and the bytes read.
#
#   scripts/bench.sh [SIZES...]          default: 100 1000 10000
#   CHECKOV=/path/to/checkov scripts/bench.sh 100   # also time checkov on the same tree
#
# Each figure is the median of RUNS (default 5) runs after one warm-up run, so the page
# cache is warm for both tools. Output is a Markdown table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100 1000 10000)

cargo build --release --quiet --bin stacklint --example gen-monorepo
bin=target/release/stacklint
data=target/bench-data

# median of the wall seconds printed by RUNS runs of "$@"
median_wall() {
  local times=()
  "$@" >/dev/null 2>&1 || true
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s.%N)
    times+=("$(echo "$e - $s" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}

peak_kb() {
  { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -1
}

echo "| stacks | files | MiB | check -j1 (s) | check -j2 (s) | speed-up | peak RSS (MiB) | RSS / bytes |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${SIZES[@]}"; do
  tree=$data/synth-$n
  if [ ! -f "$tree/.complete" ]; then
    rm -rf "$tree"
    target/release/examples/gen-monorepo "$tree" "$n" 42 2>/dev/null
    touch "$tree/.complete"
  fi
  files=$(find "$tree" -type f ! -name .complete | wc -l)
  bytes=$(find "$tree" -type f ! -name .complete -printf '%s\n' | awk '{s+=$1} END {print s}')
  j1=$(median_wall "$bin" check "$tree" --no-config --jobs 1 --format json)
  j2=$(median_wall "$bin" check "$tree" --no-config --jobs 2 --format json)
  kb=$(peak_kb "$bin" check "$tree" --no-config --jobs 2 --format json)
  printf '| %s | %s | %.1f | %s | %s | %.2fx | %.0f | %.1fx |\n' "$n" "$files" \
    "$(echo "$bytes / 1048576" | bc -l)" "$j1" "$j2" "$(echo "$j1 / $j2" | bc -l)" \
    "$(echo "$kb / 1024" | bc -l)" "$(echo "$kb * 1024 / $bytes" | bc -l)"
  if [ -n "${CHECKOV:-}" ]; then
    s=$(date +%s.%N)
    "$CHECKOV" -d "$tree" --framework terraform --quiet --compact -o json >/dev/null 2>&1 || true
    e=$(date +%s.%N)
    printf '|  | checkov %s: %.1f s (%.0fx the -j2 check) | | | | | | |\n' \
      "$("$CHECKOV" --version 2>/dev/null)" "$(echo "$e - $s" | bc)" \
      "$(echo "($e - $s) / $j2" | bc -l)"
  fi
done
