"""Assertions of the integration test, each a subcommand; exits 1 with a message when one fails.

  check.py outputs OUTPUTS.json ROOT            every output the root declares is present and non-empty
  check.py only-route53 PLAN.json [CUTOVER]     a planned change touches only aws_route53_record
                                                (only CUTOVER's records, when given)
  check.py weights ENDPOINT ZONE NAME WEIGHT    the emulator serves NAME with aws=WEIGHT, legacy=100-WEIGHT
  check.py empty ENDPOINT                       nothing the stack creates is left in the emulator
  check.py alarms ENDPOINT NAME=THRESHOLD...    each alarm exists with exactly that threshold
  check.py data-plan PLAN.json                  a data cutover's plan: only the writer record, the
                                                tasks' start, the cutover's records and gate, the
                                                egress to the data centre; nothing replaced but records
  check.py writer ENDPOINT STACK DB FORWARD FALLBACK STATE HOST
                                                the writer name of DB in STACK's private zone points at
                                                HOST (datacentre) or the cluster's endpoint (aurora); the
                                                forward task runs before the data cutover and is stopped
                                                after, the fallback (Aurora -> HOST, changes only) the
                                                other way round
"""
import base64
import json
import os
import sys

import boto3


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def client(endpoint, service):
    return boto3.client(service, region_name=os.environ.get("IT_REGION", "us-east-1"), endpoint_url=endpoint,
                        aws_access_key_id="test", aws_secret_access_key="test")


def outputs(path, root):
    got = json.load(open(path))
    declared = json.load(open(f"{root}/main.tf.json")).get("output", {})
    for name in declared:
        value = got.get(name, {}).get("value")
        if value in (None, "", [], {}):
            fail(f"output {name} is missing or empty: {got.get(name)}")
    print(f"outputs: {len(declared)} present and non-empty: "
          + ", ".join(f"{n}={got[n]['value']}" for n in sorted(declared)))


def only_route53(path, cutover=None):
    plan = json.load(open(path))
    changed = []
    for change in plan.get("resource_changes", []):
        actions = change["change"]["actions"]
        if actions in (["no-op"], ["read"]):
            continue
        changed.append((change["address"], actions))
        if change["type"] != "aws_route53_record":
            fail(f"the phase change also touches {change['address']} ({'/'.join(actions)})")
        if cutover and not change["address"].startswith(f"aws_route53_record.{cutover}_"):
            fail(f"moving cutover {cutover} also touches {change['address']}")
        if actions != ["update"]:
            fail(f"{change['address']} would be {'/'.join(actions)}d, not updated in place")
    print("plan changes only: " + (", ".join(a for a, _ in changed) or "nothing"))


def weights(endpoint, zone, name, weight):
    route53 = client(endpoint, "route53")
    zones = [z for z in route53.list_hosted_zones()["HostedZones"] if z["Name"] == zone.rstrip(".") + "."]
    if not zones:
        fail(f"no hosted zone {zone}")
    records = route53.list_resource_record_sets(HostedZoneId=zones[0]["Id"])["ResourceRecordSets"]
    served = {r["SetIdentifier"]: r["Weight"] for r in records
              if r["Name"].rstrip(".") == name.rstrip(".") and "SetIdentifier" in r}
    expected = {"aws": int(weight), "legacy": 100 - int(weight)}
    if served != expected:
        fail(f"{name} is served with weights {served}, expected {expected}")
    print(f"weights read back from the emulator: {served}")


def empty(endpoint):
    left = {
        "VPCs": [v["VpcId"] for v in client(endpoint, "ec2").describe_vpcs()["Vpcs"] if not v.get("IsDefault")],
        "load balancers": [lb["LoadBalancerName"] for lb in client(endpoint, "elbv2").describe_load_balancers()["LoadBalancers"]],
        "DB clusters": [c["DBClusterIdentifier"] for c in client(endpoint, "rds").describe_db_clusters()["DBClusters"]],
        "DMS instances": [i["ReplicationInstanceIdentifier"] for i in client(endpoint, "dms").describe_replication_instances()["ReplicationInstances"]],
        "Auto Scaling groups": [g["AutoScalingGroupName"] for g in client(endpoint, "autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"]],
        "alarms": [a["AlarmName"] for a in client(endpoint, "cloudwatch").describe_alarms()["MetricAlarms"]],
        "health checks": [h["Id"] for h in client(endpoint, "route53").list_health_checks()["HealthChecks"]],
    }
    left = {kind: names for kind, names in left.items() if names}
    if left:
        fail(f"left behind after destroy: {left}")
    print("nothing left in the emulator")


def alarms(endpoint, *expected):
    cloudwatch = client(endpoint, "cloudwatch")
    found = {a["AlarmName"]: a["Threshold"] for a in cloudwatch.describe_alarms()["MetricAlarms"]}
    for pair in expected:
        name, threshold = pair.split("=")
        if name not in found:
            fail(f"no alarm {name}; alarms: {sorted(found)}")
        if found[name] != float(threshold):
            fail(f"alarm {name} has threshold {found[name]}, expected {threshold}")
    print("alarm thresholds read back: " + ", ".join(f"{p.split('=')[0]}={found[p.split('=')[0]]:g}" for p in expected))


def no_changes(path):
    """A plan that changes nothing: every resource is a no-op, and the only reads are the data
    sources nested in check blocks, which Terraform re-reads at every apply."""
    plan = json.load(open(path))
    for change in plan.get("resource_changes", []):
        actions = change["change"]["actions"]
        nested = actions == ["read"] and change.get("action_reason") == "read_because_check_nested"
        if actions != ["no-op"] and not nested:
            fail(f"{change['address']} would be {'/'.join(actions)} ({change.get('action_reason', '')})")
    print("plan: no changes (check-scoped data sources are re-read at apply)")


def parameters(endpoint, path, *names):
    """The SSM parameters a booted service reads under PATH: each of NAMES present and not
    empty (endpoints, port, user name, the secret's ARN and key: never its value)."""
    ssm = client(endpoint, "ssm")
    found = {}
    for page in ssm.get_paginator("get_parameters_by_path").paginate(Path=path, Recursive=True):
        for parameter in page["Parameters"]:
            found[parameter["Name"][len(path):].lstrip("/")] = parameter["Value"]
    missing = [name for name in names if not found.get(name)]
    if missing:
        fail(f"parameters under {path}: {missing} missing or empty; found {sorted(found)}")
    print(f"parameters read back under {path}: " + ", ".join(f"{n}={found[n]}" for n in names))


def user_data(endpoint, template, path):
    """The launch template's user data is the boot script, byte for byte."""
    ec2 = client(endpoint, "ec2")
    versions = ec2.describe_launch_template_versions(LaunchTemplateName=template, Versions=["$Latest"])
    data = versions["LaunchTemplateVersions"][0]["LaunchTemplateData"].get("UserData", "")
    with open(path, "rb") as script:
        expected = script.read()
    if base64.b64decode(data) != expected:
        fail(f"user data of {template} is not {path}")
    print(f"user data of {template}: {path}, {len(expected)} bytes")


# What a data cutover (or its rollback) may change: the writer record, the tasks' start, the
# cutover's records and gate (the legacy record and the gate go after the data cutover, come
# back with the rollback), and the services' egress to the data centre.
DATA_CUTOVER_TYPES = {
    "aws_route53_record", "aws_dms_replication_task", "aws_vpc_security_group_egress_rule",
    "aws_route53_health_check", "aws_cloudwatch_metric_alarm",
}


def data_plan(path):
    plan = json.load(open(path))
    changed = []
    for change in plan.get("resource_changes", []):
        actions = change["change"]["actions"]
        if actions in (["no-op"], ["read"]):
            continue
        changed.append(f"{change['address']} ({'/'.join(actions)})")
        if change["type"] not in DATA_CUTOVER_TYPES:
            fail(f"the data cutover also touches {change['address']} ({'/'.join(actions)})")
        if change["type"] == "aws_dms_replication_task" and actions != ["update"]:
            fail(f"{change['address']} would be {'/'.join(actions)}d: a task must only start or stop")
    if not any("aws_dms_replication_task" in c for c in changed):
        fail("the data cutover starts and stops no task")
    print("data cutover plan: " + ", ".join(changed))


def writer(endpoint, stack, db, forward, fallback, state, host):
    route53, dms, rds = client(endpoint, "route53"), client(endpoint, "dms"), client(endpoint, "rds")
    zone_name = f"{stack}.internal."
    zones = [z for z in route53.list_hosted_zones()["HostedZones"] if z["Name"] == zone_name]
    if not zones or not zones[0]["Config"].get("PrivateZone"):
        fail(f"no private hosted zone {zone_name}: {route53.list_hosted_zones()['HostedZones']}")
    name = f"writer.{db}.{zone_name}"
    records = [r for r in route53.list_resource_record_sets(HostedZoneId=zones[0]["Id"])["ResourceRecordSets"]
               if r["Name"] == name]
    if len(records) != 1:
        fail(f"{name}: {len(records)} records")
    served = [v["Value"] for v in records[0]["ResourceRecords"]]
    cluster = rds.describe_db_clusters(DBClusterIdentifier=f"{stack}-{db}")["DBClusters"][0]["Endpoint"]
    expected = [host] if state == "datacentre" else [cluster]
    if served != expected:
        fail(f"{name} points at {served}, expected {expected} ({state})")
    tasks = {t["ReplicationTaskIdentifier"]: t for t in dms.describe_replication_tasks()["ReplicationTasks"]}
    for task, wanted in ((f"{stack}-{forward}", "running" if state == "datacentre" else "stopped"),
                         (f"{stack}-{fallback}", "running" if state == "aurora" else ("stopped", "ready"))):
        status = tasks.get(task, {}).get("Status")
        if status not in (wanted if isinstance(wanted, tuple) else (wanted,)):
            fail(f"task {task} is {status}, expected {wanted} ({state}); tasks: {sorted(tasks)}")
    task = tasks[f"{stack}-{fallback}"]
    if task["MigrationType"] != "cdc":
        fail(f"the fallback {task['ReplicationTaskIdentifier']} is {task['MigrationType']}, not cdc")
    settings = json.loads(task.get("ReplicationTaskSettings") or "{}")
    if not settings.get("LoopbackPreventionSettings", {}).get("EnableLoopbackPrevention"):
        fail(f"the fallback runs without loopback prevention: {settings}")
    endpoints = {e["EndpointArn"]: e for e in dms.describe_endpoints()["Endpoints"]}
    source, target = endpoints[task["SourceEndpointArn"]], endpoints[task["TargetEndpointArn"]]
    if (source["EndpointType"].lower(), target["EndpointType"].lower()) != ("source", "target"):
        fail(f"the fallback's endpoints are {source['EndpointType']} -> {target['EndpointType']}")
    if not source["EngineName"].startswith("aurora") or target["EngineName"].startswith("aurora"):
        fail(f"the fallback runs {source['EngineName']} -> {target['EngineName']}, not Aurora -> the data centre")
    # The endpoints connect through secrets pmigc writes from the existing one: their hosts.
    secrets = client(endpoint, "secretsmanager")
    def secret_host(endpoint_id):
        return json.loads(secrets.get_secret_value(SecretId=endpoint_id)["SecretString"])["host"]
    hosts = (secret_host(source["EndpointIdentifier"]), secret_host(target["EndpointIdentifier"]))
    if hosts != (cluster, host):
        fail(f"the fallback reads {hosts[0]} and writes {hosts[1]}, expected {cluster} -> {host}")
    print(f"{name} -> {served[0]} ({state}); forward {tasks[f'{stack}-{forward}']['Status']}, "
          f"fallback {task['Status']}: {source['EngineName']} {hosts[0]} -> {target['EngineName']} {hosts[1]}, "
          "changes only, loopback prevention on")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"outputs": outputs, "only-route53": only_route53, "weights": weights, "empty": empty,
     "alarms": alarms, "no-changes": no_changes, "parameters": parameters, "user-data": user_data,
     "data-plan": data_plan, "writer": writer}[command](*args)
