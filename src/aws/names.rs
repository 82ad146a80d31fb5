//! What AWS accepts as the name of each kind of resource pmigc emits — length, characters,
//! reserved prefixes and suffixes, case, and where the name must be unique — and which argument
//! of which resource type each rule applies to (`ARGUMENTS`). This is the one place these facts
//! live: the registry of derived names (`crate::derived::table`) names, for each name a block
//! derives, the rule here it follows, so the checker measures every derived name of every
//! workspace against it before anything is lowered (`check::derived`); the verifier measures
//! every name in an emitted root against the same rules through `ARGUMENTS`
//! (`verify::rules::names`, `verify::rules::account`); a test holds the registry's rows and
//! `ARGUMENTS` to each other. Each rule cites the AWS page it comes from (or the Terraform AWS
//! provider's validation, where it is stricter).
//!
//! Where a page says nothing (whether AWS compares load balancer names ignoring case), the rule
//! says so and pmigc compares exactly: it never guesses a stricter or looser fact.

/// Where a name must be unique: two resources with one name in one scope cannot both exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Not an identifier (a `Name` tag, a log prefix): nothing to be unique against.
    None,
    /// Unique under the resource it belongs to (a role's inline policies, an Auto Scaling
    /// group's scaling policies), which is its own block's: never shared between blocks.
    Parent,
    /// Unique within what one root holds. A security group's name is unique within its VPC;
    /// pmigc's group names end in the kind of block (`-svc`, `-alb`, `-db`, `-dms`), so two
    /// of them are equal only when their blocks' names are, and the root is as fine a scope.
    Root,
    /// Unique in one region of one account.
    Region,
    /// Unique in one account, all regions (IAM, CloudWatch dashboards).
    Account,
    /// Unique across every account (S3 buckets).
    Global,
}

/// What is wrong with a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Longer than AWS allows.
    TooLong { len: usize, max: usize },
    /// Anything else, in a sentence ending the name: "starts with `sg-`, which AWS reserves".
    Refused(String),
}

impl std::fmt::Display for Problem {
    /// The end of a sentence that starts with the name: "is 70 characters; AWS allows at
    /// most 64".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::TooLong { len, max } => {
                write!(f, "is {len} characters; AWS allows at most {max}")
            }
            Problem::Refused(why) => f.write_str(why),
        }
    }
}

/// One kind of name AWS (or the provider) constrains.
#[derive(Debug)]
pub struct NameRule {
    /// Identifies the namespace: two names of one rule (and scope) must differ.
    pub id: &'static str,
    /// "IAM role name", for messages.
    pub what: &'static str,
    pub max: usize,
    pub scope: Scope,
    /// Whether AWS compares these names ignoring case (stores them in lowercase, or says so).
    pub folds_case: bool,
    /// The rule in words, for the label of a refused name.
    pub rule: &'static str,
    /// Where the rule comes from.
    pub source: &'static str,
    /// Everything but the length: `None` when AWS takes the name.
    check: fn(&str) -> Option<String>,
}

impl NameRule {
    /// What AWS refuses in `name`, if anything (the length first).
    pub fn problem(&self, name: &str) -> Option<Problem> {
        let len = if name.is_ascii() {
            name.len()
        } else {
            name.chars().count()
        };
        if len > self.max {
            return Some(Problem::TooLong { len, max: self.max });
        }
        (self.check)(name).map(Problem::Refused)
    }

    /// The name as AWS compares it.
    pub fn key(&self, name: &str) -> String {
        if self.folds_case {
            name.to_ascii_lowercase()
        } else {
            name.to_string()
        }
    }
}

/// The first character of `name` not in `allowed` (a predicate), as a sentence.
fn bad_char(name: &str, allowed: fn(char) -> bool) -> Option<String> {
    name.chars().find(|c| !allowed(*c)).map(|c| {
        if c.is_ascii_graphic() {
            format!("holds `{c}`")
        } else {
            format!("holds the character U+{:04X}", u32::from(c))
        }
    })
}

fn first(problems: &[Option<String>]) -> Option<String> {
    problems.iter().flatten().next().cloned()
}

fn empty(name: &str) -> Option<String> {
    name.is_empty().then(|| "is empty".to_string())
}

fn starts_with_letter(name: &str) -> Option<String> {
    (!name.starts_with(|c: char| c.is_ascii_alphabetic()))
        .then(|| "does not start with a letter".to_string())
}

fn hyphens(name: &str, leading: bool) -> Option<String> {
    if name.contains("--") {
        Some("holds two hyphens in a row".into())
    } else if name.ends_with('-') {
        Some("ends with a hyphen".into())
    } else if leading && name.starts_with('-') {
        Some("starts with a hyphen".into())
    } else {
        None
    }
}

fn reserved_prefix(name: &str, prefixes: &[&str], fold: bool) -> Option<String> {
    prefixes
        .iter()
        .find(|p| {
            name.get(..p.len()).is_some_and(|start| {
                if fold {
                    start.eq_ignore_ascii_case(p)
                } else {
                    start == **p
                }
            })
        })
        .map(|p| format!("starts with `{p}`, which AWS reserves"))
}

fn lower_alnum_hyphen(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

fn alnum_hyphen(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// RDS: a cluster or instance identifier (`validIdentifier` in the provider: lowercase only).
fn rds_identifier(name: &str) -> Option<String> {
    first(&[
        empty(name),
        bad_char(name, lower_alnum_hyphen),
        starts_with_letter(name),
        hyphens(name, false),
    ])
}

/// A final snapshot identifier: letters (either case), digits and single hyphens.
fn rds_snapshot(name: &str) -> Option<String> {
    first(&[
        empty(name),
        bad_char(name, alnum_hyphen),
        starts_with_letter(name),
        hyphens(name, false),
    ])
}

fn rds_parameter_group(name: &str) -> Option<String> {
    first(&[
        empty(name),
        bad_char(name, |c| lower_alnum_hyphen(c) || c == '.'),
        starts_with_letter(name),
        hyphens(name, false),
    ])
}

fn db_subnet_group(name: &str) -> Option<String> {
    first(&[
        empty(name),
        bad_char(name, |c| lower_alnum_hyphen(c) || "_ .".contains(c)),
        name.eq_ignore_ascii_case("default")
            .then(|| "is `default`, which AWS reserves".to_string()),
    ])
}

/// DMS: instance, endpoint and task identifiers (`^[A-Za-z][0-9A-Za-z-]+$`, no `--`, no
/// trailing `-`).
fn dms_identifier(name: &str) -> Option<String> {
    first(&[
        (name.chars().count() < 2).then(|| "is shorter than 2 characters".to_string()),
        bad_char(name, alnum_hyphen),
        starts_with_letter(name),
        hyphens(name, false),
    ])
}

fn dms_subnet_group(name: &str) -> Option<String> {
    first(&[
        empty(name),
        bad_char(name, |c| alnum_hyphen(c) || "_ .".contains(c)),
        (name == "default").then(|| "is `default`, which AWS reserves".to_string()),
    ])
}

fn load_balancer(name: &str) -> Option<String> {
    first(&[
        empty(name),
        bad_char(name, alnum_hyphen),
        (name.starts_with('-') || name.ends_with('-'))
            .then(|| "starts or ends with a hyphen".to_string()),
        reserved_prefix(name, &["internal-"], false),
    ])
}

fn target_group(name: &str) -> Option<String> {
    first(&[
        empty(name),
        bad_char(name, alnum_hyphen),
        (name.starts_with('-') || name.ends_with('-'))
            .then(|| "starts or ends with a hyphen".to_string()),
    ])
}

fn iam(name: &str) -> Option<String> {
    first(&[
        empty(name),
        bad_char(name, |c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)),
    ])
}

fn security_group(name: &str) -> Option<String> {
    first(&[
        empty(name),
        bad_char(name, |c| {
            c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c)
        }),
        reserved_prefix(name, &["sg-"], true),
    ])
}

fn launch_template(name: &str) -> Option<String> {
    first(&[
        (name.chars().count() < 3).then(|| "is shorter than 3 characters".to_string()),
        bad_char(name, |c| c.is_ascii_alphanumeric() || "().-/_".contains(c)),
    ])
}

fn printable(name: &str) -> Option<String> {
    first(&[empty(name), bad_char(name, |c| !c.is_control())])
}

fn secret(name: &str) -> Option<String> {
    first(&[
        empty(name),
        bad_char(name, |c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c)),
    ])
}

fn log_group(name: &str) -> Option<String> {
    first(&[
        empty(name),
        bad_char(name, |c| c.is_ascii_alphanumeric() || "._-/#".contains(c)),
    ])
}

fn waf_log_group(name: &str) -> Option<String> {
    first(&[
        log_group(name),
        (!name.starts_with("aws-waf-logs-"))
            .then(|| "does not start with `aws-waf-logs-`".to_string()),
    ])
}

fn word(name: &str) -> Option<String> {
    first(&[
        empty(name),
        bad_char(name, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
    ])
}

fn waf_metric(name: &str) -> Option<String> {
    first(&[
        empty(name),
        bad_char(name, |c| c.is_ascii_alphanumeric() || "_#:.-/".contains(c)),
        (name == "All" || name == "Default_Action")
            .then(|| format!("is `{name}`, which WAF reserves")),
    ])
}

fn kms_alias(name: &str) -> Option<String> {
    let Some(rest) = name.strip_prefix("alias/") else {
        return Some("does not start with `alias/`".into());
    };
    first(&[
        empty(rest).map(|_| "has nothing after `alias/`".to_string()),
        bad_char(rest, |c| c.is_ascii_alphanumeric() || "/_-".contains(c)),
        rest.starts_with("aws/")
            .then(|| "starts with `alias/aws/`, which AWS reserves".to_string()),
    ])
}

/// S3's general purpose bucket naming rules.
pub(crate) fn bucket(name: &str) -> Option<String> {
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let ip = name.split('.').count() == 4
        && name
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()));
    first(&[
        (name.chars().count() < 3).then(|| "is shorter than 3 characters".to_string()),
        bad_char(name, |c| lower_alnum_hyphen(c) || c == '.'),
        (!edge(name.chars().next()) || !edge(name.chars().last()))
            .then(|| "does not start and end with a lowercase letter or digit".to_string()),
        name.contains("..")
            .then(|| "holds two periods in a row".to_string()),
        ip.then(|| "is written like an IP address".to_string()),
        reserved_prefix(name, &["xn--", "sthree-", "amzn-s3-demo-"], false),
        ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]
            .iter()
            .find(|s| name.ends_with(**s))
            .map(|s| format!("ends with `{s}`, which S3 reserves")),
    ])
}

fn ssm_parameter(name: &str) -> Option<String> {
    let path = name.trim_start_matches('/');
    let levels = path.split('/').count();
    let reserved = ["aws", "ssm"]
        .iter()
        .any(|p| path.get(..3).is_some_and(|s| s.eq_ignore_ascii_case(p)));
    first(&[
        empty(name),
        bad_char(name, |c| c.is_ascii_alphanumeric() || "_.-/".contains(c)),
        reserved.then(|| "starts with `aws` or `ssm`, which Parameter Store reserves".to_string()),
        (levels > 15).then(|| format!("is {levels} levels deep; Parameter Store allows 15")),
    ])
}

fn log_prefix(name: &str) -> Option<String> {
    first(&[
        name.contains("AWSLogs")
            .then(|| "holds `AWSLogs`, which load balancer log delivery reserves".to_string()),
        name.starts_with('/').then(|| "starts with `/`".to_string()),
    ])
}

fn resolver(name: &str) -> Option<String> {
    first(&[
        empty(name),
        bad_char(name, |c| c.is_ascii_alphanumeric() || "-_' ".contains(c)),
        name.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| "is only digits".to_string()),
    ])
}

fn dns_name(name: &str) -> Option<String> {
    let name = name.strip_suffix('.').unwrap_or(name);
    first(&[
        empty(name),
        name.split('.')
            .find(|label| label.is_empty())
            .map(|_| "has an empty label (two dots in a row)".to_string()),
        name.split('.')
            .find(|label| label.len() > 63)
            .map(|label| format!("has the label `{label}`, longer than 63 characters")),
        bad_char(name, |c| {
            c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'
        }),
    ])
}

fn tag_value(name: &str) -> Option<String> {
    bad_char(name, |c| !c.is_control())
}

macro_rules! rule {
    ($name:ident, $id:literal, $what:literal, $max:expr, $scope:ident, $folds:literal, $check:expr, $rule:literal, $source:literal) => {
        pub(crate) const $name: NameRule = NameRule {
            id: $id,
            what: $what,
            max: $max,
            scope: Scope::$scope,
            folds_case: $folds,
            rule: $rule,
            source: $source,
            check: $check,
        };
    };
}

// Elastic Load Balancing API Reference, CreateLoadBalancer (`Name`): "up to 32 alphanumeric
// characters or hyphens, must not begin or end with a hyphen", "must not begin with
// `internal-`"; unique per region and account. The page does not say names ignore case.
rule!(
    LOAD_BALANCER,
    "elb",
    "load balancer name",
    32,
    Region,
    false,
    load_balancer,
    "1 to 32 letters, digits and `-`, not starting or ending with `-`, not starting with `internal-`",
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html"
);
// CreateTargetGroup (`Name`): up to 32 alphanumeric characters or hyphens, not beginning or
// ending with a hyphen.
rule!(
    TARGET_GROUP,
    "target-group",
    "target group name",
    32,
    Region,
    false,
    target_group,
    "1 to 32 letters, digits and `-`, not starting or ending with `-`",
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html"
);
// RDS CreateDBCluster (`DBClusterIdentifier`): 1 to 63 letters, numbers or hyphens, first a
// letter, no trailing or double hyphen, stored in lowercase; the provider (`validIdentifier`,
// internal/service/rds/validate.go) refuses uppercase letters.
rule!(
    RDS_CLUSTER,
    "rds-cluster",
    "RDS cluster identifier",
    63,
    Region,
    true,
    rds_identifier,
    "1 to 63 lowercase letters, digits and single `-`, starting with a letter, not ending with `-`",
    "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html"
);
// CreateDBInstance (`DBInstanceIdentifier`): the same rule, 63 characters.
rule!(
    RDS_INSTANCE,
    "rds-instance",
    "RDS instance identifier",
    63,
    Region,
    true,
    rds_identifier,
    "1 to 63 lowercase letters, digits and single `-`, starting with a letter, not ending with `-`",
    "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html"
);
// DeleteDBCluster (`FinalDBSnapshotIdentifier`): 1 to 255 letters, numbers or hyphens, first a
// letter, no trailing or double hyphen.
rule!(
    RDS_SNAPSHOT,
    "rds-snapshot",
    "final snapshot identifier",
    255,
    Region,
    true,
    rds_snapshot,
    "1 to 255 letters, digits and single `-`, starting with a letter, not ending with `-`",
    "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBCluster.html"
);
// CreateDBClusterParameterGroup; the provider's `validParamGroupName`: lowercase letters,
// digits, `.` and `-`, a letter first, no trailing or double hyphen, 255 at most.
rule!(
    RDS_PARAMETER_GROUP,
    "rds-parameter-group",
    "cluster parameter group name",
    255,
    Region,
    true,
    rds_parameter_group,
    "1 to 255 lowercase letters, digits, `.` and single `-`, starting with a letter",
    "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBClusterParameterGroup.html"
);
// CreateDBSubnetGroup: at most 255 letters, numbers, periods, underscores, spaces or hyphens,
// not `default`; the provider (`validSubnetGroupName`) takes lowercase only.
rule!(
    DB_SUBNET_GROUP,
    "db-subnet-group",
    "DB subnet group name",
    255,
    Region,
    true,
    db_subnet_group,
    "1 to 255 lowercase letters, digits, `_`, `.`, spaces and `-`, not `default`",
    "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html"
);
// DMS CreateReplicationInstance (`ReplicationInstanceIdentifier`): 1 to 63 alphanumerics or
// hyphens, a letter first, no trailing or double hyphen, stored in lowercase; the provider
// (`validReplicationInstanceID`, internal/service/dms/validate.go) needs 2 characters.
rule!(
    DMS_INSTANCE,
    "dms-instance",
    "DMS replication instance identifier",
    63,
    Region,
    true,
    dms_identifier,
    "2 to 63 letters, digits and single `-`, starting with a letter, not ending with `-`",
    "https://docs.aws.amazon.com/dms/latest/APIReference/API_CreateReplicationInstance.html"
);
// CreateEndpoint (`EndpointIdentifier`): 255 characters, the same rule.
rule!(
    DMS_ENDPOINT,
    "dms-endpoint",
    "DMS endpoint identifier",
    255,
    Region,
    true,
    dms_identifier,
    "2 to 255 letters, digits and single `-`, starting with a letter, not ending with `-`",
    "https://docs.aws.amazon.com/dms/latest/APIReference/API_CreateEndpoint.html"
);
// CreateReplicationTask (`ReplicationTaskIdentifier`): 255 characters, the same rule.
rule!(
    DMS_TASK,
    "dms-task",
    "DMS task identifier",
    255,
    Region,
    true,
    dms_identifier,
    "2 to 255 letters, digits and single `-`, starting with a letter, not ending with `-`",
    "https://docs.aws.amazon.com/dms/latest/APIReference/API_CreateReplicationTask.html"
);
// CreateReplicationSubnetGroup: 255 alphanumerics, periods, spaces, underscores or hyphens,
// not `default`.
rule!(
    DMS_SUBNET_GROUP,
    "dms-subnet-group",
    "DMS subnet group identifier",
    255,
    Region,
    true,
    dms_subnet_group,
    "1 to 255 letters, digits, `_`, `.`, spaces and `-`, not `default`",
    "https://docs.aws.amazon.com/dms/latest/APIReference/API_CreateReplicationSubnetGroup.html"
);
// IAM User Guide, "IAM and AWS STS quotas": role names 64 characters of `[\w+=,.@-]`; names are
// unique in the account and not distinguished by case.
rule!(
    IAM_ROLE,
    "iam-role",
    "IAM role name",
    64,
    Account,
    true,
    iam,
    "1 to 64 letters, digits and `_+=,.@-`",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
);
// The same page: instance profile names, 128 characters.
rule!(
    INSTANCE_PROFILE,
    "iam-instance-profile",
    "instance profile name",
    128,
    Account,
    true,
    iam,
    "1 to 128 letters, digits and `_+=,.@-`",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
);
// The same page: inline policy names, 128 characters; unique per role.
rule!(
    ROLE_POLICY,
    "iam-role-policy",
    "inline policy name",
    128,
    Parent,
    true,
    iam,
    "1 to 128 letters, digits and `_+=,.@-`",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
);
// EC2 CreateSecurityGroup (`GroupName`): up to 255 characters of `a-zA-Z0-9`, spaces and
// `._-:/()#,@[]+=&;{}!$*`, not starting with `sg-`; case-insensitive, unique within the VPC.
rule!(
    SECURITY_GROUP,
    "security-group",
    "security group name",
    255,
    Root,
    true,
    security_group,
    "1 to 255 letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`, not starting with `sg-`",
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html"
);
// EC2 CreateLaunchTemplate (`LaunchTemplateName`): 3 to 128 of `[a-zA-Z0-9\(\)\.\-/_]`.
rule!(
    LAUNCH_TEMPLATE,
    "launch-template",
    "launch template name",
    128,
    Region,
    false,
    launch_template,
    "3 to 128 letters, digits and `().-/_`",
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html"
);
// Auto Scaling CreateAutoScalingGroup (`AutoScalingGroupName`): 1 to 255 characters.
rule!(
    AUTOSCALING_GROUP,
    "autoscaling-group",
    "Auto Scaling group name",
    255,
    Region,
    false,
    printable,
    "1 to 255 printable characters",
    "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html"
);
// PutScalingPolicy (`PolicyName`): 1 to 255 characters, unique per group.
rule!(
    SCALING_POLICY,
    "scaling-policy",
    "scaling policy name",
    255,
    Parent,
    false,
    printable,
    "1 to 255 printable characters",
    "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScalingPolicy.html"
);
// Secrets Manager CreateSecret (`Name`): 1 to 512 of letters, digits and `/_+=.@-`.
rule!(
    SECRET,
    "secret",
    "secret name",
    512,
    Region,
    false,
    secret,
    "1 to 512 letters, digits and `/_+=.@-`",
    "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html"
);
// CloudWatch Logs CreateLogGroup (`logGroupName`): 1 to 512 of `[\.\-_/#A-Za-z0-9]`.
rule!(
    LOG_GROUP,
    "log-group",
    "log group name",
    512,
    Region,
    false,
    log_group,
    "1 to 512 letters, digits and `._-/#`",
    "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html"
);
// AWS WAF Developer Guide, "Sending web ACL traffic logs to an Amazon CloudWatch Logs log
// group": the log group's name must start with `aws-waf-logs-`.
rule!(
    WAF_LOG_GROUP,
    "log-group",
    "WAF log group name",
    512,
    Region,
    false,
    waf_log_group,
    "1 to 512 letters, digits and `._-/#`, starting with `aws-waf-logs-`",
    "https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html"
);
// CloudWatch PutMetricAlarm (`AlarmName`): 1 to 255 characters, unique per region.
rule!(
    ALARM,
    "alarm",
    "alarm name",
    255,
    Region,
    false,
    printable,
    "1 to 255 printable characters",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html"
);
// PutDashboard (`DashboardName`): up to 255 of `A-Za-z0-9`, `-` and `_`; dashboards are global
// to the account.
rule!(
    DASHBOARD,
    "dashboard",
    "dashboard name",
    255,
    Account,
    false,
    word,
    "1 to 255 letters, digits, `-` and `_`",
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html"
);
// KMS CreateAlias (`AliasName`): `alias/` then `^[a-zA-Z0-9/_-]+$`, 256 at most, never
// `alias/aws/`.
rule!(
    KMS_ALIAS,
    "kms-alias",
    "KMS alias",
    256,
    Region,
    false,
    kms_alias,
    "`alias/` then letters, digits and `/_-`, 256 at most, not `alias/aws/…`",
    "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html"
);
// Amazon S3 User Guide, "General purpose bucket naming rules": 3 to 63 lowercase letters,
// digits, `.` and `-`, a letter or digit at both ends, no `..`, not an IP address, not
// starting `xn--`, `sthree-` or `amzn-s3-demo-`, not ending `-s3alias`, `--ol-s3`, `.mrap`,
// `--x-s3` or `--table-s3`; unique across all accounts.
rule!(
    BUCKET,
    "s3-bucket",
    "S3 bucket name",
    63,
    Global,
    false,
    bucket,
    "3 to 63 lowercase letters, digits, `.` and `-`, starting and ending with a letter or digit",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"
);
// WAFv2 CreateWebACL (`Name`): 1 to 128 of `^[\w\-]+$`, unique per scope and region.
rule!(
    WEB_ACL,
    "web-acl",
    "web ACL name",
    128,
    Region,
    false,
    word,
    "1 to 128 letters, digits, `_` and `-`",
    "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html"
);
// VisibilityConfig (`MetricName`): 1 to 255 of `^[\w#:\.\-/]+$`, not `All` or
// `Default_Action`.
rule!(
    WAF_METRIC,
    "waf-metric",
    "WAF metric name",
    255,
    None,
    false,
    waf_metric,
    "1 to 255 letters, digits and `_#:.-/`",
    "https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html"
);
// Systems Manager PutParameter (`Name`): `a-zA-Z0-9_.-` and `/`, not prefixed with `aws` or
// `ssm` (in any case), at most 15 levels, 1011 characters for the name itself.
rule!(
    SSM_PARAMETER,
    "ssm-parameter",
    "SSM parameter name",
    1011,
    Region,
    false,
    ssm_parameter,
    "letters, digits, `_.-` and `/`, not starting with `aws` or `ssm`, at most 15 levels",
    "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html"
);
// Elastic Load Balancing, "Access logs for your Application Load Balancer": "The prefix that
// you specify must not include the string AWSLogs".
rule!(
    LOG_PREFIX,
    "log-prefix",
    "access log prefix",
    1024,
    None,
    false,
    log_prefix,
    "an S3 prefix without `AWSLogs`",
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html"
);
// Route 53 Resolver CreateResolverEndpoint and CreateResolverRule (`Name`): up to 64 of
// `(?!^[0-9]+$)([a-zA-Z0-9\-_' ']+)`: letters, digits, `-`, `_`, `'` and spaces, not only digits. A
// friendly name for the console; AWS does not require it unique.
rule!(
    RESOLVER_ENDPOINT,
    "resolver-endpoint",
    "Resolver endpoint name",
    64,
    None,
    false,
    resolver,
    "1 to 64 letters, digits, `-`, `_`, `'` and spaces, not only digits",
    "https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverEndpoint.html"
);
rule!(
    RESOLVER_RULE,
    "resolver-rule",
    "Resolver rule name",
    64,
    None,
    false,
    resolver,
    "1 to 64 letters, digits, `-`, `_`, `'` and spaces, not only digits",
    "https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverRule.html"
);
// Route 53 Developer Guide, "DNS domain name format": labels of up to 63 bytes, the whole name
// at most 255 bytes with its dots; Route 53 stores letters in lowercase. (It takes other
// printable characters in hosted zone and record names, some through escape codes; the names
// pmigc derives need only letters, digits, `-`, `_` and dots, and anything else is refused.)
// Unique within its hosted zone: pmigc's writer zone is one per root.
rule!(
    DNS_NAME,
    "dns-name",
    "DNS name",
    255,
    Root,
    true,
    dns_name,
    "labels of 1 to 63 letters, digits, `-` and `_` separated by dots, 255 characters in all",
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html"
);
// Tagging AWS resources, "Tag naming limits and requirements": a tag value is at most 256
// Unicode characters.
rule!(
    TAG_VALUE,
    "tag",
    "`Name` tag",
    256,
    None,
    false,
    tag_value,
    "a tag value of at most 256 characters",
    "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html"
);

/// Every rule, for the documentation (`docs/names.md`, written by the registry's tests).
#[cfg(test)]
pub(crate) const ALL: &[&NameRule] = &[
    &LOAD_BALANCER,
    &TARGET_GROUP,
    &RDS_CLUSTER,
    &RDS_INSTANCE,
    &RDS_SNAPSHOT,
    &RDS_PARAMETER_GROUP,
    &DB_SUBNET_GROUP,
    &DMS_INSTANCE,
    &DMS_ENDPOINT,
    &DMS_TASK,
    &DMS_SUBNET_GROUP,
    &IAM_ROLE,
    &INSTANCE_PROFILE,
    &ROLE_POLICY,
    &SECURITY_GROUP,
    &LAUNCH_TEMPLATE,
    &AUTOSCALING_GROUP,
    &SCALING_POLICY,
    &SECRET,
    &LOG_GROUP,
    &WAF_LOG_GROUP,
    &ALARM,
    &DASHBOARD,
    &KMS_ALIAS,
    &BUCKET,
    &WEB_ACL,
    &WAF_METRIC,
    &SSM_PARAMETER,
    &RESOLVER_ENDPOINT,
    &RESOLVER_RULE,
    &DNS_NAME,
    &LOG_PREFIX,
    &TAG_VALUE,
];

/// An argument of a resource type that names the resource in AWS, and the rule for it.
#[derive(Debug)]
pub(crate) struct Argument {
    /// The resource type, or `*` for an argument every resource type may have (`tags.Name`).
    pub kind: &'static str,
    /// The argument; a dotted path reaches into a nested block or map (`tags.Name`,
    /// `access_logs.prefix`; a block written as a list is looked into element by element).
    pub path: &'static str,
    pub rule: &'static NameRule,
}

const fn arg(kind: &'static str, path: &'static str, rule: &'static NameRule) -> Argument {
    Argument { kind, path, rule }
}

/// Every argument of every resource type pmigc emits that names something in AWS. The
/// registry's rows name the same rule for the same argument, or a stricter rule of the same
/// namespace (`WAF_LOG_GROUP` for the log group a web ACL logs to: its `id` is
/// `LOG_GROUP`'s); a test holds them to it.
pub(crate) const ARGUMENTS: &[Argument] = &[
    arg("aws_lb", "name", &LOAD_BALANCER),
    arg("aws_lb", "access_logs.prefix", &LOG_PREFIX),
    arg("aws_lb_target_group", "name", &TARGET_GROUP),
    arg("aws_rds_cluster", "cluster_identifier", &RDS_CLUSTER),
    arg(
        "aws_rds_cluster",
        "final_snapshot_identifier",
        &RDS_SNAPSHOT,
    ),
    arg("aws_rds_cluster_instance", "identifier", &RDS_INSTANCE),
    arg(
        "aws_rds_cluster_parameter_group",
        "name",
        &RDS_PARAMETER_GROUP,
    ),
    arg("aws_db_subnet_group", "name", &DB_SUBNET_GROUP),
    arg(
        "aws_dms_replication_instance",
        "replication_instance_id",
        &DMS_INSTANCE,
    ),
    arg("aws_dms_endpoint", "endpoint_id", &DMS_ENDPOINT),
    arg("aws_dms_replication_task", "replication_task_id", &DMS_TASK),
    arg(
        "aws_dms_replication_subnet_group",
        "replication_subnet_group_id",
        &DMS_SUBNET_GROUP,
    ),
    arg("aws_iam_role", "name", &IAM_ROLE),
    arg("aws_iam_instance_profile", "name", &INSTANCE_PROFILE),
    arg("aws_iam_role_policy", "name", &ROLE_POLICY),
    arg("aws_security_group", "name", &SECURITY_GROUP),
    arg("aws_launch_template", "name", &LAUNCH_TEMPLATE),
    arg("aws_autoscaling_group", "name", &AUTOSCALING_GROUP),
    arg("aws_autoscaling_group", "tag.Name", &TAG_VALUE),
    arg("aws_autoscaling_policy", "name", &SCALING_POLICY),
    arg("aws_secretsmanager_secret", "name", &SECRET),
    arg("aws_cloudwatch_log_group", "name", &LOG_GROUP),
    arg("aws_cloudwatch_metric_alarm", "alarm_name", &ALARM),
    arg("aws_cloudwatch_dashboard", "dashboard_name", &DASHBOARD),
    arg("aws_kms_alias", "name", &KMS_ALIAS),
    arg("aws_s3_bucket", "bucket", &BUCKET),
    arg("aws_wafv2_web_acl", "name", &WEB_ACL),
    arg(
        "aws_wafv2_web_acl",
        "visibility_config.metric_name",
        &WAF_METRIC,
    ),
    arg("aws_ssm_parameter", "name", &SSM_PARAMETER),
    arg("aws_route53_resolver_endpoint", "name", &RESOLVER_ENDPOINT),
    arg("aws_route53_resolver_rule", "name", &RESOLVER_RULE),
    arg("aws_route53_zone", "name", &DNS_NAME),
    arg("aws_route53_record", "name", &DNS_NAME),
    arg("*", "tags.Name", &TAG_VALUE),
];

/// The rule for a resource type's argument (`*` entries apply to every type).
#[cfg(test)]
pub(crate) fn rule_for(kind: &str, path: &str) -> Option<&'static NameRule> {
    ARGUMENTS
        .iter()
        .find(|a| (a.kind == kind || a.kind == "*") && a.path == path)
        .map(|a| a.rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(rule: &NameRule, name: &str) -> bool {
        rule.problem(name).is_some()
    }

    #[test]
    fn each_rule_takes_a_good_name_and_refuses_what_aws_refuses() {
        assert!(!refused(&RDS_CLUSTER, "pay-prod-ledger"));
        assert!(refused(&RDS_CLUSTER, "pay-prod-Ledger"));
        assert!(refused(&RDS_CLUSTER, "pay--ledger"));
        assert!(refused(&RDS_CLUSTER, &"a".repeat(64)));
        assert!(!refused(&RDS_INSTANCE, &"a".repeat(63)));
        assert!(refused(&LOAD_BALANCER, "internal-pay-api"));
        assert!(refused(&LOAD_BALANCER, &"a".repeat(33)));
        assert!(refused(&SECURITY_GROUP, "sg-pay-api-svc"));
        assert!(refused(&SECURITY_GROUP, "SG-pay-api-svc"));
        assert!(!refused(&SECURITY_GROUP, "pay-sg-api-svc"));
        assert!(refused(&DMS_INSTANCE, "a"));
        assert!(!refused(&DMS_INSTANCE, "Pay-orders"));
        assert!(refused(&IAM_ROLE, &"r".repeat(65)));
        assert!(refused(&KMS_ALIAS, "alias/aws/pay"));
        assert!(!refused(&KMS_ALIAS, "alias/pay-prod"));
        assert!(refused(&SSM_PARAMETER, "/aws-pay-api/ledger/port"));
        assert!(refused(&SSM_PARAMETER, "/SSM-pay/ledger/port"));
        assert!(!refused(&SSM_PARAMETER, "/pay-api/ledger/port"));
        assert!(refused(&LOG_PREFIX, "myAWSLogs"));
        assert!(refused(&WAF_LOG_GROUP, "pay-waf"));
        assert!(refused(&DB_SUBNET_GROUP, "default"));
        assert!(refused(&LAUNCH_TEMPLATE, "ab"));
    }

    #[test]
    fn buckets_follow_s3s_naming_rules() {
        assert!(bucket("pay-tfstate").is_none());
        assert!(bucket("my.bucket.name").is_none());
        for bad in [
            "ab",
            "Pay-tfstate",
            "-pay",
            "pay-",
            "pay..state",
            "192.168.5.4",
            "xn--pay",
            "sthree-pay",
            "amzn-s3-demo-pay",
            "pay-s3alias",
            "pay--ol-s3",
            "pay.mrap",
            "pay--x-s3",
            "pay--table-s3",
            "pay_state",
        ] {
            assert!(bucket(bad).is_some(), "{bad} accepted");
        }
        assert!(BUCKET.problem(&"a".repeat(64)).is_some());
    }

    #[test]
    fn each_argument_is_listed_once_and_found_by_its_type() {
        for (i, a) in ARGUMENTS.iter().enumerate() {
            assert!(
                !ARGUMENTS
                    .iter()
                    .skip(i + 1)
                    .any(|b| b.kind == a.kind && b.path == a.path),
                "{} {}",
                a.kind,
                a.path
            );
        }
        assert_eq!(
            rule_for("aws_iam_role", "name").map(|r| r.id),
            Some("iam-role")
        );
        assert_eq!(rule_for("aws_vpc", "tags.Name").map(|r| r.id), Some("tag"));
        assert!(rule_for("aws_vpc", "name").is_none());
        assert_eq!(
            Problem::TooLong { len: 70, max: 64 }.to_string(),
            "is 70 characters; AWS allows at most 64"
        );
    }

    #[test]
    fn case_folds_where_aws_ignores_case() {
        assert_eq!(IAM_ROLE.key("Pay-API"), "pay-api");
        assert_eq!(LOAD_BALANCER.key("Pay-API"), "Pay-API");
    }
}
