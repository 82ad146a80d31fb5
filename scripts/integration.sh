#!/usr/bin/env bash
# Applies stacks for real, with the Terraform CLI, against a local AWS emulator (moto), and
# checks what a platform team relies on. One function per stack; each stack gets one emulator,
# which is one AWS account, and every workspace of the stack is applied into it side by side.
#
# stacks/payment.pmig (payment_stack):
#   - both workspaces applied into ONE account, legacy-sync first (it creates DMS's fixed-name
#     roles, `dms_roles`), then aws-production (which owns the cutover's records): no collision;
#   - apply creates every resource, `output -json` has every output, and a second plan is empty
#     (no perpetual diff);
#   - the S3 backend's lock refuses a second writer while the first holds it;
#   - walking the cutover's phases the way the runbook says (`pmigc move`, build, apply;
#     aws-production: 0 → 10 → 25 → 50 → 75 → 100 → back to 0) changes only the two Route 53
#     records, and the emulator serves the weights;
#   - at 100 %, the ledger's data cutover (`pmigc move ledger_data aurora`, build, apply): the
#     writer name in the private zone switches to Aurora, the forward task stops, the fallback
#     (Aurora → the data centre, changes only, loopback prevention) exists, points that way and
#     runs; a traffic rollback is then refused; the data rollback (`datacentre`) switches it all
#     back; only then does the traffic roll back to 0;
#   - destroy (after turning deletion protection off, as an operator would) removes everything.
# stacks/marketplace.pmig (marketplace_stack): two cutovers, two replications:
#   - both workspaces applied into one account; the gate alarms read back with the thresholds
#     of their conditions (2 s, 5 s, 30 s: one pair each);
#   - admin_traffic moved to 100 %, then api_traffic walked 0 → 5 → 25 → 50 → 100 → back to 0:
#     at every step the emulator serves admin at 100 % and api at the step's weight, and each
#     plan changes only api's records.
# In every workspace of every stack, no secret value seeded into the emulator occurs in the
# state after apply (passwords reach AWS only through write-only arguments).
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

emulators=()
holder=
cleanup() {
  [ -n "$holder" ] && kill "$holder" 2>/dev/null
  for pid in "${emulators[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  true
}
trap cleanup EXIT

# Starts a patched emulator (one AWS account) named $1; sets $endpoint.
start_emulator() {
  local name=$1 port pid
  port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  endpoint=http://127.0.0.1:$port
  "$py" tests/integration/moto_launcher.py "$port" >"$work/$name-moto.log" 2>&1 &
  pid=$!
  emulators+=("$pid")
  for _ in $(seq 100); do
    grep -q "moto ready" "$work/$name-moto.log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name-moto.log"; fail "the emulator did not start"; }
    sleep 0.1
  done
  grep -q "moto ready" "$work/$name-moto.log" || fail "the emulator did not answer within 10 s"
  step "$name: one account: emulator (moto $MOTO_VERSION, patched) on $endpoint, pid $pid"
}

# The user's own CLI configuration (plugin caches, credentials helpers) stays out of the test.
: >"$work/terraformrc"
export TF_CLI_CONFIG_FILE=$work/terraformrc TF_IN_AUTOMATION=1 TF_INPUT=0
created=0
verified=0

tf() { local root=$1; shift; terraform -chdir="$root" "$@" -no-color; }

# Points root $1 (workspace $2) at the emulator, its S3 backend included, and initialises it.
prepare() {
  local root=$1 ws=$2
  "$py" tests/integration/override.py "$root" "$endpoint" s3
  tf "$root" init -plugin-dir="$plugins" -input=false >"$work/$ws-init.log" 2>&1 || { cat "$work/$ws-init.log"; fail "$ws: init"; }
}

# Applies root $1 of workspace $2: every resource, every output, then an empty second plan.
bring_up() {
  local root=$1 ws=$2 count code
  prepare "$root" "$ws"
  tf "$root" apply -auto-approve -input=false >"$work/$ws-apply.log" 2>&1 || { tail -40 "$work/$ws-apply.log"; fail "$ws: apply"; }
  count=$(tf "$root" state list | grep -vc '^data\.')
  created=$((created + count))
  step "$ws: applied, $count resources created"
  tf "$root" output -json >"$work/$ws-outputs.json"
  "$py" tests/integration/check.py outputs "$work/$ws-outputs.json" "$root" || fail "$ws: outputs"
  set +e
  tf "$root" plan -detailed-exitcode -input=false -out=replan.plan >"$work/$ws-replan.log" 2>&1
  code=$?
  set -e
  # Exit 2 also when the only "change" is the gate's check-scoped data source, which Terraform
  # always re-reads at apply (hashicorp/terraform#35226): the saved plan tells the two apart.
  if [ "$code" = 2 ]; then
    tf "$root" show -json replan.plan >"$work/$ws-replan.json"
    "$py" tests/integration/check.py no-changes "$work/$ws-replan.json" && code=0
  fi
  [ "$code" = 0 ] || { grep -E '^\s+[~+-]|will be|must be' "$work/$ws-replan.log" | head -60 || true; fail "$ws: a second plan is not empty (exit $code): perpetual diff"; }
  step "$ws: a second plan has no changes"
  # The passwords reach AWS only through write-only arguments: no value seed.py put into the
  # secret (`integration-KEY`) may occur in the state.
  if tf "$root" state pull | grep -q 'integration-'; then fail "$ws: a seeded secret value is in the state"; fi
  step "$ws: no seeded secret value in the state"
}

# One phase step as the runbook prints it: `pmigc move` (the one-line change of the stack),
# build, then plan (which must touch only the moved cutover's Route 53 records) and apply.
# The empty second plan proved the state matches the emulator, so the phase plans skip the
# refresh.
move() {
  local stack=$1 out=$2 ws=$3 cutover=$4 weight=$5 root=$2/$3 log
  log=$work/$ws-$cutover-$weight
  "$pmigc" move "$cutover" "$weight%" --workspace "$ws" "$stack" 2>>"$log.log" || fail "$ws: pmigc move $cutover $weight%"
  "$pmigc" build "$stack" --out "$out" >>"$log.log" 2>&1 || fail "$ws: build after moving $cutover"
  tf "$root" plan -input=false -refresh=false -out=phase.plan >>"$log.log" 2>&1 || { tail -20 "$log.log"; fail "$ws: plan of $cutover at $weight%"; }
  tf "$root" show -json phase.plan >"$log.json"
  "$py" tests/integration/check.py only-route53 "$log.json" "$cutover" || fail "$ws: $cutover to $weight%"
  tf "$root" apply -input=false phase.plan >>"$log.log" 2>&1 || { tail -20 "$log.log"; fail "$ws: apply of $cutover at $weight%"; }
  verified=$((verified + 1))
}

# A data cutover step as the runbook prints it: `pmigc move DATA_CUTOVER STATE`, build, then a
# plan that touches only what a data cutover changes, and apply.
data_move() {
  local stack=$1 out=$2 ws=$3 name=$4 state=$5 root=$2/$3 log
  log=$work/$ws-$name-$state
  "$pmigc" move "$name" "$state" --workspace "$ws" "$stack" 2>>"$log.log" || { cat "$log.log"; fail "$ws: pmigc move $name $state"; }
  "$pmigc" build "$stack" --out "$out" >>"$log.log" 2>&1 || fail "$ws: build after moving $name"
  tf "$root" plan -input=false -refresh=false -out=data.plan >>"$log.log" 2>&1 || { tail -20 "$log.log"; fail "$ws: plan of $name at $state"; }
  tf "$root" show -json data.plan >"$log.json"
  "$py" tests/integration/check.py data-plan "$log.json" || fail "$ws: $name to $state"
  tf "$root" apply -input=false data.plan >>"$log.log" 2>&1 || { tail -20 "$log.log"; fail "$ws: apply of $name at $state"; }
  verified=$((verified + 1))
}

# One writer holds the lock (a destroy waiting at its confirmation prompt, answered "no": an
# apply of an unchanged root never prompts); a second must be refused.
lock() {
  local root=$1 fifo=$work/answer code
  mkfifo "$fifo"
  TF_INPUT=1 terraform -chdir="$root" destroy -no-color <"$fifo" >"$work/lock-holder.log" 2>&1 &
  holder=$!
  exec 3>"$fifo"
  for _ in $(seq 900); do grep -q "Enter a value" "$work/lock-holder.log" && break; sleep 0.1; done
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
  local root=$1 ws=$2
  "$py" tests/integration/unprotect.py "$root" >"$work/$ws-unprotect.log"
  tf "$root" apply -auto-approve -input=false >>"$work/$ws-unprotect.log" 2>&1 || { tail -20 "$work/$ws-unprotect.log"; return 1; }
  tf "$root" destroy -auto-approve -input=false >"$work/$ws-destroy.log" 2>&1 || { tail -40 "$work/$ws-destroy.log"; return 1; }
  [ -z "$(tf "$root" state list)" ] || { echo "$ws: state not empty after destroy"; return 1; }
}

# The payment stack: both workspaces side by side in one account, its phases, the lock, destroy.
payment_stack() {
  local dir=$work/payment vgw out weight
  out=$dir/out
  start_emulator payment
  # Two gateways: each workspace attaches its own (one VPC per gateway).
  vgw=$(IT_GATEWAYS=2 "$py" tests/integration/seed.py "$endpoint" payment-db-credentials password,dms_password,dms_writer_password example.com pay.example.com)
  mkdir -p "$dir"
  sed -e "s/vgw-0a1b2c3d4e5f67890/$(echo "$vgw" | sed -n 1p)/" -e "s/vgw-0a1b2c3d4e5f67891/$(echo "$vgw" | sed -n 2p)/" \
    stacks/payment.pmig >"$dir/payment.pmig"
  vgw=$(echo "$vgw" | tr '\n' ' ')
  "$pmigc" build "$dir/payment.pmig" --out "$out" >/dev/null 2>&1 || fail "payment: build"
  step "payment: seeded the secret, VPN gateway $vgw, zone and certificate; built both workspaces"
  # legacy-sync creates DMS's fixed-name roles; aws-production uses them and owns the records.
  bring_up "$out/legacy-sync" legacy-sync
  lock "$out/legacy-sync"
  step "legacy-sync: while one writer held the state lock, a second was refused"
  bring_up "$out/aws-production" aws-production
  step "payment: both workspaces applied to one account, no collision"
  "$py" tests/integration/check.py writer "$endpoint" payment-migration-prod ledger onprem-to-aws ledger-data datacentre db.corp.example.com ||
    fail "aws-production: the writer before the data cutover"
  step "aws-production: the ledger's writer name points at the data centre; its fallback exists, stopped"
  for weight in 0 10 25 50 75 100; do
    move "$dir/payment.pmig" "$out" aws-production payments "$weight"
    "$py" tests/integration/check.py weights "$endpoint" example.com pay.example.com "$weight" || fail "payments at $weight%"
    step "aws-production: payments at $weight%: only its Route 53 records changed, served as planned"
  done
  data_move "$dir/payment.pmig" "$out" aws-production ledger_data aurora
  "$py" tests/integration/check.py writer "$endpoint" payment-migration-prod ledger onprem-to-aws ledger-data aurora db.corp.example.com ||
    fail "aws-production: the data cutover"
  step "aws-production: data cutover: the writer is Aurora, the forward task stopped, the fallback runs Aurora -> the data centre"
  if "$pmigc" move payments 0% --workspace aws-production "$dir/payment.pmig" 2>"$work/refused.log"; then
    fail "aws-production: a traffic rollback was accepted while the writer is Aurora"
  fi
  grep -q "PMG0823" "$work/refused.log" || { cat "$work/refused.log"; fail "the refused rollback does not say why"; }
  step "aws-production: a traffic rollback while the writer is Aurora is refused (PMG0823)"
  data_move "$dir/payment.pmig" "$out" aws-production ledger_data datacentre
  "$py" tests/integration/check.py writer "$endpoint" payment-migration-prod ledger onprem-to-aws ledger-data datacentre db.corp.example.com ||
    fail "aws-production: the data rollback"
  step "aws-production: data rollback: the writer is the data centre again, the forward task runs, the fallback stopped"
  move "$dir/payment.pmig" "$out" aws-production payments 0
  "$py" tests/integration/check.py weights "$endpoint" example.com pay.example.com 0 || fail "payments back at 0%"
  step "aws-production: payments at 0%: only its Route 53 records changed, served as planned"
  # aws-production uses what legacy-sync created (the DMS roles): it goes first.
  tear_down "$out/aws-production" aws-production || fail "aws-production: destroy"
  step "aws-production: destroyed"
  tear_down "$out/legacy-sync" legacy-sync || fail "legacy-sync: destroy"
  "$py" tests/integration/check.py empty "$endpoint" || fail "payment: left behind"
  step "legacy-sync: destroyed; nothing left in the account"
}

# The marketplace stack: two cutovers gated on two replications at different thresholds.
marketplace_stack() {
  local dir=$work/marketplace vgw out weight
  out=$dir/out
  start_emulator marketplace
  vgw=$(IT_GATEWAYS=2 "$py" tests/integration/seed.py "$endpoint" marketplace-db-credentials orders_password,catalog_password,dms_password,dms_writer_password,reader_password \
    market.example.com api.market.example.com admin.market.example.com)
  mkdir -p "$dir"
  sed -e "s/vgw-0f1e2d3c4b5a69788/$(echo "$vgw" | sed -n 1p)/" -e "s/vgw-0f1e2d3c4b5a69789/$(echo "$vgw" | sed -n 2p)/" \
    stacks/marketplace.pmig >"$dir/marketplace.pmig"
  cp -R stacks/scripts "$dir/scripts" # the boot scripts the stack names, beside it
  "$pmigc" build "$dir/marketplace.pmig" --out "$out" >/dev/null 2>&1 || fail "marketplace: build"
  bring_up "$out/staging" staging
  bring_up "$out/production" production
  step "marketplace: both workspaces applied to one account, no collision"
  "$py" tests/integration/check.py user-data "$endpoint" market-prod-api stacks/scripts/api-boot.sh ||
    fail "marketplace: api's user data"
  for database in orders catalog; do
    "$py" tests/integration/check.py parameters "$endpoint" "/market-prod-api/$database" \
      writer_endpoint port username secret_arn secret_key ||
      fail "marketplace: api's parameters for $database"
  done
  "$py" tests/integration/check.py parameters "$endpoint" /market-prod-api/catalog database ||
    fail "marketplace: the catalog's database name"
  step "marketplace: api boots its script; the endpoints and secret ARNs of what it reads are parameters"
  "$py" tests/integration/check.py alarms "$endpoint" \
    market-prod-orders-sync-lag-under-2s-source=2 market-prod-orders-sync-lag-under-2s-target=2 \
    market-prod-orders-sync-lag-under-5s-source=5 market-prod-orders-sync-lag-under-5s-target=5 \
    market-prod-catalog-sync-lag-under-30s-source=30 market-prod-catalog-sync-lag-under-30s-target=30 ||
    fail "marketplace: gate alarms"
  step "marketplace: one alarm pair per gate condition, each at its own threshold"
  move "$dir/marketplace.pmig" "$out" production admin_traffic 100
  "$py" tests/integration/check.py weights "$endpoint" market.example.com admin.market.example.com 100 || fail "admin at 100%"
  step "production: admin_traffic at 100%"
  for weight in 0 5 25 50 100 0; do
    move "$dir/marketplace.pmig" "$out" production api_traffic "$weight"
    "$py" tests/integration/check.py weights "$endpoint" market.example.com api.market.example.com "$weight" || fail "api at $weight%"
    "$py" tests/integration/check.py weights "$endpoint" market.example.com admin.market.example.com 100 || fail "admin moved when api went to $weight%"
    step "production: api_traffic at $weight%, admin_traffic still at 100%"
  done
}

orders_stack() {
  local dir=$work/orders vgw out weight
  out=$dir/out
  # The stack is in eu-west-1: seed and read back there (this subshell only).
  export IT_REGION=eu-west-1
  start_emulator orders
  vgw=$("$py" tests/integration/seed.py "$endpoint" orders/db-credentials password,dms_password,dms_writer_password example.eu shop.example.eu)
  mkdir -p "$dir"
  sed "s/vgw-0123456789abcdef0/$vgw/" stacks/orders.pmig >"$dir/orders.pmig"
  "$pmigc" build "$dir/orders.pmig" --out "$out" >/dev/null 2>&1 || fail "orders: build"
  step "orders: seeded the secret, VPN gateway $vgw, zone and certificate; built (PostgreSQL)"
  bring_up "$out/production" production
  for weight in 50 20 0 100; do
    move "$dir/orders.pmig" "$out" production storefront "$weight"
    "$py" tests/integration/check.py weights "$endpoint" example.eu shop.example.eu "$weight" || fail "storefront at $weight%"
    step "production: storefront at $weight%: only its Route 53 records changed, served as planned"
  done
  tear_down "$out/production" production || fail "orders: destroy"
  "$py" tests/integration/check.py empty "$endpoint" || fail "orders: left behind"
  step "orders: destroyed; nothing left in the account"
}

# The stacks run side by side, each in its own subshell with its own emulator (nearly all the
# time is the provider's waiters, so two cores carry several): each stack's lines are prefixed
# by its workspaces' names; its counts come back through a file.
# IT_STACKS="marketplace" runs some of them (all by default).
read -r -a stacks <<<"${IT_STACKS:-payment marketplace orders}"
pids=()
for stack in "${stacks[@]}"; do
  (
    emulators=()
    holder=
    trap cleanup EXIT
    created=0
    verified=0
    "${stack}_stack"
    echo "$created $verified" >"$work/$stack.counts"
  ) &
  pids+=("$!")
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ "$failed" = 0 ] || fail "a stack failed (its FAIL line is above)"
for stack in "${stacks[@]}"; do
  read -r c v <"$work/$stack.counts"
  created=$((created + c))
  verified=$((verified + v))
done
done_too=
case " ${stacks[*]} " in *" payment "*) done_too=", the ledger's data cutover and its rollback applied and read back, payment destroyed cleanly, lock refused a second writer" ;; esac
step "integration (${stacks[*]}): $created resources created, $verified phase changes verified$done_too"
