#!/usr/bin/env bash
# Runs `terraform init -backend=false` + `terraform validate` on every built root under DIR
# (default out/), using an offline AWS provider plugin directory. Prints "skipped" and exits 0
# when no Terraform CLI or no provider plugin is installed.
set -euo pipefail
dir=${1:-out}
if ! command -v terraform >/dev/null 2>&1; then
  echo "skipped: no terraform on PATH"
  exit 0
fi
plugins=${TF_PLUGIN_DIR:-}
if [ -z "$plugins" ]; then
  binary=$(find / -path /proc -prune -o -name 'terraform-provider-aws*' -type f -print 2>/dev/null | head -n 1)
  if [ -z "$binary" ]; then
    echo "skipped: no offline terraform-provider-aws plugin found (set TF_PLUGIN_DIR)"
    exit 0
  fi
  # …/registry.terraform.io/hashicorp/aws/VERSION/OS_ARCH/terraform-provider-aws_…
  plugins=${binary%/registry.terraform.io/*}
fi
export TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1
status=0
for root in "$dir"/*/; do
  [ -f "$root/main.tf.json" ] || continue
  work=$(mktemp -d)
  cp "$root"/*.tf.json "$work/"
  if (cd "$work" && terraform init -backend=false -input=false -no-color -plugin-dir="$plugins" >log 2>&1 \
        && terraform validate -no-color >>log 2>&1); then
    echo "valid: $root"
  else
    echo "INVALID: $root"; grep -v '^$' "$work/log" | tail -n 30
    status=1
  fi
  rm -rf "$work"
done
exit $status
