#!/usr/bin/env bash
# Builds stacks/payment.pmig (or the stack given) and scans every workspace's main.tf.json with
# checkov, offline. Each finding is reported at the .pmig line that produced the resource (from
# the root's sourcemap.json), in pmigc's short diagnostic format. Findings waived in the emitted
# JSON ("//": "checkov:skip=ID: reason") are listed with their reason.
#
# Fails when: a finding is not waived; checkov could not parse a scanned file; no check ran.
# terraform.tf.json (the terraform block: versions and backend, no resources) is not scanned:
# checkov 3.3.30's terraform_json parser drops a file whose terraform block holds plain values.
set -euo pipefail
cd "$(dirname "$0")/.."
stack=${1:-stacks/payment.pmig}
out=target/scan-out
venv=target/scan-venv
CHECKOV_VERSION=3.3.30

checkov=$(command -v checkov || true)
if [ -z "$checkov" ]; then
  if [ ! -x "$venv/bin/checkov" ]; then
    echo "installing checkov $CHECKOV_VERSION into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "checkov==$CHECKOV_VERSION"
  fi
  checkov=$venv/bin/checkov
fi

cargo build --quiet --locked --release
rm -rf "$out"
./target/release/pmigc build "$stack" --out "$out" >/dev/null 2>&1 || ./target/release/pmigc build "$stack" --out "$out"

status=0
for root in "$out"/*/; do
  report=$(mktemp)
  BC_SKIP_MAPPING=TRUE "$checkov" -f "$root/main.tf.json" --framework terraform_json --skip-download \
    --compact -o json >"$report" 2>/dev/null || true
  python3 - "$root" "$report" <<'PY' || status=1
import json, os, re, sys
root, report = sys.argv[1], sys.argv[2]
try:
    data = json.load(open(report))
except ValueError:
    print(f"{root}: checkov produced no report"); sys.exit(1)
if isinstance(data, list):
    data = next((d for d in data if d.get("check_type") == "terraform_json"), {})
results = data.get("results", {})
summary = data.get("summary", {})
passed, failed = results.get("passed_checks", []), results.get("failed_checks", [])
errors = results.get("parsing_errors", []) or summary.get("parsing_errors", 0)
main = json.load(open(root + "main.tf.json"))
sources = json.load(open(root + "sourcemap.json"))
# The stack's path is recorded relative to the root's directory.
stack_file = os.path.relpath(os.path.join(root, sources.get("file", "stack")))

# checkov names a block by its file lines; find the address declared on each line of the
# pretty-printed root (sections at 2 spaces, types at 4, names at 6).
declared = {}
section = kind = None
for number, text in enumerate(open(root + "main.tf.json"), start=1):
    m = re.match(r'^( *)"([^"]+)": \{', text)
    if not m:
        continue
    depth, key = len(m.group(1)), m.group(2)
    if depth == 2:
        section = key
    elif depth == 4:
        kind = key
    elif depth == 6 and section in ("resource", "data"):
        declared[number] = ("data." if section == "data" else "") + f"{kind}.{key}"

def address_of(finding):
    start = (finding.get("file_line_range") or [0])[0]
    return declared.get(start, finding.get("resource", "?"))

def body(address):
    parts = address.split(".")
    if parts[0] == "data":
        return main.get("data", {}).get(parts[1], {}).get(parts[2], {}) if len(parts) > 2 else {}
    return main.get("resource", {}).get(parts[0], {}).get(parts[1], {}) if len(parts) > 1 else {}

def waiver(address, check):
    text = body(address).get("//", "")
    for m in re.finditer(r"checkov:skip=([A-Z0-9_]+): ([^|]*)", text):
        if m.group(1) == check:
            return m.group(2).strip()
    return None

waived, findings = [], []
for f in failed:
    address, check = address_of(f), f.get("check_id", "?")
    reason = waiver(address, check)
    line = sources.get("addresses", {}).get(address, {}).get("line", 0)
    where = f"{stack_file}:{line}:1"
    if reason:
        waived.append(f"{where}: note[{check}]: waived on {address}: {reason}")
    else:
        findings.append(f"{where}: error[{check}]: {f.get('check_name', '')} ({address})")
for line in findings + waived:
    print(line)
name = root.rstrip("/").split("/")[-1]
print(f"{name}: {len(passed)} passed, {len(findings)} failed, {len(waived)} waived, parsing errors: {errors}")
if errors or not (passed or failed):
    print(f"{name}: the scan checked nothing or could not parse main.tf.json: treated as a failure")
    sys.exit(1)
sys.exit(1 if findings else 0)
PY
  rm -f "$report"
done
exit $status
