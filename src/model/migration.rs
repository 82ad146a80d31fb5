//! The model of the migration itself: DMS replications and their sources, gates over their
//! lag, the cutovers of Route 53 records, dashboards, outputs, and the workspace a root is
//! compiled for (its backend, account and DMS roles).

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationMode {
    FullLoad,
    Cdc,
    FullLoadAndCdc,
}

impl MigrationMode {
    /// The DMS `migration_type` value.
    pub fn dms_value(self) -> &'static str {
        match self {
            MigrationMode::FullLoad => "full-load",
            MigrationMode::Cdc => "cdc",
            MigrationMode::FullLoadAndCdc => "full-load-and-cdc",
        }
    }
}

/// The on-premises source of a replication.
#[derive(Debug, Clone)]
pub struct ReplicationSource {
    /// The on-premises engine, proven to be of the target database's family.
    pub engine: crate::engine::Source,
    /// Its version when the stack names it (`from = mysql "5.7" …`), one DMS reads.
    pub version: Option<&'static crate::engine::SourceVersion>,
    pub host: String,
    pub port: Port,
    pub vpn: Id<Vpn>,
    pub username: String,
    pub password: SecretRef,
}

/// `replication NAME`: a DMS task from on-premises into a database of the stack.
#[derive(Debug, Clone)]
pub struct Replication {
    pub name: Name,
    pub source: ReplicationSource,
    /// The database written to; the replication instance runs beside it, in the private tier
    /// of its network.
    pub target: Id<Database>,
    pub instance_class: String,
    pub mode: MigrationMode,
    pub max_lag: Seconds,
    /// What it copies (`include`/`exclude`); everything by default.
    pub tables: TableSelection,
    pub origin: Origin,
}

/// A cutover gate: traffic may only move while every condition holds
/// (`gate = orders.lag < 5s and catalog.lag < 30s and api.errors < 10 per minute`).
#[derive(Debug, Clone)]
pub struct Gate {
    /// No two on the same replication.
    pub conditions: Vec<LagCondition>,
    /// Conditions on the cutover's own service (its load balancer's metrics), no two on the
    /// same metric. A gate has at least one condition of either kind.
    pub service: Vec<ServiceCondition>,
}

impl Gate {
    /// Whether the gate watches `replication`.
    pub fn covers(&self, replication: &Name) -> bool {
        self.conditions
            .iter()
            .any(|c| c.replication.name() == replication)
    }

    /// The gate as the stack writes it: `orders.lag < 5s and catalog.lag < 30s`, its lag
    /// conditions first, then its service conditions.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self
            .conditions
            .iter()
            .map(LagCondition::describe)
            .chain(self.service.iter().map(ServiceCondition::describe))
            .collect();
        parts.join(" and ")
    }
}

/// What a service condition of a gate measures, on the service's load balancer
/// (`AWS/ApplicationELB`). Only what a Route 53 health check can be bound to: an alarm on one
/// standard-resolution metric with the statistic Average, Minimum, Maximum, Sum or SampleCount
/// ("Extended statistics aren't supported",
/// https://docs.aws.amazon.com/Route53/latest/APIReference/API_AlarmIdentifier.html), so no
/// percentile and no metric-math error rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceMetric {
    /// `api.errors < 10 per minute`: 5XX responses per minute below this many, counted
    /// separately for the targets' 5XX and the load balancer's own.
    Errors { per_minute: u64 },
    /// `api.latency < 500ms`: the average target response time below this many milliseconds.
    Latency { millis: u64 },
}

/// One alarm of a service condition: what it is called after the condition's slug, and what it
/// watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceAlarm {
    /// `target`, `elb` or empty (one alarm).
    pub part: &'static str,
    pub metric: &'static str,
    pub statistic: &'static str,
    /// What it counts, for the alarm's description.
    pub what: &'static str,
}

impl ServiceMetric {
    /// The alarms that together hold the condition (each one fires on its own).
    pub fn alarms(self) -> &'static [ServiceAlarm] {
        match self {
            ServiceMetric::Errors { .. } => &[
                ServiceAlarm {
                    part: "target",
                    metric: "HTTPCode_Target_5XX_Count",
                    statistic: "Sum",
                    what: "5XX responses from its targets",
                },
                ServiceAlarm {
                    part: "elb",
                    metric: "HTTPCode_ELB_5XX_Count",
                    statistic: "Sum",
                    what: "5XX responses of its own (not from its targets)",
                },
            ],
            ServiceMetric::Latency { .. } => &[ServiceAlarm {
                part: "",
                metric: "TargetResponseTime",
                statistic: "Average",
                what: "the average target response time",
            }],
        }
    }

    /// `errors_under_10_per_minute`, `latency_under_500ms`.
    pub fn slug(self) -> String {
        match self {
            ServiceMetric::Errors { per_minute } => format!("errors_under_{per_minute}_per_minute"),
            ServiceMetric::Latency { millis } => format!("latency_under_{millis}ms"),
        }
    }

    /// `errors < 10 per minute`, `latency < 500ms`.
    pub fn describe(self) -> String {
        match self {
            ServiceMetric::Errors { per_minute } => format!("errors < {per_minute} per minute"),
            ServiceMetric::Latency { millis } => format!("latency < {millis}ms"),
        }
    }

    /// The member written after the service: `errors`, `latency`.
    pub fn member(self) -> &'static str {
        match self {
            ServiceMetric::Errors { .. } => "errors",
            ServiceMetric::Latency { .. } => "latency",
        }
    }
}

/// One service condition of a gate: the cutover's own service's load balancer stays under a
/// threshold (`api.errors < 10 per minute`, `api.latency < 500ms`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceCondition {
    pub service: Id<Service>,
    pub metric: ServiceMetric,
}

impl ServiceCondition {
    /// `api_errors_under_10_per_minute`: names its alarms like `LagCondition::slug`.
    pub fn slug(&self) -> String {
        format!("{}_{}", self.service.address(), self.metric.slug())
    }

    /// The part of an alarm's name after the service (`errors_under_10_per_minute_target`),
    /// one per alarm of the condition, with `_` as in Terraform addresses.
    pub fn alarm_parts(&self) -> Vec<(String, ServiceAlarm)> {
        self.metric
            .alarms()
            .iter()
            .map(|a| {
                let slug = self.metric.slug();
                let part = if a.part.is_empty() {
                    slug
                } else {
                    format!("{slug}_{}", a.part)
                };
                (part, *a)
            })
            .collect()
    }

    /// `api.errors < 10 per minute`.
    pub fn describe(&self) -> String {
        format!("{}.{}", self.service, self.metric.describe())
    }
}

/// One condition of a gate: the replication's lag is below `threshold`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LagCondition {
    pub replication: Id<Replication>,
    pub threshold: Seconds,
}

impl LagCondition {
    /// `orders_lag_under_5s`: the condition as an identifier, which names its alarms (in
    /// Terraform addresses and, with `_` as `-`, in AWS).
    pub fn slug(&self) -> String {
        format!(
            "{}_lag_under_{}s",
            self.replication.address(),
            self.threshold.0
        )
    }

    /// `orders.lag < 5s`.
    pub fn describe(&self) -> String {
        format!("{}.lag < {}s", self.replication, self.threshold.0)
    }
}

/// `cutover NAME`: weighted DNS between the legacy host and a service's load balancer.
#[derive(Debug, Clone)]
pub struct Cutover {
    pub name: Name,
    pub record: String,
    pub zone: String,
    pub legacy_host: String,
    pub service: Id<Service>,
    /// The input that carries the weight (`traffic_weight`), emitted as a Terraform variable.
    pub weight_input: Name,
    /// The weight in this workspace, proven to be one of `phases`.
    pub weight: Percent,
    /// Strictly increasing, from 0 % to 100 %.
    pub phases: Vec<Percent>,
    pub gate: Option<Gate>,
    pub rollback: Percent,
    pub ttl: u32,
    /// `owner = WORKSPACE` or `owner = [W1, W2]`: the workspaces whose roots manage the
    /// records (and the gate) when several workspaces share an account, each its own record
    /// as that workspace's block gives it; `None`, every workspace's root does.
    pub owner: Option<Owners>,
    pub origin: Origin,
}

/// The workspaces a cutover's `owner` names: proven by the checker to be declared workspaces,
/// at least one, each once, in the order written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owners(Vec<Name>);

impl Owners {
    /// The checked list; `None` when it is empty.
    pub(crate) fn checked(names: Vec<Name>) -> Option<Owners> {
        (!names.is_empty()).then_some(Owners(names))
    }

    pub fn contains(&self, workspace: &Name) -> bool {
        self.0.contains(workspace)
    }

    pub fn names(&self) -> &[Name] {
        &self.0
    }

    /// Whether it lists more than one workspace (each managing its own record).
    pub fn several(&self) -> bool {
        self.0.len() > 1
    }

    /// `a`, `a` and `b`, `a`, `b` and `c` (each in backticks) — joined by `word`.
    pub fn join(&self, word: &str) -> String {
        let quoted: Vec<String> = self.0.iter().map(|n| format!("`{n}`")).collect();
        match quoted.split_last() {
            Some((last, rest)) if !rest.is_empty() => {
                format!("{} {word} {last}", rest.join(", "))
            }
            _ => quoted.join(""),
        }
    }

    /// `workspace `a`` or `workspaces `a` and `b``: who holds the records.
    pub fn who(&self) -> String {
        let s = if self.several() { "s" } else { "" };
        format!("workspace{s} {}", self.join("and"))
    }

    /// `workspace `a` manages` or `workspaces `a` and `b` manage`.
    pub fn manage(&self) -> String {
        let s = if self.several() { "" } else { "s" };
        format!("{} manage{s}", self.who())
    }

    /// `workspace `a`` or `workspace `a` or `b``: where an override of the cutover belongs.
    pub fn any(&self) -> String {
        format!("workspace {}", self.join("or"))
    }
}

impl Cutover {
    /// Whether `weight` is one of the declared phases: the one rule for phase membership.
    /// The checker applies it to every workspace's weight and rollback, the CLI to the
    /// weights it is given, and lowering writes the same list into the Terraform variable's
    /// validation and the record's precondition (`lower::cutover::in_phases`).
    pub fn is_phase(&self, weight: Percent) -> bool {
        self.phases.contains(&weight)
    }

    /// The phases for messages: `0%, 10%, 25%`.
    pub fn phase_list(&self) -> String {
        let phases: Vec<String> = self.phases.iter().map(Percent::to_string).collect();
        phases.join(", ")
    }
}

/// `dashboard NAME`: a CloudWatch dashboard whose widgets follow from the stack's contents.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub name: Name,
    pub origin: Origin,
}

/// What an output exposes, proven to name a block of the right kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputValue {
    LoadBalancerDns(Id<Service>),
    DatabaseEndpoint(Id<Database>),
    DatabaseReaderEndpoint(Id<Database>),
    ReplicationStatus(Id<Replication>),
    NetworkId(Id<Network>),
    VpnConnectionId(Id<Vpn>),
}

#[derive(Debug, Clone)]
pub struct Output {
    pub name: Name,
    pub value: OutputValue,
    pub origin: Origin,
}

/// Where a workspace keeps its Terraform state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// `terraform.tfstate` next to the root (the default).
    Local,
    /// An S3 bucket with native lock files (`use_lockfile`), encrypted.
    S3 {
        bucket: String,
        key: String,
        region: String,
    },
}

/// The workspace this model was compiled for.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub name: Name,
    pub backend: Backend,
    /// The AWS account it is applied to (`account = "…"`); workspaces without one share the
    /// account `default`.
    pub account: String,
    pub origin: Origin,
}

/// The IAM roles DMS looks up by these fixed names: one of each per account.
pub(crate) const DMS_ROLES: [&str; 2] = ["dms-vpc-role", "dms-cloudwatch-logs-role"];

/// Who creates DMS's fixed-name roles (`dms-vpc-role`, `dms-cloudwatch-logs-role`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DmsRoles {
    /// This workspace's root creates them.
    Create,
    /// They exist already (`dms_roles = existing`: `None`) or another workspace of the same
    /// account creates them (`dms_roles = WORKSPACE`: its name, applied first): this root
    /// only uses them.
    Use(Option<String>),
}
