#!/usr/bin/env bash
# Writes a golden case as a patch of the stack it was copied from (tests/it/golden.rs):
#   scripts/golden-patch.sh tests/cases/err/NAME.pmig stacks/payment.pmig
# replaces NAME.pmig by NAME.patch, the unified diff from BASE to the case. The tests read the
# patch applied to BASE, so the case reads exactly as before; check with `cargo test cases::`.
# To edit a patched case: `patch -o /tmp/case.pmig BASE < NAME.patch`, edit, and run this again.
set -euo pipefail
cd "$(dirname "$0")/.."
case_file=${1:?usage: scripts/golden-patch.sh CASE.pmig BASE.pmig}
base=${2:?usage: scripts/golden-patch.sh CASE.pmig BASE.pmig}
out="${case_file%.pmig}.patch"
# diff exits 1 when the files differ, which is the point.
diff -u --label "$base" --label "$case_file" "$base" "$case_file" > "$out" || [ $? -eq 1 ]
rm "$case_file"
echo "wrote $out ($(wc -l < "$out") lines for $(wc -l < "$base") in $base)"
