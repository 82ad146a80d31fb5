#!/usr/bin/env bash
# The performance table of docs/performance.md: whole-process wall time and peak memory (GNU time) of the
# release build, for `check` and `build` (both workspaces, into an empty directory), on
# stacks/payment.pmig and on generated stacks with N extra services. Median of 5 runs.
# Usage: scripts/perf.sh [N...]   (default: 10 100 1000 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --locked --release --bin pmigc --example synth_stack
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | sed -n 3p; }
# Wall time of one command in milliseconds (bash's clock, so no wrapper process is timed).
wall() {
  local start=$EPOCHREALTIME
  "$@" >/dev/null 2>&1
  local end=$EPOCHREALTIME
  echo "$(( (${end/./} - ${start/./}) ))" | awk '{ printf "%.1f\n", $1 / 1000 }'
}
# Peak resident memory of one command in MB.
peak() {
  /usr/bin/time -f "%M" -o "$work/t" "$@" >/dev/null 2>&1
  awk '{ printf "%.1f\n", $1 / 1024 }' "$work/t"
}
run() { # run LABEL STACK: one table row
  local label=$1 stack=$2 cw=() bw=() i resources
  for i in 1 2 3 4 5; do
    cw+=("$(wall target/release/pmigc check "$stack")")
    bw+=("$(wall target/release/pmigc build "$stack" --out "$work/out$i")")
  done
  rm -rf "$work"/out*
  resources=$(target/release/pmigc build "$stack" --out "$work/out" --timings 2>&1 |
    sed -n 's/.*; \([0-9]*\) resources.*/\1/p')
  rm -rf "$work/out"
  printf '| %s | %s | %s ms | %s MB | %s ms | %s MB |\n' "$label" "$resources" \
    "$(printf '%s\n' "${cw[@]}" | median)" "$(peak target/release/pmigc check "$stack")" \
    "$(printf '%s\n' "${bw[@]}" | median)" "$(peak target/release/pmigc build "$stack" --out "$work/out")"
}
echo "| N | resources (2 roots) | check wall | check peak | build wall | build peak |"
echo "|---:|---:|---:|---:|---:|---:|"
run "0 (payment)" stacks/payment.pmig
for n in "${@:-10 100 1000 5000}"; do
  for one in $n; do
    target/release/examples/synth_stack --services "$one" >"$work/n$one.pmig"
    run "$one" "$work/n$one.pmig"
  done
done
