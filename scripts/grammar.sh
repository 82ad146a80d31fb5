#!/usr/bin/env bash
# Tests the VS Code extension's TextMate grammar: tokenizes a stack (default
# stacks/payment.pmig) with vscode-textmate + vscode-oniguruma and asserts real scopes
# (editors/vscode/test/tokenize.js). Installs the two npm packages itself from the committed
# package-lock.json into editors/vscode/test/node_modules (git-ignored). Prints "skipped"
# where node or npm is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
stack=${1:-stacks/payment.pmig}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "grammar: skipped (node or npm not found)"
  exit 0
fi
test_dir=editors/vscode/test
if [ ! -d "$test_dir/node_modules/vscode-textmate" ] || [ "$test_dir/package-lock.json" -nt "$test_dir/node_modules" ]; then
  (cd "$test_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  touch "$test_dir/node_modules"
fi
node "$test_dir/tokenize.js" "$stack"
