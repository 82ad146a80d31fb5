//! The rows of the registry, per kind of block: what each derives, its address's pattern, its
//! names in AWS and the rule each follows. Lowering names resources only through these rows
//! (`lower::Root`), so this table is everything a root can hold; `docs/names.md` lists it for
//! people.

use super::{Named, Row, Section};
use crate::aws::names::{self as r, NameRule};

const fn row(
    section: Section,
    kind: &'static str,
    address: &'static str,
    names: &'static [Named],
    what: &'static str,
) -> Row {
    Row {
        section,
        kind,
        address,
        names,
        what,
    }
}

const fn resource(
    kind: &'static str,
    address: &'static str,
    names: &'static [Named],
    what: &'static str,
) -> Row {
    row(Section::Resource, kind, address, names, what)
}

const fn named(argument: &'static str, pattern: &'static str, rule: &'static NameRule) -> Named {
    Named {
        argument,
        pattern,
        rule,
    }
}

/// A `Name` tag.
const fn tag(pattern: &'static str) -> Named {
    named("tags.Name", pattern, &r::TAG_VALUE)
}

/// What the stack block derives: its key, the access-log bucket, the web ACL, DMS's fixed-name
/// roles, and the lookups every root shares.
pub(crate) mod stack {
    use super::*;

    /// The private zone of the writer and reader names (`lower::writer`): a stack with a
    /// replication.
    pub(crate) const WRITER_ZONE: Row = resource(
        "aws_route53_zone",
        "writers",
        &[named("name", "{stack}.internal", &r::DNS_NAME)],
        "the private zone of the writer and reader names of {}",
    );
    pub(crate) const NAME: Row = row(Section::Local, "", "name", &[], "the name pattern of {}");
    pub(crate) const CALLER: Row = row(
        Section::Data,
        "aws_caller_identity",
        "current",
        &[],
        "the account lookup of {}",
    );
    pub(crate) const AMAZON_LINUX: Row = row(
        Section::Data,
        "aws_ssm_parameter",
        "amazon_linux_{0}",
        &[],
        "the Amazon Linux image lookup of {}",
    );
    pub(crate) const KMS_KEY: Row = resource(
        "aws_kms_key",
        "{block}",
        &[tag("{stack}")],
        "the KMS key of {}",
    );
    pub(crate) const KMS_ALIAS: Row = resource(
        "aws_kms_alias",
        "{block}",
        &[named("name", "alias/{stack}", &r::KMS_ALIAS)],
        "the KMS key alias of {}",
    );
    pub(crate) const ELB_ACCOUNT: Row = row(
        Section::Data,
        "aws_elb_service_account",
        "current",
        &[],
        "the load balancer log delivery account of {}",
    );
    pub(crate) const LOG_BUCKET: Row = resource(
        "aws_s3_bucket",
        "{block}_access_logs",
        &[
            named("bucket", "{stack}-alb-logs-{account}", &r::BUCKET),
            tag("{stack}-alb-logs"),
        ],
        "the access-log bucket of {}",
    );
    /// The bucket's settings, each a resource of its own type at the bucket's address.
    pub(crate) const LOG_BUCKET_PUBLIC_ACCESS: Row = resource(
        "aws_s3_bucket_public_access_block",
        "{block}_access_logs",
        &[],
        "the public access block of the access-log bucket of {}",
    );
    pub(crate) const LOG_BUCKET_ENCRYPTION: Row = resource(
        "aws_s3_bucket_server_side_encryption_configuration",
        "{block}_access_logs",
        &[],
        "the encryption of the access-log bucket of {}",
    );
    pub(crate) const LOG_BUCKET_VERSIONING: Row = resource(
        "aws_s3_bucket_versioning",
        "{block}_access_logs",
        &[],
        "the versioning of the access-log bucket of {}",
    );
    pub(crate) const LOG_BUCKET_LIFECYCLE: Row = resource(
        "aws_s3_bucket_lifecycle_configuration",
        "{block}_access_logs",
        &[],
        "the lifecycle of the access-log bucket of {}",
    );
    pub(crate) const LOG_BUCKET_POLICY: Row = resource(
        "aws_s3_bucket_policy",
        "{block}_access_logs",
        &[],
        "the policy of the access-log bucket of {}",
    );
    pub(crate) const WEB_ACL: Row = resource(
        "aws_wafv2_web_acl",
        "{block}",
        &[
            named("name", "{stack}-waf", &r::WEB_ACL),
            named("visibility_config.metric_name", "{raw}-waf", &r::WAF_METRIC),
            tag("{stack}-waf"),
        ],
        "the web ACL of {}",
    );
    pub(crate) const WAF_LOGS: Row = resource(
        "aws_cloudwatch_log_group",
        "{block}_waf",
        &[
            named("name", "aws-waf-logs-{stack}", &r::WAF_LOG_GROUP),
            tag("aws-waf-logs-{stack}"),
        ],
        "the web ACL's log group of {}",
    );
    pub(crate) const WAF_LOGGING: Row = resource(
        "aws_wafv2_web_acl_logging_configuration",
        "{block}",
        &[],
        "the web ACL's logging of {}",
    );
    pub(crate) const DMS_VPC_ROLE: Row = resource(
        "aws_iam_role",
        "dms_vpc",
        &[
            named("name", "dms-vpc-role", &r::IAM_ROLE),
            tag("dms-vpc-role"),
        ],
        "DMS's role `dms-vpc-role`, created by {}",
    );
    pub(crate) const DMS_VPC_POLICY: Row = resource(
        "aws_iam_role_policy_attachment",
        "dms_vpc",
        &[],
        "the policy of DMS's role `dms-vpc-role`, created by {}",
    );
    pub(crate) const DMS_LOGS_ROLE: Row = resource(
        "aws_iam_role",
        "dms_cloudwatch_logs",
        &[
            named("name", "dms-cloudwatch-logs-role", &r::IAM_ROLE),
            tag("dms-cloudwatch-logs-role"),
        ],
        "DMS's role `dms-cloudwatch-logs-role`, created by {}",
    );
    pub(crate) const DMS_LOGS_POLICY: Row = resource(
        "aws_iam_role_policy_attachment",
        "dms_cloudwatch_logs",
        &[],
        "the policy of DMS's role `dms-cloudwatch-logs-role`, created by {}",
    );
}

/// `existing` blocks: looked up, never created.
pub(crate) mod existing {
    use super::*;

    pub(crate) const VPN_GATEWAY: Row = row(
        Section::Data,
        "aws_vpn_gateway",
        "{block}",
        &[],
        "the gateway lookup of {}",
    );
    /// The alarm on the connection's tunnels (`lower::network::tunnel_alarm`): where the
    /// connection id takes effect.
    pub(crate) const VPN_TUNNEL_ALARM: Row = resource(
        "aws_cloudwatch_metric_alarm",
        "{block}_tunnel_down",
        &[
            named("alarm_name", "{stack}-{block}-tunnel-down", &r::ALARM),
            tag("{stack}-{block}-tunnel-down"),
        ],
        "the tunnel alarm of {}",
    );
    pub(crate) const SECRET: Row = row(
        Section::Data,
        "aws_secretsmanager_secret",
        "{block}",
        &[],
        "the lookup of {}",
    );
    pub(crate) const SECRET_VALUE: Row = row(
        Section::Ephemeral,
        "aws_secretsmanager_secret_version",
        "{block}",
        &[],
        "the value of {}",
    );
    pub(crate) const CERTIFICATE: Row = row(
        Section::Data,
        "aws_acm_certificate",
        "{block}",
        &[],
        "the lookup of {}",
    );
}

/// A network: its VPC, subnets, gateways, routes and flow logs.
pub(crate) mod network {
    use super::*;

    pub(crate) const VPC: Row = resource(
        "aws_vpc",
        "{block}",
        &[tag("{stack}-{block}")],
        "the VPC of {}",
    );
    pub(crate) const DEFAULT_GROUP: Row = resource(
        "aws_default_security_group",
        "{block}",
        &[tag("{stack}-{block}-default-deny")],
        "the default security group of {}",
    );
    /// `{0}` the tier (`public`, `private`), `{1}` the zone's number.
    pub(crate) const SUBNET: Row = resource(
        "aws_subnet",
        "{block}_{0}_{1}",
        &[tag("{stack}-{block}-{0}-{1}")],
        "a subnet of {}",
    );
    pub(crate) const INTERNET_GATEWAY: Row = resource(
        "aws_internet_gateway",
        "{block}",
        &[tag("{stack}-{block}")],
        "the internet gateway of {}",
    );
    /// `{0}` the zone's number.
    pub(crate) const NAT_ADDRESS: Row = resource(
        "aws_eip",
        "{block}_nat_{0}",
        &[tag("{stack}-{block}-nat-{0}")],
        "the address of a NAT gateway of {}",
    );
    pub(crate) const NAT_GATEWAY: Row = resource(
        "aws_nat_gateway",
        "{block}_{0}",
        &[tag("{stack}-{block}-nat-{0}")],
        "a NAT gateway of {}",
    );
    pub(crate) const PUBLIC_ROUTES: Row = resource(
        "aws_route_table",
        "{block}_public",
        &[tag("{stack}-{block}-public")],
        "the public route table of {}",
    );
    pub(crate) const PUBLIC_ROUTE: Row = resource(
        "aws_route",
        "{block}_public_internet",
        &[],
        "the route to the internet of {}",
    );
    /// `{0}` the VPN's address.
    pub(crate) const VPN_ATTACHMENT: Row = resource(
        "aws_vpn_gateway_attachment",
        "{block}_{0}",
        &[],
        "the VPN gateway attachment of {}",
    );
    /// `{0}` the zone's number.
    pub(crate) const PUBLIC_ASSOCIATION: Row = resource(
        "aws_route_table_association",
        "{block}_public_{0}",
        &[],
        "a public route table association of {}",
    );
    pub(crate) const PRIVATE_ROUTES: Row = resource(
        "aws_route_table",
        "{block}_private_{0}",
        &[tag("{stack}-{block}-private-{0}")],
        "a private route table of {}",
    );
    pub(crate) const PRIVATE_ROUTE: Row = resource(
        "aws_route",
        "{block}_private_{0}_nat",
        &[],
        "a route through NAT of {}",
    );
    pub(crate) const PRIVATE_ASSOCIATION: Row = resource(
        "aws_route_table_association",
        "{block}_private_{0}",
        &[],
        "a private route table association of {}",
    );
    pub(crate) const PROPAGATION: Row = resource(
        "aws_vpn_gateway_route_propagation",
        "{block}_private_{0}",
        &[],
        "a VPN route propagation of {}",
    );
    pub(crate) const FLOW_LOG_GROUP: Row = resource(
        "aws_cloudwatch_log_group",
        "{block}_flow_logs",
        &[
            named("name", "/pmigc/{stack}/{raw}/flow-logs", &r::LOG_GROUP),
            tag("{stack}-{block}-flow-logs"),
        ],
        "the flow log group of {}",
    );
    pub(crate) const FLOW_LOG_ROLE: Row = resource(
        "aws_iam_role",
        "{block}_flow_logs",
        &[
            named("name", "{stack}-{block}-flow-logs", &r::IAM_ROLE),
            tag("{stack}-{block}-flow-logs"),
        ],
        "the flow log role of {}",
    );
    pub(crate) const FLOW_LOG_POLICY: Row = resource(
        "aws_iam_role_policy",
        "{block}_flow_logs",
        &[named("name", "write-flow-logs", &r::ROLE_POLICY)],
        "the flow log role's policy of {}",
    );
    pub(crate) const FLOW_LOG: Row = resource(
        "aws_flow_log",
        "{block}",
        &[tag("{stack}-{block}-flow-logs")],
        "the flow log of {}",
    );
    /// The Secrets Manager endpoint (`lower::endpoints`): a network that runs a replication.
    pub(crate) const ENDPOINT_GROUP: Row = resource(
        "aws_security_group",
        "{block}_secretsmanager",
        &[
            named("name", "{stack}-{block}-secretsmanager", &r::SECURITY_GROUP),
            tag("{stack}-{block}-secretsmanager"),
        ],
        "the security group of the Secrets Manager endpoint of {}",
    );
    /// `{0}` the calling replication's or service's address.
    pub(crate) const ENDPOINT_FROM: Row = resource(
        "aws_vpc_security_group_ingress_rule",
        "{block}_secretsmanager_from_{0}",
        &[],
        "a rule letting a caller reach the Secrets Manager endpoint of {}",
    );
    pub(crate) const ENDPOINT: Row = resource(
        "aws_vpc_endpoint",
        "{block}_secretsmanager",
        &[tag("{stack}-{block}-secretsmanager")],
        "the Secrets Manager endpoint of {}",
    );
    /// The Route 53 Resolver outbound endpoint (`lower::resolver`): a network with a VPN whose
    /// replications' sources only the data centre's DNS servers know.
    pub(crate) const RESOLVER_GROUP: Row = resource(
        "aws_security_group",
        "{block}_resolver",
        &[
            named("name", "{stack}-{block}-resolver", &r::SECURITY_GROUP),
            tag("{stack}-{block}-resolver"),
        ],
        "the security group of the DNS resolver of {}",
    );
    /// `{0}` `udp` or `tcp`, `{1}` the DNS server's position in the VPN's `dns`, from 1.
    pub(crate) const RESOLVER_TO_SERVER: Row = resource(
        "aws_vpc_security_group_egress_rule",
        "{block}_resolver_{0}_{1}",
        &[],
        "a rule letting the DNS resolver of {} reach a data centre's server",
    );
    pub(crate) const RESOLVER: Row = resource(
        "aws_route53_resolver_endpoint",
        "{block}",
        &[
            named("name", "{stack}-{block}-resolver", &r::RESOLVER_ENDPOINT),
            tag("{stack}-{block}-resolver"),
        ],
        "the DNS resolver's outbound endpoint of {}",
    );
    /// `{0}` the forwarded domain's position, from 1.
    pub(crate) const FORWARD: Row = resource(
        "aws_route53_resolver_rule",
        "{block}_forward_{0}",
        &[
            named("name", "{stack}-{block}-forward-{0}", &r::RESOLVER_RULE),
            tag("{stack}-{block}-forward-{0}"),
        ],
        "a DNS forwarding rule of {}",
    );
    pub(crate) const FORWARD_ASSOCIATION: Row = resource(
        "aws_route53_resolver_rule_association",
        "{block}_forward_{0}",
        &[],
        "a DNS forwarding rule's association with the VPC of {}",
    );
}

/// A database: its Aurora cluster and instances, their groups and monitoring role.
pub(crate) mod database {
    use super::*;

    /// A database a replication feeds (`lower::writer`): where its writes go, and its reader.
    pub(crate) const WRITER_RECORD: Row = resource(
        "aws_route53_record",
        "{block}_writer",
        &[named(
            "name",
            "writer.{block}.{stack}.internal",
            &r::DNS_NAME,
        )],
        "the writer name of {}",
    );
    pub(crate) const READER_RECORD: Row = resource(
        "aws_route53_record",
        "{block}_reader",
        &[named(
            "name",
            "reader.{block}.{stack}.internal",
            &r::DNS_NAME,
        )],
        "the reader name of {}",
    );
    pub(crate) const SUBNET_GROUP: Row = resource(
        "aws_db_subnet_group",
        "{block}",
        &[
            named("name", "{stack}-{block}", &r::DB_SUBNET_GROUP),
            tag("{stack}-{block}"),
        ],
        "the subnet group of {}",
    );
    pub(crate) const GROUP: Row = resource(
        "aws_security_group",
        "{block}",
        &[
            named("name", "{stack}-{block}-db", &r::SECURITY_GROUP),
            tag("{stack}-{block}-db"),
        ],
        "the security group of {}",
    );
    /// `{0}` the address of the service or replication admitted.
    pub(crate) const FROM: Row = resource(
        "aws_vpc_security_group_ingress_rule",
        "{block}_from_{0}",
        &[],
        "a rule admitting a reader or replication into {}",
    );
    /// `{0}` the network's position in `allow`, from 1.
    pub(crate) const ALLOW: Row = resource(
        "aws_vpc_security_group_ingress_rule",
        "{block}_allow_{0}",
        &[],
        "a rule admitting an allowed network into {}",
    );
    pub(crate) const PARAMETER_GROUP: Row = resource(
        "aws_rds_cluster_parameter_group",
        "{block}",
        &[named("name", "{stack}-{block}", &r::RDS_PARAMETER_GROUP)],
        "the cluster parameter group of {}",
    );
    pub(crate) const CLUSTER: Row = resource(
        "aws_rds_cluster",
        "{block}",
        &[
            named("cluster_identifier", "{stack}-{block}", &r::RDS_CLUSTER),
            named(
                "final_snapshot_identifier",
                "{stack}-{block}-final",
                &r::RDS_SNAPSHOT,
            ),
            tag("{stack}-{block}"),
        ],
        "the Aurora cluster of {}",
    );
    pub(crate) const MONITORING_ROLE: Row = resource(
        "aws_iam_role",
        "{block}_monitoring",
        &[
            named("name", "{stack}-{block}-monitoring", &r::IAM_ROLE),
            tag("{stack}-{block}-monitoring"),
        ],
        "the enhanced monitoring role of {}",
    );
    pub(crate) const MONITORING_POLICY: Row = resource(
        "aws_iam_role_policy_attachment",
        "{block}_monitoring",
        &[],
        "the enhanced monitoring role's policy of {}",
    );
    /// `{0}` `writer` or `reader`, `{1}` its number.
    pub(crate) const INSTANCE: Row = resource(
        "aws_rds_cluster_instance",
        "{block}_{0}_{1}",
        &[
            named("identifier", "{stack}-{block}-{0}-{1}", &r::RDS_INSTANCE),
            tag("{stack}-{block}-{0}-{1}"),
        ],
        "an instance of {}",
    );
}

/// A service: its instances, identity, load balancer or route, and alarm.
pub(crate) mod service {
    use super::*;

    pub(crate) const GROUP: Row = resource(
        "aws_security_group",
        "{block}",
        &[
            named("name", "{stack}-{block}-svc", &r::SECURITY_GROUP),
            tag("{stack}-{block}-svc"),
        ],
        "the security group of {}",
    );
    /// `{0}` the database's address.
    pub(crate) const TO_DATABASE: Row = resource(
        "aws_vpc_security_group_egress_rule",
        "{block}_to_{0}",
        &[],
        "a rule letting {} reach a database",
    );
    pub(crate) const HTTPS_OUT: Row = resource(
        "aws_vpc_security_group_egress_rule",
        "{block}_https_out",
        &[],
        "the rule letting {} reach AWS's APIs",
    );
    pub(crate) const ALB_GROUP: Row = resource(
        "aws_security_group",
        "{block}_alb",
        &[
            named("name", "{stack}-{block}-alb", &r::SECURITY_GROUP),
            tag("{stack}-{block}-alb"),
        ],
        "the security group of the load balancer of {}",
    );
    /// `{0}` the listener (`https`, `http`).
    pub(crate) const ALB_FROM_INTERNET: Row = resource(
        "aws_vpc_security_group_ingress_rule",
        "{block}_alb_{0}",
        &[],
        "a rule admitting the internet into the load balancer of {}",
    );
    /// `{0}` the listener, `{1}` the source (`vpc`, `onprem_N`).
    pub(crate) const ALB_FROM_NETWORK: Row = resource(
        "aws_vpc_security_group_ingress_rule",
        "{block}_alb_{0}_{1}",
        &[],
        "a rule admitting a network into the internal load balancer of {}",
    );
    /// `{0}` the address of the service whose load balancer it is (the service itself, or
    /// the one it is routed on).
    pub(crate) const ALB_TO_SERVICE: Row = resource(
        "aws_vpc_security_group_egress_rule",
        "{0}_alb_to_{block}",
        &[],
        "the rule letting a load balancer reach {}",
    );
    pub(crate) const FROM_ALB: Row = resource(
        "aws_vpc_security_group_ingress_rule",
        "{block}_from_{0}_alb",
        &[],
        "the rule admitting a load balancer into {}",
    );
    pub(crate) const TARGET_GROUP: Row = resource(
        "aws_lb_target_group",
        "{block}",
        &[
            named("name", "{stack}-{block}", &r::TARGET_GROUP),
            tag("{stack}-{block}"),
        ],
        "the target group of {}",
    );
    pub(crate) const LOAD_BALANCER: Row = resource(
        "aws_lb",
        "{block}",
        &[
            named("name", "{stack}-{block}", &r::LOAD_BALANCER),
            named("access_logs.prefix", "{raw}", &r::LOG_PREFIX),
            tag("{stack}-{block}"),
        ],
        "the load balancer of {}",
    );
    /// `{0}` `https` or `http`.
    pub(crate) const LISTENER: Row = resource(
        "aws_lb_listener",
        "{block}_{0}",
        &[],
        "a listener of the load balancer of {}",
    );
    pub(crate) const LISTENER_RULE: Row = resource(
        "aws_lb_listener_rule",
        "{block}",
        &[tag("{stack}-{block}")],
        "the listener rule routing to {}",
    );
    /// `{0}` the network's position in `allow`, from 1.
    pub(crate) const ALLOW: Row = resource(
        "aws_vpc_security_group_ingress_rule",
        "{block}_allow_{0}",
        &[],
        "a rule admitting an allowed network into {}",
    );
    pub(crate) const ROLE: Row = resource(
        "aws_iam_role",
        "{block}",
        &[
            named("name", "{stack}-{block}", &r::IAM_ROLE),
            tag("{stack}-{block}"),
        ],
        "the instance role of {}",
    );
    pub(crate) const SECRETS_POLICY: Row = resource(
        "aws_iam_role_policy",
        "{block}_secrets",
        &[named("name", "read-database-credentials", &r::ROLE_POLICY)],
        "the policy letting {} read database credentials",
    );
    pub(crate) const PROFILE: Row = resource(
        "aws_iam_instance_profile",
        "{block}",
        &[named("name", "{stack}-{block}", &r::INSTANCE_PROFILE)],
        "the instance profile of {}",
    );
    /// `{0}` the database's address, `{1}` the key, `{2}` the database's name.
    pub(crate) const PARAMETER: Row = resource(
        "aws_ssm_parameter",
        "{block}_{0}_{1}",
        &[named("name", "/{stack}-{block}/{2}/{1}", &r::SSM_PARAMETER)],
        "a boot parameter of {}",
    );
    /// The path under which a service's boot parameters are, which its role may read and its
    /// instances' `pmigc:parameters` tag gives (with a trailing `/`); measured with the
    /// parameters' names, which start with it.
    pub(crate) const PARAMETER_PATH: Named = named("path", "/{stack}-{block}", &r::SSM_PARAMETER);
    pub(crate) const PARAMETERS_POLICY: Row = resource(
        "aws_iam_role_policy",
        "{block}_parameters",
        &[named("name", "read-service-parameters", &r::ROLE_POLICY)],
        "the policy letting {} read its boot parameters",
    );
    pub(crate) const LAUNCH_TEMPLATE: Row = resource(
        "aws_launch_template",
        "{block}",
        &[
            named("name", "{stack}-{block}", &r::LAUNCH_TEMPLATE),
            tag("{stack}-{block}"),
        ],
        "the launch template of {}",
    );
    pub(crate) const GROUP_OF_INSTANCES: Row = resource(
        "aws_autoscaling_group",
        "{block}",
        &[
            named("name", "{stack}-{block}", &r::AUTOSCALING_GROUP),
            named("tag.Name", "{stack}-{block}", &r::TAG_VALUE),
        ],
        "the Auto Scaling group of {}",
    );
    /// `{0}` the database's address, `{1}` the data centre network's position, from 1: before
    /// the database's data cutover, a service that writes it reaches the data centre's primary.
    pub(crate) const TO_DATACENTRE: Row = resource(
        "aws_vpc_security_group_egress_rule",
        "{block}_to_{0}_datacentre_{1}",
        &[],
        "a rule letting {} reach the data centre's primary of a database it writes",
    );
    pub(crate) const CPU_POLICY: Row = resource(
        "aws_autoscaling_policy",
        "{block}_cpu",
        &[named("name", "{stack}-{block}-cpu", &r::SCALING_POLICY)],
        "the scaling policy of {}",
    );
    pub(crate) const CPU_ALARM: Row = resource(
        "aws_cloudwatch_metric_alarm",
        "{block}_cpu_high",
        &[
            named("alarm_name", "{stack}-{block}-cpu-high", &r::ALARM),
            tag("{stack}-{block}-cpu-high"),
        ],
        "the CPU alarm of {}",
    );
    /// A gate's alarm on the service's load balancer: `{0}` what it watches in addresses
    /// (`errors_under_10_per_minute_target`, `latency_under_500ms`), `{1}` the same in AWS
    /// names (`errors-under-10-per-minute-target`).
    pub(crate) const GATE_ALARM: Row = resource(
        "aws_cloudwatch_metric_alarm",
        "{block}_{0}",
        &[
            named("alarm_name", "{stack}-{block}-{1}", &r::ALARM),
            tag("{stack}-{block}-{1}"),
        ],
        "an alarm of a gate on {}",
    );
    /// The Route 53 health check bound to `GATE_ALARM` (same parameters).
    pub(crate) const GATE_CHECK: Row = resource(
        "aws_route53_health_check",
        "{block}_{0}",
        &[tag("{stack}-{block}-{1}")],
        "a health check of a gate on {}",
    );
    pub(crate) const WAF_ASSOCIATION: Row = resource(
        "aws_wafv2_web_acl_association",
        "{block}",
        &[],
        "the web ACL association of the load balancer of {}",
    );
}

/// A replication: its DMS instance, endpoints and their secrets, task, and the gate's alarms
/// on it.
pub(crate) mod replication {
    use super::*;

    pub(crate) const TASK_RESOURCE_ID: Row = row(
        Section::Local,
        "",
        "{block}_task_resource_id",
        &[],
        "the task's resource id of {}",
    );
    pub(crate) const SUBNET_GROUP: Row = resource(
        "aws_dms_replication_subnet_group",
        "{block}",
        &[
            named(
                "replication_subnet_group_id",
                "{stack}-{block}",
                &r::DMS_SUBNET_GROUP,
            ),
            tag("{stack}-{block}"),
        ],
        "the DMS subnet group of {}",
    );
    pub(crate) const GROUP: Row = resource(
        "aws_security_group",
        "{block}",
        &[
            named("name", "{stack}-{block}-dms", &r::SECURITY_GROUP),
            tag("{stack}-{block}-dms"),
        ],
        "the security group of {}",
    );
    /// `{0}` the on-premises network's position, from 1.
    pub(crate) const TO_ONPREM: Row = resource(
        "aws_vpc_security_group_egress_rule",
        "{block}_to_onprem_{0}",
        &[],
        "a rule letting {} reach its source",
    );
    /// `{0}` the target database's address.
    pub(crate) const TO_DATABASE: Row = resource(
        "aws_vpc_security_group_egress_rule",
        "{block}_to_{0}",
        &[],
        "the rule letting {} reach its target",
    );
    /// In a network with a Secrets Manager endpoint (`lower::endpoints`).
    pub(crate) const TO_SECRETS_MANAGER: Row = resource(
        "aws_vpc_security_group_egress_rule",
        "{block}_to_secretsmanager",
        &[],
        "the rule letting {} reach its network's Secrets Manager endpoint",
    );
    pub(crate) const INSTANCE: Row = resource(
        "aws_dms_replication_instance",
        "{block}",
        &[
            named(
                "replication_instance_id",
                "{stack}-{block}",
                &r::DMS_INSTANCE,
            ),
            tag("{stack}-{block}"),
        ],
        "the DMS replication instance of {}",
    );
    /// `{0}` `source` or `target`.
    pub(crate) const SECRET: Row = resource(
        "aws_secretsmanager_secret",
        "{block}_{0}",
        &[
            named("name", "{stack}-{block}-{0}", &r::SECRET),
            tag("{stack}-{block}-{0}"),
        ],
        "an endpoint secret of {}",
    );
    pub(crate) const SECRET_VERSION: Row = resource(
        "aws_secretsmanager_secret_version",
        "{block}_{0}",
        &[],
        "an endpoint secret's value of {}",
    );
    pub(crate) const ENDPOINT: Row = resource(
        "aws_dms_endpoint",
        "{block}_{0}",
        &[
            named("endpoint_id", "{stack}-{block}-{0}", &r::DMS_ENDPOINT),
            tag("{stack}-{block}-{0}"),
        ],
        "a DMS endpoint of {}",
    );
    pub(crate) const SECRETS_ROLE: Row = resource(
        "aws_iam_role",
        "{block}_secrets",
        &[
            named("name", "{stack}-{block}-secrets", &r::IAM_ROLE),
            tag("{stack}-{block}-secrets"),
        ],
        "the role DMS reads the endpoint secrets of {} with",
    );
    pub(crate) const SECRETS_POLICY: Row = resource(
        "aws_iam_role_policy",
        "{block}_secrets",
        &[named("name", "read-endpoint-credentials", &r::ROLE_POLICY)],
        "the policy of the role DMS reads the endpoint secrets of {} with",
    );
    pub(crate) const TASK: Row = resource(
        "aws_dms_replication_task",
        "{block}",
        &[
            named("replication_task_id", "{stack}-{block}", &r::DMS_TASK),
            tag("{stack}-{block}"),
        ],
        "the DMS task of {}",
    );
    /// `{0}` the gate's threshold in seconds, `{1}` `source` or `target`.
    pub(crate) const LAG_ALARM: Row = resource(
        "aws_cloudwatch_metric_alarm",
        "{block}_lag_under_{0}s_{1}",
        &[
            named(
                "alarm_name",
                "{stack}-{block}-lag-under-{0}s-{1}",
                &r::ALARM,
            ),
            tag("{stack}-{block}-lag-under-{0}s-{1}"),
        ],
        "a lag alarm of a gate on {}",
    );
    pub(crate) const LAG_CHECK: Row = resource(
        "aws_route53_health_check",
        "{block}_lag_under_{0}s_{1}",
        &[tag("{stack}-{block}-lag-under-{0}s-{1}")],
        "a lag health check of a gate on {}",
    );
    /// `{0}` `failed` or `suspended`.
    pub(crate) const VALIDATION_ALARM: Row = resource(
        "aws_cloudwatch_metric_alarm",
        "{block}_validation_{0}",
        &[
            named("alarm_name", "{stack}-{block}-validation-{0}", &r::ALARM),
            tag("{stack}-{block}-validation-{0}"),
        ],
        "a validation alarm of {}",
    );
    pub(crate) const VALIDATION_CHECK: Row = resource(
        "aws_route53_health_check",
        "{block}_validation_{0}",
        &[tag("{stack}-{block}-validation-{0}")],
        "a validation health check of {}",
    );
}

/// A data cutover: its fallback replication (Aurora to the data centre) is built like a
/// replication, from `replication`'s rows, and watched by these alarms.
pub(crate) mod data_cutover {
    use super::*;

    /// `{0}` what it watches in addresses (`lag_source`, `validation_failed`…), `{1}` the same
    /// in AWS names (`lag-source`…).
    pub(crate) const FALLBACK_ALARM: Row = resource(
        "aws_cloudwatch_metric_alarm",
        "{block}_{0}",
        &[
            named("alarm_name", "{stack}-{block}-{1}", &r::ALARM),
            tag("{stack}-{block}-{1}"),
        ],
        "an alarm on the fallback of {}",
    );
}

/// A cutover: its records, health checks and the check of its replications' tasks.
pub(crate) mod cutover {
    use super::*;

    pub(crate) const ZONE: Row = row(
        Section::Data,
        "aws_route53_zone",
        "{block}",
        &[],
        "the hosted zone lookup of {}",
    );
    pub(crate) const LEGACY_RECORD: Row = resource(
        "aws_route53_record",
        "{block}_legacy",
        &[],
        "the legacy record of {}",
    );
    pub(crate) const AWS_RECORD: Row = resource(
        "aws_route53_record",
        "{block}_aws",
        &[],
        "the AWS record of {}",
    );
    pub(crate) const APP_CHECK: Row = resource(
        "aws_route53_health_check",
        "{block}_app",
        &[tag("{stack}-{block}-app")],
        "the application health check of {}",
    );
    pub(crate) const GATE_CHECK: Row = resource(
        "aws_route53_health_check",
        "{block}_gate",
        &[tag("{stack}-{block}-gate")],
        "the gate's health check of {}",
    );
    /// `{0}` the watched replication's address.
    pub(crate) const RUNNING: Row = row(
        Section::Check,
        "",
        "{block}_{0}_running",
        &[],
        "the check that a replication of the gate of {} runs",
    );
    /// The data source inside that check.
    pub(crate) const RUNNING_TASK: Row = row(
        Section::Data,
        "aws_dms_replication_task",
        "{block}_{0}_task",
        &[],
        "the task lookup of the check of {}",
    );
}

/// A dashboard, and its further pages past CloudWatch's 500 widgets.
pub(crate) mod dashboard {
    use super::*;

    pub(crate) const DASHBOARD: Row = resource(
        "aws_cloudwatch_dashboard",
        "{block}",
        &[named("dashboard_name", "{stack}-{block}", &r::DASHBOARD)],
        "{}",
    );
    /// `{0}` the page's number, from 2.
    pub(crate) const PAGE: Row = resource(
        "aws_cloudwatch_dashboard",
        "{block}_{0}",
        &[named(
            "dashboard_name",
            "{stack}-{block}-{0}",
            &r::DASHBOARD,
        )],
        "a further page of {}",
    );
}

/// An output: its name as written.
pub(crate) const OUTPUT: Row = row(Section::Output, "", "{raw}", &[], "{}");
