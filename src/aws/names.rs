//! What AWS accepts as the name of each kind of resource pmigc emits: length, characters and
//! reserved prefixes, per resource type and argument. The checker measures the names a block
//! derives against these, and the verifier every name in a root.
//!
//! Sources (API references, parameter constraints): Elastic Load Balancing `CreateLoadBalancer`
//! and `CreateTargetGroup` (`Name`); Amazon RDS `CreateDBCluster` (`DBClusterIdentifier`),
//! `CreateDBInstance` (`DBInstanceIdentifier`), `CreateDBClusterParameterGroup`,
//! `CreateDBSubnetGroup`; AWS DMS `CreateReplicationInstance`
//! (`ReplicationInstanceIdentifier`), `CreateEndpoint` (`EndpointIdentifier`),
//! `CreateReplicationTask`, `CreateReplicationSubnetGroup`; IAM "IAM and AWS STS quotas" (role
//! names 64, instance profile and policy names 128 characters of `[\w+=,.@-]`); Amazon EC2
//! `CreateSecurityGroup` (255 characters, not starting `sg-`) and `CreateLaunchTemplate`
//! (3–128 of `[a-zA-Z0-9().\-/_]`); Secrets Manager `CreateSecret` (512 of `A-Za-z0-9/_+=.@-`);
//! CloudWatch Logs `CreateLogGroup` (512 of `[.\-_/#A-Za-z0-9]`), `PutMetricAlarm` (255),
//! `PutDashboard` (255 of `A-Za-z0-9-_`); AWS KMS `CreateAlias` (`alias/`, 256, never
//! `alias/aws/`); Amazon S3 "General purpose bucket naming rules" (3–63 lowercase letters,
//! digits, `.` and `-`, starting and ending with a letter or digit); AWS WAF `CreateWebACL`
//! (128 of `[\w-]`); Amazon EC2 Auto Scaling `CreateAutoScalingGroup` and
//! `PutScalingPolicy` (255).

/// The characters a name may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// Letters, digits and hyphens; starts with a letter; no `--`; does not end with `-`
    /// (RDS and DMS identifiers).
    Identifier,
    /// Letters, digits and hyphens; does not start or end with `-` (load balancers, target
    /// groups).
    Hyphenated,
    /// `[\w+=,.@-]` (IAM).
    Iam,
    /// `A-Za-z0-9/_+=.@-` (Secrets Manager).
    Secret,
    /// `[.\-_/#A-Za-z0-9]` (CloudWatch Logs).
    LogGroup,
    /// Lowercase letters, digits, `.` and `-`, starting and ending with a letter or digit (S3).
    Bucket,
    /// `[a-zA-Z0-9().\-/_]` (launch templates).
    LaunchTemplate,
    /// `[\w-]` (WAF, dashboards).
    Word,
    /// Any printable character.
    Printable,
}

impl Charset {
    /// What is wrong with `name`'s characters, if anything.
    pub fn problem(self, name: &str) -> Option<&'static str> {
        let all = |f: fn(char) -> bool| name.chars().all(f);
        let ok = match self {
            Charset::Identifier => {
                all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && name.starts_with(|c: char| c.is_ascii_alphabetic())
                    && !name.contains("--")
                    && !name.ends_with('-')
            }
            Charset::Hyphenated => {
                all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !name.starts_with('-')
                    && !name.ends_with('-')
            }
            Charset::Iam => all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)),
            Charset::Secret => all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c)),
            Charset::LogGroup => all(|c| c.is_ascii_alphanumeric() || "._-/#".contains(c)),
            Charset::Bucket => {
                all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
                    && name.starts_with(|c: char| c.is_ascii_alphanumeric())
                    && name.ends_with(|c: char| c.is_ascii_alphanumeric())
            }
            Charset::LaunchTemplate => all(|c| c.is_ascii_alphanumeric() || "().-/_".contains(c)),
            Charset::Word => all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
            Charset::Printable => all(|c| !c.is_control()),
        };
        (!ok).then_some(match self {
            Charset::Identifier => {
                "takes letters, digits and single `-`, starting with a letter and not ending with `-`"
            }
            Charset::Hyphenated => {
                "takes letters, digits and `-`, not starting or ending with `-`"
            }
            Charset::Iam => "takes letters, digits and `_+=,.@-`",
            Charset::Secret => "takes letters, digits and `/_+=.@-`",
            Charset::LogGroup => "takes letters, digits and `._-/#`",
            Charset::Bucket => {
                "takes lowercase letters, digits, `.` and `-`, starting and ending with a letter or digit"
            }
            Charset::LaunchTemplate => "takes letters, digits and `().-/_`",
            Charset::Word => "takes letters, digits, `_` and `-`",
            Charset::Printable => "takes printable characters only",
        })
    }
}

/// One argument that names a resource in AWS.
#[derive(Debug)]
pub struct NameRule {
    pub kind: &'static str,
    pub attribute: &'static str,
    pub what: &'static str,
    pub min: usize,
    pub max: usize,
    pub charset: Charset,
    /// A prefix the name must start with (`alias/`, `aws-waf-logs-`), if any.
    pub prefix: Option<&'static str>,
    /// Prefixes AWS reserves (`sg-`, `alias/aws/`, `internal-`).
    pub reserved: &'static [&'static str],
}

const fn rule(
    kind: &'static str,
    attribute: &'static str,
    what: &'static str,
    max: usize,
    charset: Charset,
) -> NameRule {
    NameRule {
        kind,
        attribute,
        what,
        min: 1,
        max,
        charset,
        prefix: None,
        reserved: &[],
    }
}

pub const LOAD_BALANCER: NameRule = NameRule {
    reserved: &["internal-"],
    ..rule(
        "aws_lb",
        "name",
        "load balancer name",
        32,
        Charset::Hyphenated,
    )
};
pub const TARGET_GROUP: NameRule = rule(
    "aws_lb_target_group",
    "name",
    "target group name",
    32,
    Charset::Hyphenated,
);
pub const RDS_CLUSTER: NameRule = rule(
    "aws_rds_cluster",
    "cluster_identifier",
    "RDS cluster identifier",
    63,
    Charset::Identifier,
);
pub const RDS_INSTANCE: NameRule = rule(
    "aws_rds_cluster_instance",
    "identifier",
    "RDS instance identifier",
    63,
    Charset::Identifier,
);
pub const DMS_INSTANCE: NameRule = rule(
    "aws_dms_replication_instance",
    "replication_instance_id",
    "DMS replication instance identifier",
    63,
    Charset::Identifier,
);
pub const IAM_ROLE: NameRule = rule("aws_iam_role", "name", "IAM role name", 64, Charset::Iam);
pub const BUCKET: NameRule = NameRule {
    min: 3,
    ..rule(
        "aws_s3_bucket",
        "bucket",
        "S3 bucket name",
        63,
        Charset::Bucket,
    )
};

/// Every name argument of every resource type pmigc emits.
pub const RULES: &[NameRule] = &[
    LOAD_BALANCER,
    TARGET_GROUP,
    RDS_CLUSTER,
    RDS_INSTANCE,
    DMS_INSTANCE,
    IAM_ROLE,
    BUCKET,
    rule(
        "aws_rds_cluster",
        "final_snapshot_identifier",
        "final snapshot identifier",
        255,
        Charset::Identifier,
    ),
    rule(
        "aws_rds_cluster_parameter_group",
        "name",
        "cluster parameter group name",
        255,
        Charset::Identifier,
    ),
    rule(
        "aws_db_subnet_group",
        "name",
        "DB subnet group name",
        255,
        Charset::Printable,
    ),
    rule(
        "aws_dms_endpoint",
        "endpoint_id",
        "DMS endpoint identifier",
        255,
        Charset::Identifier,
    ),
    rule(
        "aws_dms_replication_task",
        "replication_task_id",
        "DMS task identifier",
        255,
        Charset::Identifier,
    ),
    rule(
        "aws_dms_replication_subnet_group",
        "replication_subnet_group_id",
        "DMS subnet group identifier",
        255,
        Charset::Printable,
    ),
    rule(
        "aws_iam_instance_profile",
        "name",
        "instance profile name",
        128,
        Charset::Iam,
    ),
    rule(
        "aws_iam_role_policy",
        "name",
        "role policy name",
        128,
        Charset::Iam,
    ),
    NameRule {
        reserved: &["sg-"],
        ..rule(
            "aws_security_group",
            "name",
            "security group name",
            255,
            Charset::Printable,
        )
    },
    rule(
        "aws_secretsmanager_secret",
        "name",
        "secret name",
        512,
        Charset::Secret,
    ),
    rule(
        "aws_cloudwatch_log_group",
        "name",
        "log group name",
        512,
        Charset::LogGroup,
    ),
    rule(
        "aws_cloudwatch_metric_alarm",
        "alarm_name",
        "alarm name",
        255,
        Charset::Printable,
    ),
    rule(
        "aws_cloudwatch_dashboard",
        "dashboard_name",
        "dashboard name",
        255,
        Charset::Word,
    ),
    NameRule {
        prefix: Some("alias/"),
        reserved: &["alias/aws/"],
        ..rule("aws_kms_alias", "name", "KMS alias", 256, Charset::LogGroup)
    },
    NameRule {
        min: 3,
        ..rule(
            "aws_launch_template",
            "name",
            "launch template name",
            128,
            Charset::LaunchTemplate,
        )
    },
    rule(
        "aws_autoscaling_group",
        "name",
        "Auto Scaling group name",
        255,
        Charset::Printable,
    ),
    rule(
        "aws_autoscaling_policy",
        "name",
        "scaling policy name",
        255,
        Charset::Printable,
    ),
    rule(
        "aws_wafv2_web_acl",
        "name",
        "web ACL name",
        128,
        Charset::Word,
    ),
    rule(
        "aws_vpc_endpoint",
        "service_name",
        "VPC endpoint service",
        255,
        Charset::Printable,
    ),
    rule(
        "aws_route53_resolver_endpoint",
        "name",
        "Resolver endpoint name",
        64,
        Charset::Printable,
    ),
    rule(
        "aws_route53_resolver_rule",
        "name",
        "Resolver rule name",
        64,
        Charset::Printable,
    ),
];

impl NameRule {
    /// What AWS refuses in `name`, in a sentence, if anything.
    pub fn problem(&self, name: &str) -> Option<String> {
        let len = name.chars().count();
        if len > self.max {
            return Some(format!(
                "is {len} characters; AWS allows at most {}",
                self.max
            ));
        }
        if len < self.min {
            return Some(format!(
                "is {len} characters; AWS needs at least {}",
                self.min
            ));
        }
        if let Some(prefix) = self.prefix
            && !name.starts_with(prefix)
        {
            return Some(format!("must start with `{prefix}`"));
        }
        if let Some(reserved) = self.reserved.iter().find(|r| name.starts_with(**r)) {
            return Some(format!("starts with `{reserved}`, which AWS reserves"));
        }
        let checked = self
            .prefix
            .and_then(|p| name.strip_prefix(p))
            .unwrap_or(name);
        self.charset.problem(checked).map(str::to_string)
    }
}

/// The rule for a resource type's argument.
pub fn rule_for(kind: &str, attribute: &str) -> Option<&'static NameRule> {
    RULES
        .iter()
        .find(|r| r.kind == kind && r.attribute == attribute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_characters() {
        assert!(RDS_INSTANCE.problem(&"a".repeat(63)).is_none());
        assert!(RDS_INSTANCE.problem(&"a".repeat(64)).is_some());
        assert!(RDS_INSTANCE.problem("shop--db").is_some());
        assert!(IAM_ROLE.problem("shop-prod-ledger-monitoring").is_none());
        assert!(BUCKET.problem("Shop").is_some());
        let alias = rule_for("aws_kms_alias", "name").unwrap();
        assert!(alias.problem("alias/shop").is_none());
        assert!(alias.problem("alias/aws/shop").is_some());
        assert!(alias.problem("shop").is_some());
        assert!(LOAD_BALANCER.problem("internal-shop").is_some());
    }
}
