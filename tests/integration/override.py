"""Writes override.tf.json into a built root: the AWS provider pointed at the emulator, and a
local backend (Terraform merges override files over the compiled root, which stays untouched)."""
import json, sys

root, endpoint = sys.argv[1], sys.argv[2]
services = ["acm", "autoscaling", "cloudwatch", "dms", "ec2", "elbv2", "iam", "kms", "logs", "rds",
            "route53", "s3", "secretsmanager", "sts"]
override = {
    "provider": {"aws": {
        "region": "us-east-1",
        "access_key": "test",
        "secret_key": "test",
        "skip_credentials_validation": True,
        "skip_metadata_api_check": True,
        "s3_use_path_style": True,
        "endpoints": [{s: endpoint for s in services}],
    }},
}
if len(sys.argv) > 3 and sys.argv[3] == "local-state":
    override["terraform"] = {"backend": {"local": {"path": "terraform.tfstate"}}}
json.dump(override, open(f"{root}/override.tf.json", "w"), indent=2)
