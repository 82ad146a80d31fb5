"""Starts moto's server on 127.0.0.1:PORT with the fixes pmigc's integration test needs.

Each patch below works around a gap in moto 5.2.5 that the compiled stack runs into; the
compiled output is never changed for the emulator. Every patch is listed, with its reason, in
tests/integration/README.md. Usage: python moto_launcher.py PORT  (runs until terminated)."""
import os
import signal
import sys
import threading

# moto knows the AWS managed policies (AmazonDMSVPCManagementRole, AmazonRDSEnhancedMonitoringRole…)
# but loads them only when asked; without them AttachRolePolicy answers 404.
os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"

from moto.core.responses import EmptyResult  # noqa: E402
from moto.ec2.models.route_tables import RouteTable  # noqa: E402
from moto.ec2.responses.route_tables import RouteTables  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

PATCHES = []


def patch(reason):
    def register(fn):
        PATCHES.append((fn.__name__, reason))
        fn()
        return fn

    return register


@patch("EnableVgwRoutePropagation/DisableVgwRoutePropagation are not implemented, and route "
       "tables never list PropagatingVgws: aws_vpn_gateway_route_propagation waits forever")
def vgw_route_propagation():
    def vgws(table):
        return table.__dict__.setdefault("_propagating_vgws", [])

    def enable(self):
        table = self.ec2_backend.get_route_table(self._get_param("RouteTableId"))
        gateway = self._get_param("GatewayId")
        if gateway not in vgws(table):
            vgws(table).append(gateway)
        return EmptyResult()

    def disable(self):
        table = self.ec2_backend.get_route_table(self._get_param("RouteTableId"))
        gateway = self._get_param("GatewayId")
        if gateway in vgws(table):
            vgws(table).remove(gateway)
        return EmptyResult()

    RouteTables.enable_vgw_route_propagation = enable
    RouteTables.disable_vgw_route_propagation = disable
    RouteTable.propagating_vgws = property(lambda table: [{"GatewayId": g} for g in vgws(table)])


@patch("DMS answers timestamps as ISO strings; the DMS API (JSON protocol) sends epoch numbers, so "
       "the SDK fails with 'expected TStamp to be a JSON Number' (CreateReplicationInstance, tasks)")
def dms_timestamps():
    from moto.dms.models import FakeReplicationInstance, FakeReplicationTask

    def epoch(value):
        return value.timestamp() if value is not None else None

    instance_to_dict = FakeReplicationInstance.to_dict

    def instance(self):
        d = instance_to_dict(self)
        d["InstanceCreateTime"] = epoch(self.creation_date)
        return d

    task_to_dict = FakeReplicationTask.to_dict

    def task(self):
        d = task_to_dict(self)
        d["ReplicationTaskCreationDate"] = epoch(self.creation_date)
        d["ReplicationTaskStartDate"] = epoch(self.start_date)
        stats = d["ReplicationTaskStats"]
        for key in ("FreshStartDate", "StartDate", "FullLoadStartDate"):
            stats[key] = epoch(self.start_date)
        for key in ("StopDate", "FullLoadFinishDate"):
            stats[key] = epoch(self.stop_date)
        return d

    FakeReplicationInstance.to_dict = instance
    FakeReplicationTask.to_dict = task


@patch("a new DMS replication task stays 'creating' for ever; AWS moves it to 'ready' once its "
       "endpoints are tested, and the provider waits for that")
def dms_task_ready():
    from moto.dms.models import DatabaseMigrationServiceBackend

    create = DatabaseMigrationServiceBackend.create_replication_task

    def create_ready(self, *args, **kwargs):
        return create(self, *args, **kwargs).ready()

    DatabaseMigrationServiceBackend.create_replication_task = create_ready


@patch("a DMS replication subnet group forgets its subnets (it reports subnet-12345 in vpc-12345) and "
       "files its tags under its name instead of its ARN: a perpetual diff on subnet_ids and tags")
def dms_subnet_group():
    from moto.dms.models import DatabaseMigrationServiceBackend, FakeReplicationSubnetGroup
    from moto.ec2.models import ec2_backends

    create = DatabaseMigrationServiceBackend.create_replication_subnet_group

    def create_keeping_subnets(self, replication_subnet_group_identifier,
                               replication_subnet_group_description, subnet_ids, tags=None):
        identifier = replication_subnet_group_identifier
        group = create(self, replication_subnet_group_identifier=identifier,
                       replication_subnet_group_description=replication_subnet_group_description,
                       subnet_ids=subnet_ids, tags=None)
        group.subnet_ids = list(subnet_ids)
        group.ec2 = ec2_backends[self.account_id][self.region_name]
        group.arn = f"arn:aws:dms:{self.region_name}:{self.account_id}:subgrp:{identifier}"
        if tags:
            self.tagger.tag_resource(group.arn, tags)
        return group

    def to_dict(self):
        subnets = [self.ec2.get_subnet(s) for s in getattr(self, "subnet_ids", [])]
        return {
            "ReplicationSubnetGroupIdentifier": self.replication_subnet_group_identifier,
            "ReplicationSubnetGroupDescription": self.description,
            "VpcId": subnets[0].vpc_id if subnets else None,
            "SubnetGroupStatus": "Complete",
            "Subnets": [
                {"SubnetIdentifier": s.id, "SubnetAvailabilityZone": {"Name": s.availability_zone},
                 "SubnetStatus": "Active"}
                for s in subnets
            ],
            "SupportedNetworkTypes": ["IPV4"],
        }

    DatabaseMigrationServiceBackend.create_replication_subnet_group = create_keeping_subnets
    FakeReplicationSubnetGroup.to_dict = to_dict


@patch("a scaling policy reads back without Enabled (the provider sees enabled = false) and with an "
       "empty PredictiveScalingConfiguration block: a perpetual diff")
def scaling_policy():
    from moto.autoscaling.models import FakeScalingPolicy

    init = FakeScalingPolicy.__init__

    def init_fixed(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.enabled = True
        if not self.predictive_scaling_configuration:
            self.predictive_scaling_configuration = None

    FakeScalingPolicy.__init__ = init_fixed


@patch("CreateLaunchTemplate copies the template's own tags (TagSpecifications of type "
       "launch-template) into its launch data, so they read back as tag_specifications")
def launch_template_tags():
    from moto.ec2.models.launch_templates import LaunchTemplateBackend

    create = LaunchTemplateBackend.create_launch_template

    def create_without_echo(self, name, description, template_data, tag_spec):
        specs = [t for t in template_data.get("TagSpecifications", [])
                 if t.get("ResourceType") != "launch-template"]
        if specs:
            template_data["TagSpecifications"] = specs
        else:
            template_data.pop("TagSpecifications", None)
        return create(self, name, description, template_data, tag_spec)

    LaunchTemplateBackend.create_launch_template = create_without_echo


@patch("a provisioned Aurora cluster reads back a ScalingConfigurationInfo (serverless v1 only), "
       "which the provider plans to change on every run")
def aurora_scaling_configuration():
    from moto.rds.models import DBCluster

    info = DBCluster.scaling_configuration_info

    DBCluster.scaling_configuration_info = property(
        lambda self: info.fget(self) if self.engine_mode == "serverless" else None)


@patch("DB instances ignore EnablePerformanceInsights and its KMS key: the provider plans to turn "
       "Performance Insights on again on every run")
def performance_insights():
    from moto.rds.models import DBInstance

    init = DBInstance.__init__

    def init_keeping_insights(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.performance_insights_enabled = bool(kwargs.get("enable_performance_insights"))
        self.performance_insights_kms_key_id = kwargs.get("performance_insights_kms_key_id")
        self.performance_insights_retention_period = (
            kwargs.get("performance_insights_retention_period")
            or (7 if self.performance_insights_enabled else None))

    DBInstance.__init__ = init_keeping_insights


@patch("a CLOUDWATCH_METRIC health check forgets its alarm and InsufficientDataHealthStatus and "
       "reads back an HTTP check's Port 80 and RequestInterval 30: the provider replaces it every run")
def metric_health_checks():
    from moto.route53.models import HealthCheck
    from moto.route53.responses import Route53

    create = Route53.create_health_check

    def create_keeping_alarm(self):
        result = create(self)
        config = self._get_param("HealthCheckConfig")
        reference = self._get_param("CallerReference")
        for check in self.backend.health_checks.values():
            if check.caller_reference == reference:
                check.alarm_identifier = config.get("AlarmIdentifier")
                check.insufficient_data_health_status = config.get("InsufficientDataHealthStatus")
        return result

    config = HealthCheck.health_check_config

    def config_by_type(self):
        d = config.fget(self)
        if self.type_ == "CLOUDWATCH_METRIC":
            for key in ("IPAddress", "Port", "RequestInterval", "MeasureLatency"):
                d.pop(key, None)
        if getattr(self, "alarm_identifier", None):
            d["AlarmIdentifier"] = self.alarm_identifier
        if getattr(self, "insufficient_data_health_status", None):
            d["InsufficientDataHealthStatus"] = self.insufficient_data_health_status
        return d

    Route53.create_health_check = create_keeping_alarm
    HealthCheck.health_check_config = property(config_by_type)


@patch("a security-group rule that references another group loses its description (moto keeps it "
       "with the group pair, and reads it only from a CIDR range)")
def rule_descriptions():
    from moto.ec2.models.security_groups import SecurityGroupRule

    SecurityGroupRule.description = property(
        lambda self: self.ip_range.get("Description") or self.source_group.get("Description"))


@patch("a hosted zone created with a VPC is private (Route 53 API reference, CreateHostedZone: "
       "the VPC is for private hosted zones only); moto makes it private only when "
       "HostedZoneConfig.PrivateZone is sent too, which the provider does not")
def private_zone_with_vpc():
    from moto.route53.responses import Route53

    original = Route53._get_bool_param

    def get_bool(self, name, *args, **kwargs):
        if name == "HostedZoneConfig.PrivateZone" and self._get_param("VPC.VPCId"):
            return True
        return original(self, name, *args, **kwargs)

    Route53._get_bool_param = get_bool


@patch("re-creating a record identical to one created and deleted before fails with 'already "
       "exists' when any record of that name and type remains, whatever its SetIdentifier (moto "
       "checks its change journal, then every record from that name on); AWS refuses only a record "
       "of the same name, type and set identifier")
def recreated_weighted_record():
    from moto.route53.exceptions import ResourceRecordAlreadyExists
    from moto.route53.models import Route53Backend

    original = Route53Backend.change_resource_record_sets

    def key(record):
        return (record["Name"].strip(".").lower(), record["Type"], record.get("SetIdentifier"))

    def change(self, zoneid, change_list):
        zone = self.get_hosted_zone(zoneid)
        current = {(r.name.strip(".").lower(), r.type, r.set_identifier) for r in zone.rrsets}
        for value in change_list:
            if value["Action"] != "CREATE":
                continue
            if key(value["ResourceRecordSet"]) in current:
                raise ResourceRecordAlreadyExists(
                    name=value["ResourceRecordSet"]["Name"], _type=value["ResourceRecordSet"]["Type"])
            # The record is gone: forget the journal's old identical CREATE, which alone
            # triggers moto's check.
            while value in zone.rr_changes:
                zone.rr_changes.remove(value)
        return original(self, zoneid, change_list)

    Route53Backend.change_resource_record_sets = change


def main():
    port = int(sys.argv[1])
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    for name, reason in PATCHES:
        print(f"patched {name}: {reason}", flush=True)
    print(f"moto ready on 127.0.0.1:{port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
