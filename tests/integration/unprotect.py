"""Writes unprotect_override.tf.json into a built root: deletion protection off on the Aurora
clusters and load balancers that have it on. The roots protect them, as production roots
should; before a destroy an operator turns that off and applies, and so does the test."""
import json
import sys

root = sys.argv[1]
resources = json.load(open(f"{root}/main.tf.json"))["resource"]
flags = {"aws_rds_cluster": "deletion_protection", "aws_lb": "enable_deletion_protection"}
override = {"resource": {}}
for kind, flag in flags.items():
    for name, body in resources.get(kind, {}).items():
        if body.get(flag):
            override["resource"].setdefault(kind, {})[name] = {flag: False}
json.dump(override, open(f"{root}/unprotect_override.tf.json", "w"), indent=2)
print("deletion protection off: " + ", ".join(f"{k}.{n}" for k in override["resource"] for n in override["resource"][k]))
