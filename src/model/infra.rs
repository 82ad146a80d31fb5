//! The model of what a stack builds or looks up: the existing VPN, secret and certificate, the
//! network and its subnets, the Aurora databases, and the services with their images, boot
//! scripts and load balancers.

use super::*;

/// `existing vpn NAME`: a VPN to on-premises that exists and is looked up, never created.
#[derive(Debug, Clone)]
pub struct Vpn {
    pub name: Name,
    /// `vpn-…`: carried literally (AWS provider 5.x has no VPN-connection data source); the
    /// tunnel alarm watches it (`lower::network`).
    pub connection_id: String,
    /// `vgw-…`: looked up with the `aws_vpn_gateway` data source.
    pub gateway_id: String,
    /// The on-premises networks reachable through the VPN.
    pub networks: Vec<Ipv4Net>,
    /// `dns = [IP, …]`: the data centre's DNS servers, behind the VPN.
    pub dns: Vec<std::net::Ipv4Addr>,
    /// `domains = ["…"]`: domains only the data centre's DNS servers answer (besides the
    /// private top-level domains of `crate::aws::dns`).
    pub domains: Vec<String>,
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
    /// `dbname = ["ledger", "ledger_audit"]`: the databases after the first, which move from
    /// the same source into the same cluster (PostgreSQL only; proven valid names, distinct
    /// from each other and from the first). The cluster is created with the first only (RDS
    /// `CreateDBCluster` takes one `DatabaseName`); the runbook creates these.
    pub more_databases: Vec<String>,
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
    /// `reader_username` and `reader_password`: the read-only login the services that only
    /// read it (`reads = DB.reader`) get instead of the master user (the runbook says to create
    /// it with SELECT grants).
    pub reader_login: Option<Login>,
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

impl Database {
    /// Every database DMS moves into this cluster, the initial one first (none on MySQL,
    /// where DMS reads schemas of the server rather than one database).
    pub fn databases(&self) -> Vec<String> {
        let mut all: Vec<String> = self.initial_database().into_iter().collect();
        all.extend(self.more_databases.iter().cloned());
        all
    }
}

/// The block whose name the DMS resources of database number `index` (from 0) of a
/// replication or a data cutover's fallback carry: the block itself for the first database
/// (so a stack of one database keeps its addresses), `{block}_{database}` for the others
/// (`pg_sync_ledger_audit`, `ledger-prod-pg-sync-ledger-audit` in AWS). The checker proves
/// these names clash with no block's (`check::database`).
pub(crate) fn task_block(block: &Name, index: usize, database: &str) -> Name {
    match index {
        0 => block.clone(),
        _ => Name::checked(format!("{}_{database}", block.as_str())),
    }
}

/// Whether DMS would refuse a further database's task block as an identifier once `_` is `-`
/// (two hyphens in a row, a final one: "letters, digits and single hyphens", CreateEndpoint,
/// https://docs.aws.amazon.com/dms/latest/APIReference/API_CreateEndpoint.html). The checker
/// reports it as PMG0854; the names the checker measures leave such a task out.
pub(crate) fn task_block_refused(task: &Name) -> Option<String> {
    let aws = task.as_str().replace('_', "-");
    (aws.contains("--") || aws.ends_with('-')).then_some(aws)
}

/// The database a PostgreSQL block names when it writes no `dbname`.
pub(crate) fn default_dbname(name: &Name) -> String {
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
    /// Databases this service connects to: opens exactly service → database port. It writes
    /// each of them (through the writer name when a replication feeds it) unless it is also
    /// in `read_only`.
    pub reads: Vec<Id<Database>>,
    /// The databases of `reads` it only reads (`reads = DB.reader`): it gets the reader name
    /// and, when the database declares one, the read-only login.
    pub read_only: Vec<Id<Database>>,
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
