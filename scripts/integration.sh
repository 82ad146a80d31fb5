#!/usr/bin/env bash
# Applies every workspace of stacks/payment.pmig for real, with the Terraform CLI, against a
# local AWS emulator (moto), and checks what a platform team relies on:
#   - apply creates every resource, `output -json` has every output, and a second plan is empty
#     (no perpetual diff);
#   - no secret value seeded into the emulator occurs in the state after apply;
#   - walking the cutover phases with the per-phase variable files (aws-production: every phase,
#     0 → 10 → 25 → 50 → 75 → 100 → back to 0; legacy-sync: 10 → back to 0) changes only the two
#     Route 53 records, and the emulator serves the weights;
#   - destroy (after turning deletion protection off, as an operator would) removes everything;
#   - state lives in the root's own S3 backend (as compiled, with use_lockfile) on the emulator,
#     and a second writer is refused while the first holds the lock.
# The emulator's gaps are patched in tests/integration/moto_launcher.py, never in the output
# (see tests/integration/README.md). Logs: target/integration/.
#
# Needs: terraform on PATH, an offline provider directory (TF_PLUGIN_DIR, default
# /opt/tf-plugins), python3 with venv; installs moto into target/it-venv. PMIGC=path uses that
# binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v terraform >/dev/null; then
  echo "skipped: no terraform on PATH"
  exit 0
fi
plugins=${TF_PLUGIN_DIR:-/opt/tf-plugins}
if [ ! -d "$plugins" ]; then
  echo "skipped: no offline provider plugin directory at $plugins (set TF_PLUGIN_DIR)"
  exit 0
fi

MOTO_VERSION=5.2.5
venv=target/it-venv
work=target/integration
rm -rf "$work"
mkdir -p "$work"
started=$SECONDS
step() { printf '[%4ds] %s\n' "$((SECONDS - started))" "$*"; }
fail() { step "FAIL: $*"; exit 1; }

if [ ! -x "$venv/bin/moto_server" ]; then
  step "installing moto $MOTO_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "moto[server]==$MOTO_VERSION" boto3
fi
py=$venv/bin/python

pmigc=${PMIGC:-}
if [ -z "$pmigc" ]; then
  cargo build --quiet --locked --release
  pmigc=target/release/pmigc
fi

# Each workspace gets its own emulator, as if in its own AWS account: in one account the two
# would collide (DMS's fixed-name IAM roles, the weighted records; see the README).
emulators=()
holder=
teardown=
cleanup() {
  [ -n "$holder" ] && kill "$holder" 2>/dev/null
  [ -n "$teardown" ] && kill "$teardown" 2>/dev/null
  for pid in "${emulators[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  true
}
trap cleanup EXIT

# Starts a patched emulator for workspace $1, seeds it, and writes the stack under test
# (stacks/payment.pmig with the id of the VPN gateway that emulator made); sets $endpoint.
start_emulator() {
  local ws=$1 port pid vgw
  port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  endpoint=http://127.0.0.1:$port
  "$py" tests/integration/moto_launcher.py "$port" >"$work/$ws-moto.log" 2>&1 &
  pid=$!
  emulators+=("$pid")
  for _ in $(seq 100); do
    grep -q "moto ready" "$work/$ws-moto.log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/$ws-moto.log"; fail "the emulator did not start"; }
    sleep 0.1
  done
  grep -q "moto ready" "$work/$ws-moto.log" || fail "the emulator did not answer within 10 s"
  vgw=$("$py" tests/integration/seed.py "$endpoint")
  mkdir -p "$work/$ws"
  sed "s/vgw-0a1b2c3d4e5f67890/$vgw/" stacks/payment.pmig >"$work/$ws/payment.pmig"
  step "$ws: emulator (moto $MOTO_VERSION, patched) on $endpoint, pid $pid; seeded the secret, VPN gateway $vgw, zone and certificate"
}

# The user's own CLI configuration (plugin caches, credentials helpers) stays out of the test.
: >"$work/terraformrc"
export TF_CLI_CONFIG_FILE=$work/terraformrc TF_IN_AUTOMATION=1 TF_INPUT=0
# Every phase in the workspace where the cutover happens; a change and its rollback in the
# other (INTEGRATION_WALK=all walks every phase in both, about 2 minutes more).
walk() {
  if [ "$1" = aws-production ] || [ "${INTEGRATION_WALK:-}" = all ]; then
    echo 0 10 25 50 75 100 0
  else
    echo 10 0
  fi
}
created=0
verified=0

# Build, apply, read back, re-plan; the S3 lock (once); the phase walk.
bring_up() {
  local ws=$1 root=$work/out/$1 count code weight file
  tf() { terraform -chdir="$root" "$@" -no-color; }
  start_emulator "$ws"
  "$pmigc" build "$work/$ws/payment.pmig" --workspace "$ws" --out "$work/out" 2>/dev/null
  "$py" tests/integration/override.py "$root" "$endpoint" s3
  tf init -plugin-dir="$plugins" -input=false >"$work/$ws-init.log" 2>&1 || { cat "$work/$ws-init.log"; fail "$ws: init"; }
  step "$ws: built and initialised (S3 backend on the emulator)"

  tf apply -auto-approve -input=false >"$work/$ws-apply.log" 2>&1 || { tail -40 "$work/$ws-apply.log"; fail "$ws: apply"; }
  count=$(tf state list | grep -vc '^data\.')
  created=$((created + count))
  step "$ws: applied, $count resources created"

  tf output -json >"$work/$ws-outputs.json"
  "$py" tests/integration/check.py outputs "$work/$ws-outputs.json" "$root" || fail "$ws: outputs"
  set +e
  tf plan -detailed-exitcode -input=false >"$work/$ws-replan.log" 2>&1
  code=$?
  set -e
  [ "$code" = 0 ] || { grep -E '^\s+[~+-]|will be|must be' "$work/$ws-replan.log" | head -60 || true; fail "$ws: a second plan is not empty (exit $code): perpetual diff"; }
  step "$ws: a second plan has no changes"
  # The passwords reach AWS only through write-only arguments: no value seed.py put into the
  # secret may occur in the state.
  if tf state pull | grep -Eq 'integration-(admin|dms)-pw'; then fail "$ws: a seeded secret value is in the state"; fi
  step "$ws: no seeded secret value in the state"

  if [ "$ws" = legacy-sync ]; then
    lock "$root"
    step "$ws: while one writer held the state lock, a second was refused"
  fi

  # The empty second plan proved the state matches the emulator, so the phase plans skip the
  # refresh (each would re-read 93 resources).
  for weight in $(walk "$ws"); do
    file=phases/$(printf '%03d' "$weight").tfvars.json
    tf plan -input=false -refresh=false -var-file="$file" -out=phase.plan >"$work/$ws-phase-$weight.log" 2>&1 || { tail -20 "$work/$ws-phase-$weight.log"; fail "$ws: plan of $file"; }
    tf show -json phase.plan >"$work/$ws-phase-$weight.json"
    "$py" tests/integration/check.py only-route53 "$work/$ws-phase-$weight.json" || fail "$ws: phase $weight%"
    tf apply -input=false phase.plan >>"$work/$ws-phase-$weight.log" 2>&1 || { tail -20 "$work/$ws-phase-$weight.log"; fail "$ws: apply of $file"; }
    "$py" tests/integration/check.py weights "$endpoint" example.com pay.example.com "$weight" || fail "$ws: weights at $weight%"
    verified=$((verified + 1))
    step "$ws: phase $weight% applied; only Route 53 records changed"
  done
}

# One writer holds the lock (an apply waiting at its prompt); a second must be refused.
lock() {
  local root=$1 fifo=$work/answer code
  mkfifo "$fifo"
  terraform -chdir="$root" apply -var-file=phases/010.tfvars.json -no-color <"$fifo" >"$work/lock-holder.log" 2>&1 &
  holder=$!
  exec 3>"$fifo"
  for _ in $(seq 300); do grep -q "Enter a value" "$work/lock-holder.log" && break; sleep 0.1; done
  grep -q "Enter a value" "$work/lock-holder.log" || fail "the first writer never reached its prompt"
  set +e
  terraform -chdir="$root" plan -lock-timeout=0s -input=false -no-color >"$work/lock-second.log" 2>&1
  code=$?
  set -e
  echo no >&3
  exec 3>&-
  wait "$holder" || true
  holder=
  [ "$code" != 0 ] && grep -q "Error acquiring the state lock" "$work/lock-second.log" ||
    { cat "$work/lock-second.log"; fail "a second writer was not refused by the lock"; }
  "$py" - "$endpoint" "$root" <<'PY' || fail "state or lock file not as expected in the bucket"
import json, sys, boto3
endpoint, root = sys.argv[1], sys.argv[2]
backend = json.load(open(f"{root}/terraform.tf.json"))["terraform"]["backend"]["s3"]
s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test")
keys = [o["Key"] for o in s3.list_objects_v2(Bucket=backend["bucket"]).get("Contents", [])]
assert backend["key"] in keys, f"no state object {backend['key']} in {keys}"
assert backend["key"] + ".tflock" not in keys, f"lock left behind: {keys}"
state = json.loads(s3.get_object(Bucket=backend["bucket"], Key=backend["key"])["Body"].read())
print(f"state in s3://{backend['bucket']}/{backend['key']}: {len(state['resources'])} resources, serial {state['serial']}")
PY
}

# Deletion protection off (as an operator would do first), then destroy; the state must be empty.
tear_down() {
  local ws=$1 root=$work/out/$1 endpoint=$2
  tf() { terraform -chdir="$root" "$@" -no-color; }
  "$py" tests/integration/unprotect.py "$root" >"$work/$ws-unprotect.log"
  tf apply -auto-approve -input=false >>"$work/$ws-unprotect.log" 2>&1 || { tail -20 "$work/$ws-unprotect.log"; return 1; }
  tf destroy -auto-approve -input=false >"$work/$ws-destroy.log" 2>&1 || { tail -40 "$work/$ws-destroy.log"; return 1; }
  [ -z "$(tf state list)" ] || { echo "$ws: state not empty after destroy"; return 1; }
  "$py" tests/integration/check.py empty "$endpoint"
}

# The workspaces are brought up one after the other. Tearing one down is nearly all the
# provider's waiting (Aurora, the DMS task's stop-then-delete), so legacy-sync is destroyed in
# the background while aws-production is brought up.
bring_up legacy-sync
tear_down legacy-sync "$endpoint" >"$work/legacy-sync-teardown.log" 2>&1 &
teardown=$!
step "legacy-sync: tearing down in the background (pid $teardown)"
bring_up aws-production
tear_down aws-production "$endpoint" || fail "aws-production: destroy"
step "aws-production: destroyed"
wait "$teardown" || { cat "$work/legacy-sync-teardown.log"; fail "legacy-sync: destroy"; }
teardown=
step "legacy-sync: destroyed"

step "integration: $created resources created, $verified phase changes verified, destroyed cleanly, lock refused a second writer"
