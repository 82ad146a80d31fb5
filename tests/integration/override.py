"""Writes override.tf.json into a built root, pointing it at the emulator. Terraform merges
override files over the compiled root, which stays untouched.

  override.py ROOT ENDPOINT local   the AWS provider on the emulator, state in a local file
  override.py ROOT ENDPOINT s3      the same, and the root's own S3 backend (bucket, key,
                                    encrypt, use_lockfile, as compiled) on the emulator's S3; the
                                    state bucket is created there if it does not exist yet

The provider keeps skip_requesting_account_id off: moto answers the account lookup, and without
it security-group rules read back as `123456789012/sg-…`, a perpetual diff."""
import json
import sys

import boto3

root, endpoint, state = sys.argv[1], sys.argv[2], sys.argv[3]
# The root's own region (a stack may be anywhere: orders.pmig is in eu-west-1).
region = json.load(open(f"{root}/main.tf.json"))["provider"]["aws"]["region"]
services = ["acm", "autoscaling", "cloudwatch", "dms", "ec2", "elb", "elbv2", "iam", "kms", "logs",
            "rds", "route53", "s3", "secretsmanager", "ssm", "sts", "wafv2"]
override = {
    "provider": {"aws": {
        "region": region,
        "access_key": "test",
        "secret_key": "test",
        "skip_credentials_validation": True,
        "skip_metadata_api_check": True,
        "s3_use_path_style": True,
        "endpoints": [{s: endpoint for s in services}],
    }},
}
if state == "local":
    override["terraform"] = {"backend": {"local": {"path": "terraform.tfstate"}}}
elif state == "s3":
    compiled = json.load(open(f"{root}/terraform.tf.json"))["terraform"]["backend"]["s3"]
    override["terraform"] = {"backend": {"s3": {
        **compiled,
        "endpoints": {"s3": endpoint},
        "use_path_style": True,
        "access_key": "test",
        "secret_key": "test",
        "skip_credentials_validation": True,
        "skip_requesting_account_id": True,
        "skip_metadata_api_check": True,
    }}}
    s3 = boto3.client("s3", region_name=region, endpoint_url=endpoint,
                      aws_access_key_id="test", aws_secret_access_key="test")
    if compiled["bucket"] not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
        where = {} if region == "us-east-1" else {
            "CreateBucketConfiguration": {"LocationConstraint": region}}
        s3.create_bucket(Bucket=compiled["bucket"], **where)
        s3.put_bucket_versioning(Bucket=compiled["bucket"], VersioningConfiguration={"Status": "Enabled"})
else:
    sys.exit(f"state must be local or s3, not {state}")
json.dump(override, open(f"{root}/override.tf.json", "w"), indent=2)
