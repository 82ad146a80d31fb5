//! The diagnostics `check::apply` reports: each one's message, labels, help and fix, with its
//! catalogue entry (title, explanation, a wrong and a right example) that `pmigc explain` and
//! `docs/diagnostics.md` print. Registered in `src/codes.rs`.

use crate::diag::{Fix, Violation};
use miette::SourceSpan;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("network `{network}` has one zone, but {users} need subnets in at least two")]
#[diagnostic(help(
    "AWS refuses a load balancer, an Aurora subnet group and a DMS subnet group with subnets in one availability zone: write `zones = 2` or more"
))]
pub(crate) struct OneZone {
    pub(crate) network: String,
    pub(crate) users: String,
    #[label("one availability zone")]
    pub(crate) at: SourceSpan,
}

impl Violation for OneZone {
    const TITLE: &str = "one zone where AWS needs two";
    const EXPLANATION: &str = r#"An Application Load Balancer, an Aurora DB subnet group and a DMS replication subnet group each
need subnets in at least two availability zones; with `zones = 1` AWS refuses them at apply
time. One diagnostic names everything in the network that needs the second zone."#;
    const WRONG: &str = r#"network main { zones = 1 }
"#;
    const RIGHT: &str = r#"network main { zones = 2 }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "the load balancer of `{service}` needs {tier} subnets of at least /27, network `{network}` has /{size}"
)]
#[diagnostic(help(
    "an Application Load Balancer needs subnets with a /27 bitmask or larger and 8 free addresses each: write `{tier} = /27 per zone` or a shorter prefix"
))]
pub(crate) struct LoadBalancerSubnetTooSmall {
    pub(crate) service: String,
    pub(crate) network: String,
    pub(crate) size: u8,
    pub(crate) tier: &'static str,
    #[label("/{size} {tier} subnets")]
    pub(crate) at: SourceSpan,
    #[label("the load balancer is placed here")]
    pub(crate) exposed_at: SourceSpan,
}

impl Violation for LoadBalancerSubnetTooSmall {
    const TITLE: &str = "public subnets too small for a load balancer";
    const EXPLANATION: &str = r#"A load balancer needs subnets of at least /27 with 8 free addresses each, to scale. Smaller
public subnets are rejected when it is created."#;
    const WRONG: &str = r#"network main { public = /28 per zone }
"#;
    const RIGHT: &str = r#"network main { public = /27 per zone }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "the private subnets of network `{network}` have {usable} usable addresses, and {need} are needed"
)]
pub(crate) struct PrivateSubnetsTooSmall {
    pub(crate) network: String,
    pub(crate) usable: u64,
    pub(crate) need: u64,
    #[label("{usable} addresses ({zones} subnets, 5 reserved by AWS in each)")]
    pub(crate) at: SourceSpan,
    pub(crate) zones: u8,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for PrivateSubnetsTooSmall {
    const TITLE: &str = "private subnets too small for what runs there";
    const EXPLANATION: &str = r#"Every instance a service may scale to, every Aurora instance and the DMS instance take an
address in the private subnets, and AWS keeps five addresses of every subnet. When they do not
fit, instances fail to launch as the service scales, typically in the middle of a phase."#;
    const WRONG: &str = r#"network main { private = /28 per zone }
service api { capacity = 3..40 }
"#;
    const RIGHT: &str = r#"network main { private = /24 per zone }
service api { capacity = 3..40 }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "database `{database}` has no reader to fail over to, and cutover `{cutover}` moves traffic onto it"
)]
#[diagnostic(
    severity(Warning),
    help(
        "when an Aurora cluster's only instance fails, Aurora creates a new one, about ten minutes without a database; with a reader it promotes it in about a minute: `readers = 1` or more"
    )
)]
pub(crate) struct NoFailoverReader {
    pub(crate) database: String,
    pub(crate) cutover: String,
    #[label("no reader: a failover means a new writer")]
    pub(crate) at: SourceSpan,
    #[label("traffic moves to `{service}`, which reads `{database}`")]
    pub(crate) cutover_at: SourceSpan,
    pub(crate) service: String,
}

impl Violation for NoFailoverReader {
    const TITLE: &str = "no reader to fail over to under a cutover (warning)";
    const EXPLANATION: &str = r#"When the only instance of an Aurora cluster fails, Aurora creates a new one, about ten minutes
without a database; with a reader it promotes it in about a minute. A database the cutover's
service reads should have a reader while traffic moves onto it."#;
    const WRONG: &str = r#"database ledger { readers = 0 }
"#;
    const RIGHT: &str = r#"database ledger { readers = 1 }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "replication `{replication}` reaches its source through VPN `{vpn}`, which network `{network}` does not attach"
)]
pub(crate) struct VpnNotAttached {
    pub(crate) replication: String,
    pub(crate) vpn: String,
    pub(crate) network: String,
    #[label("through `{vpn}`")]
    pub(crate) at: SourceSpan,
    #[label("DMS runs in this network ({attached})")]
    pub(crate) network_at: SourceSpan,
    pub(crate) attached: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for VpnNotAttached {
    const TITLE: &str = "the VPN to the source is not attached where DMS runs";
    const EXPLANATION: &str = r#"DMS runs in the private subnets of its target's network and reaches the data centre through the
VPN named in `from ... via VPN`. When that network does not attach the VPN (`vpn = ...`), no
route leads to the source and the replication task fails to connect."#;
    const WRONG: &str = r#"network main { nat = per_zone }
"#;
    const RIGHT: &str = r#"network main { vpn = onprem }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("replication `{replication}` reads from {address}, which is not behind VPN `{vpn}`")]
pub(crate) struct SourceOutsideVpn {
    pub(crate) replication: String,
    pub(crate) address: String,
    pub(crate) vpn: String,
    #[label("not in any network of `{vpn}`")]
    pub(crate) at: SourceSpan,
    #[label("the networks behind `{vpn}`")]
    pub(crate) networks_at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for SourceOutsideVpn {
    const TITLE: &str = "the source address is not behind its VPN";
    const EXPLANATION: &str = r#"A source given as an address must lie in one of the networks behind the VPN it is reached
through; only those are routed to the data centre."#;
    const WRONG: &str = r#"replication onprem_to_aws { from = mysql "10.20.0.15":3306 via onprem }
"#;
    const RIGHT: &str = r#"replication onprem_to_aws { from = mysql "192.168.10.15":3306 via onprem }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "service `{service}` (network `{network}`) reads database `{database}` in network `{other}`"
)]
#[diagnostic(help(
    "a security group rule can only name a group in the same VPC, and the two networks are not connected: place the service and the database in one network"
))]
pub(crate) struct ReadsAcrossNetworks {
    pub(crate) service: String,
    pub(crate) network: String,
    pub(crate) database: String,
    pub(crate) other: String,
    #[label("`{database}` is in network `{other}`")]
    pub(crate) at: SourceSpan,
    #[label("`{service}` runs in network `{network}`")]
    pub(crate) placement_at: SourceSpan,
}

impl Violation for ReadsAcrossNetworks {
    const TITLE: &str = "a service reads a database in another network";
    const EXPLANATION: &str = r#"`reads` opens the database's security group to the service's. A security-group rule can only
name a group in the same VPC, and pmigc's networks are not connected to each other: AWS refuses
the rule, and the service could not reach the database anyway."#;
    const WRONG: &str = r#"network tools {
  cidr    = 10.50.0.0/16
  zones   = 2
  public  = /24 per zone
  private = /24 per zone
}
service reports {
  instance = t3.small
  capacity = 1..2
  in       = tools.private
  port     = 8081
  reads    = ledger
}
"#;
    const RIGHT: &str = r#"service reports {
  instance = t3.small
  capacity = 1..2
  in       = main.private
  port     = 8081
  reads    = ledger
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "the load balancer of `{service}` is in network `{lb_network}`, its instances in network `{network}`"
)]
#[diagnostic(help(
    "a load balancer's target group belongs to one VPC, and its instances must be in it: put the load balancer and the instances in the same network"
))]
pub(crate) struct TargetsInOtherNetwork {
    pub(crate) service: String,
    pub(crate) lb_network: String,
    pub(crate) network: String,
    #[label("load balancer in network `{lb_network}`")]
    pub(crate) at: SourceSpan,
    #[label("instances in network `{network}`")]
    pub(crate) placement_at: SourceSpan,
}

impl Violation for TargetsInOtherNetwork {
    const TITLE: &str = "a load balancer and its instances in different networks";
    const EXPLANATION: &str = r#"A target group belongs to one VPC and only takes instances in it; a load balancer forwards only
to target groups of its own VPC. The load balancer (`exposed = https via NETWORK.public`, or the
service a path is routed behind) must be in the service's network."#;
    const WRONG: &str = r#"network tools {
  cidr    = 10.50.0.0/16
  zones   = 2
  public  = /24 per zone
  private = /24 per zone
}
service api { exposed = https via tools.public with pay }
"#;
    const RIGHT: &str = r#"service api { exposed = https via main.public with pay }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("network `{network}` is {cidr}; a VPC's range is /16 to /28")]
pub(crate) struct VpcTooLarge {
    pub(crate) network: String,
    pub(crate) cidr: String,
    #[label("AWS refuses a VPC larger than /16")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for VpcTooLarge {
    const TITLE: &str = "a VPC larger than /16";
    const EXPLANATION: &str = r#"A VPC's primary CIDR block is /16 to /28. pmigc carves subnets out of larger ranges without
complaint, but AWS refuses to create the VPC."#;
    const WRONG: &str = r#"network main { cidr = 10.32.0.0/12 }
"#;
    const RIGHT: &str = r#"network main { cidr = 10.32.0.0/16 }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("network `{network}` ({cidr}) uses {range}, which AWS does not allow for a VPC")]
#[diagnostic(help(
    "use a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) that does not overlap on-premises"
))]
pub(crate) struct VpcRangeReserved {
    pub(crate) network: String,
    pub(crate) cidr: String,
    pub(crate) range: String,
    #[label("inside {range}")]
    pub(crate) at: SourceSpan,
}

impl Violation for VpcRangeReserved {
    const TITLE: &str = "a VPC range AWS does not allow";
    const EXPLANATION: &str = r#"The loopback, link-local, multicast, reserved and "this network" ranges cannot be a VPC's
range; AWS refuses it."#;
    const WRONG: &str = r#"network main { cidr = 169.254.0.0/16 }
"#;
    const RIGHT: &str = r#"network main { cidr = 10.40.0.0/16 }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("tag `{key}` {problem}")]
pub(crate) struct BadTag {
    pub(crate) key: String,
    pub(crate) problem: String,
    #[label("{label}")]
    pub(crate) at: SourceSpan,
    pub(crate) label: String,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadTag {
    const TITLE: &str = "a tag AWS rejects";
    const EXPLANATION: &str = r#"Every resource carries the stack's tags. AWS takes keys of 1 to 128 and values of up to 256
letters, digits, spaces and `_.:/=+-@`, and keeps keys starting with `aws:` for itself; one bad
tag fails every resource of the stack at apply time. A key pmigc writes itself (`Name`, which each resource's own
name replaces, `pmigc-stack`, `pmigc-workspace`, `pmigc:parameters`) would be lost silently, and
a resource holds at most 50 tags, of which pmigc uses up to 4: a stack gives at most 46. A key
given twice in `tags` is PMG0205."#;
    const WRONG: &str = r#"stack payment { tags = { service = "payments<pay>" } }
"#;
    const RIGHT: &str = r#"stack payment { tags = { service = "payments" } }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("secret name `{name}` {problem}")]
#[diagnostic(help("Secrets Manager names are 1 to 512 characters: letters, digits and `/_+=.@-`"))]
pub(crate) struct BadSecretName {
    pub(crate) name: String,
    pub(crate) problem: String,
    #[label("Secrets Manager has no secret by this name")]
    pub(crate) at: SourceSpan,
}

impl Violation for BadSecretName {
    const TITLE: &str = "a secret name Secrets Manager cannot hold";
    const EXPLANATION: &str = r#"A Secrets Manager name is 1 to 512 letters, digits and `/_+=.@-`. A secret looked up by any
other name does not exist, and the plan fails."#;
    const WRONG: &str = r#"existing secret db { name = "payment db credentials" }
"#;
    const RIGHT: &str = r#"existing secret db { name = "payment-db-credentials" }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("secret name `{name}` ends with a hyphen and six characters")]
#[diagnostic(
    severity(Warning),
    help(
        "Secrets Manager adds `-` and six random characters to every secret's ARN; a name that already ends so can match another secret's partial ARN: rename the secret, e.g. without the suffix `{suffix}`"
    )
)]
pub(crate) struct SecretNameSuffix {
    pub(crate) name: String,
    pub(crate) suffix: String,
    #[label("`{suffix}` reads like the suffix of an ARN")]
    pub(crate) at: SourceSpan,
}

impl Violation for SecretNameSuffix {
    const TITLE: &str = "a secret name ending like an ARN suffix (warning)";
    const EXPLANATION: &str = r#"Secrets Manager appends `-` and six random characters to every secret's ARN. A name that already
ends with a hyphen and six characters can match another secret's partial ARN; AWS advises
against it."#;
    const WRONG: &str = r#"existing secret db { name = "payment-db-cred01" }
"#;
    const RIGHT: &str = r#"existing secret db { name = "payment-db-credentials" }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("master user name `{name}` of database `{database}` {problem}")]
pub(crate) struct BadMasterUsername {
    pub(crate) name: String,
    pub(crate) database: String,
    pub(crate) problem: String,
    #[label("Aurora refuses this user name")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadMasterUsername {
    const TITLE: &str = "a master user name Aurora refuses";
    const EXPLANATION: &str = r#"Aurora MySQL's master user name is 1 to 16 letters, digits and `_`, starting with a letter, and
not one of the names Amazon RDS keeps for itself (`rdsadmin`, `root`, ...)."#;
    const WRONG: &str = r#"database ledger { username = "payments_administrator" }
"#;
    const RIGHT: &str = r#"database ledger { username = "payments_admin" }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("health-check path of `{service}` {problem}")]
pub(crate) struct BadHealthPath {
    pub(crate) service: String,
    pub(crate) problem: String,
    #[label("the load balancer refuses this path")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadHealthPath {
    const TITLE: &str = "a health-check path the load balancer refuses";
    const EXPLANATION: &str = r#"A target group's health-check path is at most 1024 characters of letters, digits and
`-._~/$"'@:+&()!,;=%?`; anything else is refused when the target group is created."#;
    const WRONG: &str = r#"service api { health = "/health#live" }
"#;
    const RIGHT: &str = r#"service api { health = "/health" }
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("path pattern `{path}` of `{service}` {problem}")]
pub(crate) struct BadPathPattern {
    pub(crate) path: String,
    pub(crate) service: String,
    pub(crate) problem: String,
    #[label("the listener rule refuses this pattern")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for BadPathPattern {
    const TITLE: &str = "a path pattern a listener rule refuses";
    const EXPLANATION: &str = r#"A listener rule's path pattern starts with `/` and is at most 128 characters of letters, digits
and `_-.$/~"'@:+&`, with `*` and `?` as wildcards (`{`, spaces and the like are refused)."#;
    const WRONG: &str = r#"service reports {
  instance = t3.small
  capacity = 1..2
  in       = main.private
  port     = 8081
  exposed  = path "/reports/{id}" on api
}
"#;
    const RIGHT: &str = r#"service reports {
  instance = t3.small
  capacity = 1..2
  in       = main.private
  port     = 8081
  exposed  = path "/reports/*" on api
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{block} allows {network}, which cannot reach it from its subnets")]
pub(crate) struct AllowUnroutable {
    pub(crate) block: String,
    pub(crate) network: String,
    /// Why: where the replies would go.
    pub(crate) why: String,
    #[label("{why}")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for AllowUnroutable {
    const TITLE: &str = "an allow-list entry cannot reach its target";
    const EXPLANATION: &str = r#"A database or a service sits in private subnets: their routes lead to the VPC itself, to the
networks behind the network's VPN (through the attached gateway), and for everything else to a
NAT gateway, which carries no connection opened from outside. An allowed network that is neither
in the VPC nor behind the VPN would send its packets, but the replies would leave through the NAT
gateway and no connection would ever complete. Allow networks behind the VPN (add them to the
VPN's `networks` if the data centre routes them), or attach a VPN. A service routed by path is
reached through its load balancer instead (its list is a listener condition, PMG1229). A
service's own internet-facing load balancer admits every address (behind its web application
firewall): `allow` on that service is its port, not the load balancer's, and pmigc cannot yet
narrow an internet-facing load balancer to a list of addresses."#;
    const WRONG: &str = r#"database ledger {
  allow = [10.99.0.0/24]
}
"#;
    const RIGHT: &str = r#"database ledger {
  allow = [192.168.10.0/24]
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "service `{service}` is routed by path with {count} allowed networks; a listener rule holds at most {max}"
)]
pub(crate) struct PathAllowTooLong {
    pub(crate) service: String,
    pub(crate) count: usize,
    pub(crate) max: usize,
    #[label("each becomes a source-IP value of the listener rule, beside its path")]
    pub(crate) at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for PathAllowTooLong {
    const TITLE: &str = "a path's allow-list is too long for a listener rule";
    const EXPLANATION: &str = r#"A service routed by path on another's load balancer (`exposed = path "/reports/*" on api`) takes
its `allow` list onto its listener rule, as a source-IP condition beside the path: only those
networks reach it, and requests for the path from elsewhere get the listener's default action. A
listener rule holds five condition values, one of them the path, so at most four networks. Merge
them into fewer blocks, or give the service its own load balancer."#;
    const WRONG: &str = r#"service reports {
  instance = t3.small
  capacity = 1..2
  in       = main.private
  port     = 9100
  exposed  = path "/reports/*" on api
  allow    = [192.168.1.0/24, 192.168.2.0/24, 192.168.3.0/24, 192.168.4.0/24, 192.168.5.0/24]
}
"#;
    const RIGHT: &str = r#"service reports {
  instance = t3.small
  capacity = 1..2
  in       = main.private
  port     = 9100
  exposed  = path "/reports/*" on api
  allow    = [192.168.0.0/21]
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error(
    "replication `{replication}` reads from `{host}`, a name only the data centre's DNS servers know, but VPN `{vpn}` names none"
)]
pub(crate) struct SourceNameUnresolvable {
    pub(crate) replication: String,
    pub(crate) host: String,
    pub(crate) vpn: String,
    /// The private domain the host is under.
    pub(crate) zone: String,
    #[label("under `{zone}`: AWS's resolver cannot answer it")]
    pub(crate) at: SourceSpan,
    #[label("VPN `{vpn}`")]
    pub(crate) vpn_at: SourceSpan,
    #[help]
    pub(crate) help: Option<String>,
}

impl Violation for SourceNameUnresolvable {
    const TITLE: &str = "the source host is a name only the data centre's DNS knows";
    const EXPLANATION: &str = r#"A host under a private top-level domain (`internal`, `local`, `corp`, `lan`, `home`, `intranet`,
`private`, `home.arpa`) or under a domain the VPN declares as the data centre's (`domains =
["dc.example.com"]`) is answered only by the data centre's DNS servers; AWS's resolver in the VPC
cannot answer it, so DMS could never connect. Name the data centre's DNS servers on the VPN (`dns
= ["IP", …]`, addresses behind the VPN): pmigc then creates a Route 53 Resolver outbound endpoint
and a forwarding rule for the domain. Or give the source by address. A name that may be public
needs nothing."#;
    const WRONG: &str = r#"existing vpn onprem {
  networks = [192.168.0.0/16]
}
replication onprem_to_aws {
  from = mysql "db1.shop.internal":3306 via onprem
}
"#;
    const RIGHT: &str = r#"existing vpn onprem {
  networks = [192.168.0.0/16]
  dns      = ["192.168.0.2", "192.168.0.3"]
}
replication onprem_to_aws {
  from = mysql "db1.shop.internal":3306 via onprem
}
"#;

    fn fix(&self) -> Option<Fix> {
        None
    }
}
