//! The checked model: what `check` hands to `lower`.
//!
//! Every value here has been proven by the checker: names resolve to blocks of the right kind,
//! CIDRs are valid and non-overlapping, subnets are already carved, percentages are within
//! 0–100, secrets are references to declared keys. `lower` may therefore trust the model and
//! never re-validates or fails. One `Stack` is built per workspace, with that workspace's
//! overrides applied, so every field holds the value that workspace compiles to.
//!
//! Collections are `Vec`s in source order; lowering derives resource addresses from names only,
//! so the order never leaks into addresses. Each block carries its `Origin` (the span of its
//! header in the `.pmig`), used for the source map.

use ipnet::Ipv4Net;
use std::collections::BTreeMap;

/// The alarm names' part after the stack's name: `{replication}-lag-source`, `-lag-target`.
/// Lowering prefixes them with the name pattern; the runbook with the resolved name.
pub fn lag_alarm_suffixes(condition: &LagCondition) -> [String; 2] {
    let base = condition.slug().replace('_', "-");
    [format!("{base}-source"), format!("{base}-target")]
}

/// The name of a cutover's application health check after the stack's name: `{cutover}-app`.
pub fn app_check_suffix(cutover: &Name) -> String {
    format!("{}-app", cutover.as_str().replace('_', "-"))
}

/// The consistency gate's alarm names after the stack's name: rows that failed DMS validation
/// (`{replication}-validation-failed`) and validation suspended (`-validation-suspended`).
pub fn consistency_alarm_suffixes(replication: &Name) -> [String; 2] {
    let base = replication.as_str().replace('_', "-");
    [
        format!("{base}-validation-failed"),
        format!("{base}-validation-suspended"),
    ]
}

/// A checked identifier from the stack (`[A-Za-z][A-Za-z0-9_-]*`), used to derive Terraform
/// addresses; `address()` turns `-` into `_` so it is a valid Terraform name. Only the checker
/// makes one (`Name::checked`), after proving the text is an identifier and that no other
/// name of the stack maps to the same address.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(String);

impl Name {
    /// A name the checker has proven to be an identifier.
    pub(crate) fn checked(text: impl Into<String>) -> Name {
        Name(text.into())
    }
    /// A name typed outside a stack (`--renamed OLD=NEW`), if it is an identifier as the
    /// grammar defines one: a letter, then letters, digits, `_` and `-`.
    pub fn parse(text: &str) -> Option<Name> {
        let mut chars = text.chars();
        let first = chars.next()?;
        (first.is_ascii_alphabetic()
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .then(|| Name(text.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The name as it appears in Terraform resource addresses.
    pub fn address(&self) -> String {
        self.0.replace('-', "_")
    }
}

/// A proven reference to a block of kind `T` of this stack: the block's position among the
/// blocks of its kind, and its name. Only the checker makes one, after resolving the name to
/// a declaration of that kind; a model is only handed out complete, so `stack[&id]` always
/// finds the block.
pub struct Id<T> {
    index: u32,
    name: Name,
    kind: std::marker::PhantomData<fn() -> T>,
}

impl<T> Id<T> {
    pub(crate) fn new(index: usize, name: Name) -> Id<T> {
        Id {
            index: u32::try_from(index).unwrap_or(u32::MAX),
            name,
            kind: std::marker::PhantomData,
        }
    }
    /// The referenced block's name.
    pub fn name(&self) -> &Name {
        &self.name
    }
    /// The referenced block's name in Terraform addresses.
    pub fn address(&self) -> String {
        self.name.address()
    }
    fn position(&self) -> usize {
        self.index as usize
    }
}

impl<T> Clone for Id<T> {
    fn clone(&self) -> Id<T> {
        Id::new(self.position(), self.name.clone())
    }
}

impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Id<T>) -> bool {
        self.index == other.index
    }
}

impl<T> Eq for Id<T> {}

impl<T> std::fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Id({}, {})", self.index, self.name)
    }
}

impl<T> std::fmt::Display for Id<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name.as_str())
    }
}

/// `stack[&id]` for each kind of block a reference can name.
macro_rules! arena {
    ($($kind:ident => $field:ident),* $(,)?) => {$(
        impl std::ops::Index<&Id<$kind>> for Stack {
            type Output = $kind;
            // Ids are positions in these vectors, made only by the checker for a complete
            // model (see `Id`): an index out of range would be a bug in pmigc, not in a stack.
            #[allow(clippy::indexing_slicing)]
            fn index(&self, id: &Id<$kind>) -> &$kind {
                &self.$field[id.position()]
            }
        }

        impl Lookup<$kind> for Stack {
            fn find(&self, id: &Id<$kind>) -> Option<&$kind> {
                self.$field.get(id.position()).filter(|b| b.name == id.name)
            }
        }
    )*};
}

/// A fallible lookup, for the checker's rules, which also run on a model whose blocks did
/// not all check (to report every independent error): there an id's position may not hold
/// its block. Lowering, which only ever sees complete models, indexes (`stack[&id]`).
pub trait Lookup<T> {
    fn find(&self, id: &Id<T>) -> Option<&T>;
}

arena!(
    Input => inputs,
    Vpn => vpns,
    Secret => secrets,
    Certificate => certificates,
    Network => networks,
    Database => databases,
    Service => services,
    Replication => replications,
    Cutover => cutovers,
);

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a block was declared: byte range of its header in the source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Origin {
    pub start: usize,
    pub end: usize,
    pub line: usize,
}

/// A percentage proven to be within 0..=100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(u8);

impl Percent {
    pub fn new(value: u8) -> Option<Percent> {
        (value <= 100).then_some(Percent(value))
    }
    pub fn get(self) -> u8 {
        self.0
    }
    /// A percentage typed on the command line: `25%` or `25`.
    pub fn parse(text: &str) -> Option<Percent> {
        let digits = text.trim().strip_suffix('%').unwrap_or(text.trim());
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse::<u8>().ok().and_then(Percent::new)
    }
    /// `100 - self`: the legacy side's share of traffic when AWS has `self`.
    pub fn complement(self) -> Percent {
        Percent(100 - self.0)
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}%", self.0)
    }
}

/// A TCP port proven to be within 1..=65535.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Port(u16);

impl Port {
    pub fn new(value: u16) -> Option<Port> {
        (value >= 1).then_some(Port(value))
    }
    pub fn get(self) -> u16 {
        self.0
    }
}

/// A duration in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seconds(pub u64);

/// One piece of the stack's name pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamePart {
    Text(String),
    /// `{input}`: an input of type `name`, filled in with its value in the workspace.
    Input(Id<Input>),
}

/// The whole compiled stack for one workspace.
#[derive(Debug, Clone)]
pub struct Stack {
    pub name: Name,
    pub region: String,
    /// The resource-name pattern, e.g. `payment-migration-{environment_suffix}`.
    pub name_pattern: Vec<NamePart>,
    /// The name pattern with every input at its value in this workspace (for diagnostics and
    /// the dashboard title shown in the runbook).
    pub resolved_name: String,
    pub tags: BTreeMap<String, String>,
    pub inputs: Vec<Input>,
    pub vpns: Vec<Vpn>,
    pub secrets: Vec<Secret>,
    pub certificates: Vec<Certificate>,
    pub networks: Vec<Network>,
    pub databases: Vec<Database>,
    pub services: Vec<Service>,
    pub replications: Vec<Replication>,
    pub cutovers: Vec<Cutover>,
    pub dashboards: Vec<Dashboard>,
    pub outputs: Vec<Output>,
    pub workspace: Workspace,
    /// Whether this workspace's root creates the two IAM roles DMS requires by fixed,
    /// account-wide names (`dms_roles` in the `stack` block).
    pub dms_roles: DmsRoles,
    /// The `stack` block: where stack-wide resources (the KMS key, shared lookups) come from.
    pub origin: Origin,
}

impl Stack {
    /// The AWS name of a block's main resource in this workspace, `{resolved name}-{block}`
    /// with `_` turned into `-` (what the checker measures against AWS's length limits;
    /// lowering emits the same shape with the name pattern as a Terraform expression).
    pub fn aws_name(&self, block: &Name) -> String {
        format!(
            "{}-{}",
            self.resolved_name,
            block.as_str().replace('_', "-")
        )
    }
    /// The names of the two CloudWatch alarms that watch a replication's lag (source side,
    /// target side), as AWS shows them in this workspace.
    pub fn lag_alarm_names(&self, condition: &LagCondition) -> [String; 2] {
        lag_alarm_suffixes(condition).map(|suffix| format!("{}-{suffix}", self.resolved_name))
    }

    /// Whether this workspace's root manages `cutover`'s records and gate: the cutover names
    /// no owner (its workspaces are in accounts of their own) or names this workspace.
    pub fn manages(&self, cutover: &Cutover) -> bool {
        cutover
            .owner
            .as_ref()
            .is_none_or(|owner| owner == &self.workspace.name)
    }

    /// Every distinct lag condition of the gates of the cutovers this root manages, in a fixed
    /// order: one alarm pair each, shared by every gate that states the same condition.
    pub fn gate_conditions(&self) -> Vec<&LagCondition> {
        let mut conditions: Vec<&LagCondition> = self
            .cutovers
            .iter()
            .filter(|c| self.manages(c))
            .filter_map(|c| c.gate.as_ref())
            .flat_map(|g| &g.conditions)
            .collect();
        conditions.sort_by_key(|c| c.slug());
        conditions.dedup_by(|a, b| a.slug() == b.slug());
        conditions
    }

    /// The cutovers this workspace manages whose gate satisfies `watches`, by name: who an
    /// alarm holds back, for its description.
    pub fn gated_cutovers(&self, watches: impl Fn(&Gate) -> bool) -> Vec<String> {
        self.cutovers
            .iter()
            .filter(|c| self.manages(c))
            .filter(|c| c.gate.as_ref().is_some_and(&watches))
            .map(|c| c.name.to_string())
            .collect()
    }

    /// Every replication a gate this workspace manages watches, once each, in name order: each
    /// gets one pair of consistency alarms (`lower::health::consistency`).
    pub fn gated_replications(&self) -> Vec<&Id<Replication>> {
        let mut replications: Vec<&Id<Replication>> = self
            .gate_conditions()
            .into_iter()
            .map(|c| &c.replication)
            .collect();
        replications.sort_by(|a, b| a.name().cmp(b.name()));
        replications.dedup_by(|a, b| a.name() == b.name());
        replications
    }

    /// The name (tag) of a cutover's application health check in this workspace.
    pub fn app_check_name(&self, cutover: &Name) -> String {
        format!("{}-{}", self.resolved_name, app_check_suffix(cutover))
    }

    /// The names of the consistency gate's two alarms (failed rows, suspended validation).
    pub fn consistency_alarm_names(&self, replication: &Name) -> [String; 2] {
        consistency_alarm_suffixes(replication)
            .map(|suffix| format!("{}-{suffix}", self.resolved_name))
    }
}

/// A typed input with its value in this workspace (the default unless overridden).
#[derive(Debug, Clone)]
pub struct Input {
    pub name: Name,
    pub value: InputValue,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputValue {
    /// A resource-name fragment: lowercase letters, digits and `-`.
    Name(String),
    Percent(Percent),
    Text(String),
    Number(u64),
}

/// `existing vpn NAME`: a VPN to on-premises that exists and is looked up, never created.
#[derive(Debug, Clone)]
pub struct Vpn {
    pub name: Name,
    /// `vpn-…`: carried literally (AWS provider 5.x has no VPN-connection data source).
    pub connection_id: String,
    /// `vgw-…`: looked up with the `aws_vpn_gateway` data source.
    pub gateway_id: String,
    /// The on-premises networks reachable through the VPN.
    pub networks: Vec<Ipv4Net>,
    pub origin: Origin,
}

/// `existing secret NAME`: a Secrets Manager secret holding a JSON object with `keys`.
#[derive(Debug, Clone)]
pub struct Secret {
    pub name: Name,
    pub secret_name: String,
    pub keys: Vec<String>,
    /// `version = N` (default 1): the version of the write-only values pmigc sets from this
    /// secret (`master_password_wo_version`, `secret_string_wo_version`); raising it after
    /// rotating the secret makes Terraform send the new password.
    pub version: u32,
    pub origin: Origin,
}

/// A proven reference to one key of an existing secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRef {
    pub secret: Id<Secret>,
    pub key: String,
}

/// `existing certificate NAME`: an issued ACM certificate looked up by domain.
#[derive(Debug, Clone)]
pub struct Certificate {
    pub name: Name,
    pub domain: String,
    /// Its subject alternative names, as the stack states them (`names = [...]`).
    pub names: Vec<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NatMode {
    /// One NAT gateway per zone (highly available).
    PerZone,
    /// One NAT gateway in the first zone (cheaper, one zone's outage cuts egress).
    Single,
}

/// Which half of a network a block is placed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Public,
    Private,
}

impl Tier {
    /// As the stack writes it (`main.public`).
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Public => "public",
            Tier::Private => "private",
        }
    }
}

/// `network NAME`: a VPC with one public and one private subnet per zone.
#[derive(Debug, Clone)]
pub struct Network {
    pub name: Name,
    pub cidr: Ipv4Net,
    pub zones: u8,
    /// One subnet per zone, carved by the checker, proven inside `cidr` and disjoint.
    pub public_subnets: Vec<Ipv4Net>,
    pub private_subnets: Vec<Ipv4Net>,
    pub nat: NatMode,
    /// The existing VPN whose gateway is attached to this VPC, routes propagated to the
    /// private subnets.
    pub vpn: Option<Id<Vpn>>,
    pub origin: Origin,
}

/// A placement: a network and one of its tiers (`main.private`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub network: Id<Network>,
    pub tier: Tier,
}

/// `database NAME`: an Aurora cluster (MySQL or PostgreSQL, see `engine`).
#[derive(Debug, Clone)]
pub struct Database {
    pub name: Name,
    /// Everything that depends on the engine is read from its profile (`crate::engine`).
    pub engine: crate::engine::Engine,
    /// The full Aurora engine version, e.g. `8.0.mysql_aurora.3.08.2` or `15.14`.
    pub engine_version: String,
    /// The parameter-group family for that version, e.g. `aurora-mysql8.0`.
    pub parameter_family: String,
    pub instance_class: String,
    /// `instance = db.serverless`: the ACU range every instance scales within.
    pub serverless: Option<(Acus, Acus)>,
    pub writers: u8,
    pub readers: u8,
    pub placement: Placement,
    pub username: String,
    pub password: SecretRef,
    /// `dbname = "shop"` (PostgreSQL only, proven a valid database name); `None`: the block's
    /// name.
    pub dbname: Option<String>,
    pub backup_days: u8,
    pub port: Port,
    /// Extra networks allowed to connect (e.g. on-premises reporting), proven not to be the
    /// whole internet (judged on their union).
    pub allow: Vec<Ipv4Net>,
    /// `allow = [...] because "..."`: the reason the stack gives for public addresses in
    /// `allow` (required when there are any).
    pub allow_because: Option<String>,
    /// `encryption = off because "..."`: storage left unencrypted, with the reason the stack
    /// gives (carried into the output for reviewers and scanners). `None`: encrypted with the
    /// stack's KMS key, the default.
    pub unencrypted_because: Option<String>,
    pub origin: Origin,
}

/// A capacity of Aurora Serverless v2 in Aurora capacity units, kept in half units (AWS's
/// step) so that it is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Acus(u16);

impl Acus {
    pub(crate) fn from_halves(halves: u16) -> Acus {
        Acus(halves)
    }

    /// In half units: `1` is 0.5 ACU.
    pub fn halves(self) -> u16 {
        self.0
    }
}

/// As written in a stack: `16`, `0.5`, `2.5`.
impl std::fmt::Display for Acus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 % 2 {
            0 => write!(f, "{}", self.0 / 2),
            _ => write!(f, "{}.5", self.0 / 2),
        }
    }
}

impl Database {
    pub fn profile(&self) -> &'static crate::engine::Profile {
        self.engine.profile()
    }

    /// The database DMS connects to when the engine needs one (PostgreSQL), created on the
    /// cluster as its initial database: `dbname`, or the block's name as an SQL identifier
    /// (`orders`).
    pub fn initial_database(&self) -> Option<String> {
        self.profile().needs_database_name.then(|| {
            self.dbname
                .clone()
                .unwrap_or_else(|| default_dbname(&self.name))
        })
    }
}

/// The database a PostgreSQL block names when it writes no `dbname`.
pub fn default_dbname(name: &Name) -> String {
    name.address().to_ascii_lowercase()
}

/// The CPU architecture of an instance family (Graviton families are arm64).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    X86_64,
    Arm64,
}

impl Arch {
    /// As AWS spells it in AMI names and SSM parameters.
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "arm64",
        }
    }
}

/// The machine image a service boots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Image {
    /// The latest Amazon Linux 2023 for the architecture, from AWS's public SSM parameter.
    AmazonLinux(Arch),
    /// `image = "ami-…"`, proven to look like an AMI id.
    Ami(String),
}

/// `boot = file "PATH"`: a script read beside the stack, proven a non-empty UTF-8 text within
/// EC2's 16 KB user-data limit. It is data: it reaches the launch template base64-encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boot {
    /// As written in the stack, relative to its directory.
    pub path: String,
    pub script: String,
}

/// `service NAME`: instances in an Auto Scaling group, optionally behind a load balancer.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: Name,
    pub instance_type: String,
    pub image: Image,
    /// `boot = file "PATH"`: the script its instances run at first boot (user data).
    pub boot: Option<Boot>,
    pub min: u16,
    pub max: u16,
    pub placement: Placement,
    /// The port it serves on; `None` when nothing reaches it (no load balancer, no `allow`).
    pub port: Option<Port>,
    pub health_path: String,
    /// Its own load balancer (internet-facing or internal), if it has one.
    pub exposure: Option<Exposure>,
    /// A path on another service's load balancer, if it is routed there instead.
    pub route: Option<Route>,
    /// Databases this service connects to: opens exactly service → database port.
    pub reads: Vec<Id<Database>>,
    /// Extra networks allowed to reach the service port, proven not to be the whole internet
    /// (judged on their union).
    pub allow: Vec<Ipv4Net>,
    /// The stack's reason for public addresses in `allow` (required when there are any).
    pub allow_because: Option<String>,
    pub origin: Origin,
}

/// What a load balancer does with plain HTTP on port 80.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMode {
    /// No listener on port 80.
    Off,
    /// A listener that only redirects to HTTPS.
    Redirect,
    /// A listener that forwards plain HTTP to the service (the checker warns).
    Forward,
}

/// How a service is reached through its own ALB: internet-facing in public subnets, or
/// internal in private subnets (`exposed = internal ...`).
#[derive(Debug, Clone)]
pub struct Exposure {
    /// The subnets of the load balancer, proven to be the tier its facing needs.
    pub placement: Placement,
    pub facing: Facing,
    pub listener: Listener,
    /// Port 80 beside an HTTPS listener; always `Off` for a plain-HTTP internal one.
    pub http: HttpMode,
    /// The web ACL is in front of it: by default for an internet-facing load balancer, on
    /// request (`waf = on`) for an internal one.
    pub waf: bool,
    /// `waf = off because "..."` on an internet-facing load balancer: no web ACL, with the
    /// stack's reason (carried into the load balancer's scan waiver).
    pub waf_off_because: Option<String>,
}

/// Who reaches a load balancer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facing {
    /// The internet, through public subnets.
    Internet,
    /// The VPC and the on-premises networks behind its VPN, through private subnets.
    Internal,
}

/// The main listener of a load balancer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listener {
    /// HTTPS on 443 with the existing certificate.
    Https(Id<Certificate>),
    /// Plain HTTP on 80, only ever on an internal load balancer (`exposed = internal http`).
    Http,
}

impl Exposure {
    /// The certificate of its HTTPS listener, when it has one.
    pub fn certificate(&self) -> Option<&Id<Certificate>> {
        match &self.listener {
            Listener::Https(c) => Some(c),
            Listener::Http => None,
        }
    }
}

/// `exposed = path "/orders/*" on api`: a listener rule on another service's load balancer.
#[derive(Debug, Clone)]
pub struct Route {
    /// The service whose load balancer carries the route, proven to have one.
    pub via: Id<Service>,
    pub path: String,
}

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
    pub origin: Origin,
}

/// A cutover gate: traffic may only move while every condition holds
/// (`gate = orders.lag < 5s and catalog.lag < 30s`).
#[derive(Debug, Clone)]
pub struct Gate {
    /// At least one; no two on the same replication.
    pub conditions: Vec<LagCondition>,
}

impl Gate {
    /// Whether the gate watches `replication`.
    pub fn covers(&self, replication: &Name) -> bool {
        self.conditions
            .iter()
            .any(|c| c.replication.name() == replication)
    }

    /// The gate as the stack writes it: `orders.lag < 5s and catalog.lag < 30s`.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self.conditions.iter().map(LagCondition::describe).collect();
        parts.join(" and ")
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
    /// `owner = WORKSPACE`: the one workspace whose root manages the records (and the gate)
    /// when several workspaces share an account; `None`, every workspace's root does.
    pub owner: Option<Name>,
    pub origin: Origin,
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
pub const DMS_ROLES: [&str; 2] = ["dms-vpc-role", "dms-cloudwatch-logs-role"];

/// Who creates DMS's fixed-name roles (`dms-vpc-role`, `dms-cloudwatch-logs-role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DmsRoles {
    /// This workspace's root creates them.
    Create,
    /// They exist already (`dms_roles = existing`) or another workspace of the same account
    /// creates them (`dms_roles = WORKSPACE`): this root only uses them.
    Use,
}

impl<T> Id<T> {
    /// Points the reference at `to` when it names `from` (for `Stack::rename`).
    fn rename(&mut self, from: &Name, to: &Name) {
        if &self.name == from {
            self.name = to.clone();
        }
    }
}

impl Stack {
    /// Renames the block `from` to `to` everywhere in the model, references included. Used to
    /// lower a stack as it was before a rename, so that `moved` blocks can pair each resource's
    /// old address with its new one.
    pub fn rename(&mut self, from: &Name, to: &Name) {
        let fix = |name: &mut Name| {
            if name == from {
                *name = to.clone();
            }
        };
        for vpn in &mut self.vpns {
            fix(&mut vpn.name);
        }
        for secret in &mut self.secrets {
            fix(&mut secret.name);
        }
        for certificate in &mut self.certificates {
            fix(&mut certificate.name);
        }
        for network in &mut self.networks {
            fix(&mut network.name);
            if let Some(vpn) = &mut network.vpn {
                vpn.rename(from, to);
            }
        }
        for db in &mut self.databases {
            fix(&mut db.name);
            db.placement.network.rename(from, to);
            db.password.secret.rename(from, to);
        }
        for service in &mut self.services {
            fix(&mut service.name);
            service.placement.network.rename(from, to);
            service.reads.iter_mut().for_each(|r| r.rename(from, to));
            if let Some(exposure) = &mut service.exposure {
                exposure.placement.network.rename(from, to);
                if let Listener::Https(certificate) = &mut exposure.listener {
                    certificate.rename(from, to);
                }
            }
            if let Some(route) = &mut service.route {
                route.via.rename(from, to);
            }
        }
        for replication in &mut self.replications {
            fix(&mut replication.name);
            replication.target.rename(from, to);
            replication.source.vpn.rename(from, to);
            replication.source.password.secret.rename(from, to);
        }
        for cutover in &mut self.cutovers {
            fix(&mut cutover.name);
            cutover.service.rename(from, to);
            if let Some(gate) = &mut cutover.gate {
                for condition in &mut gate.conditions {
                    condition.replication.rename(from, to);
                }
            }
        }
        for dashboard in &mut self.dashboards {
            fix(&mut dashboard.name);
        }
        for output in &mut self.outputs {
            match &mut output.value {
                OutputValue::LoadBalancerDns(n) => n.rename(from, to),
                OutputValue::DatabaseEndpoint(n) | OutputValue::DatabaseReaderEndpoint(n) => {
                    n.rename(from, to)
                }
                OutputValue::ReplicationStatus(n) => n.rename(from, to),
                OutputValue::NetworkId(n) => n.rename(from, to),
                OutputValue::VpnConnectionId(n) => n.rename(from, to),
            }
        }
        if &self.name == from {
            self.name = to.clone();
        }
    }
}
