//! Every problem the checker can report: one variant per diagnostic code.
//!
//! Messages say what is wrong in the stack's own words; labels point at the exact span and,
//! where another place is involved (the first definition of a duplicate, the VPC a subnet falls
//! outside of), at that place too; `help` gives the fix when there is one. The first label is
//! the primary one.

use crate::diag::{Fix, Report};
use crate::syntax::ast::Span;
use miette::SourceSpan;

/// Codes that report a bug in pmigc, not in the stack (the CLI exits 2 on them).
pub const INTERNAL_CODES: &[&str] = &["PMG0001", "PMG0002", "PMG0003"];

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CheckError {
    // ---- internal ----
    #[error(
        "internal error: workspace `{workspace}` produced no model and no diagnostic; please report"
    )]
    #[diagnostic(
        code(PMG0001),
        help(
            "this is a bug in pmigc, not in the stack: please report it with the stack that caused it"
        )
    )]
    Internal {
        workspace: String,
        #[label("checking this workspace failed without saying why")]
        at: SourceSpan,
    },

    #[error(
        "internal error: pmigc's own output for workspace `{workspace}` fails verification ({rule}): {message}"
    )]
    #[diagnostic(
        code(PMG0002),
        help(
            "this is a bug in pmigc, not in the stack: the checker accepted the stack but the Terraform pmigc built from it would not work on AWS, so nothing was written; please report it with the stack that caused it"
        )
    )]
    Unverified {
        workspace: String,
        rule: String,
        message: String,
        #[label("{resources} were built from this block")]
        at: SourceSpan,
        resources: String,
    },

    #[error(
        "internal error: two blocks lowered to the one address `{address}` in workspace `{workspace}`; nothing was written"
    )]
    #[diagnostic(
        code(PMG0003),
        help(
            "this is a bug in pmigc, not in the stack: the checker should have refused the two blocks (PMG0608) before anything was lowered; please report it with the stack that caused it"
        )
    )]
    AddressClaimedTwice {
        workspace: String,
        address: String,
        #[label("claims `{address}` again")]
        at: SourceSpan,
        #[label("claimed it first")]
        first: SourceSpan,
    },

    // ---- structure: blocks and attributes ----
    #[error("unknown block kind `{kind}`")]
    #[diagnostic(code(PMG0201))]
    UnknownBlockKind {
        kind: String,
        #[label("not a kind of block pmigc knows")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("{problem}")]
    #[diagnostic(code(PMG0202))]
    BadHeader {
        problem: String,
        #[label("{expected}")]
        at: SourceSpan,
        expected: String,
        #[help]
        help: Option<String>,
    },

    #[error("unknown attribute `{name}` in {block}")]
    #[diagnostic(code(PMG0203))]
    UnknownAttribute {
        name: String,
        block: String,
        #[label("not an attribute of {block}")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("{block} is missing `{name}`")]
    #[diagnostic(code(PMG0204))]
    MissingAttribute {
        name: String,
        block: String,
        #[label("needs `{name} = {example}`")]
        at: SourceSpan,
        example: String,
    },

    #[error("`{name}` is set twice")]
    #[diagnostic(code(PMG0205), help("remove one of them"))]
    DuplicateAttribute {
        name: String,
        #[label("set again here")]
        at: SourceSpan,
        #[label("first set here")]
        first: SourceSpan,
    },

    #[error("unknown input type `{ty}`")]
    #[diagnostic(code(PMG0206))]
    UnknownInputType {
        ty: String,
        #[label("expected one of: name, percent, text, number")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("{problem}")]
    #[diagnostic(code(PMG0207))]
    StackBlock {
        problem: String,
        #[label("{label}")]
        at: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    // ---- types and units ----
    #[error("expected {expected}, found {found}")]
    #[diagnostic(code(PMG0301))]
    TypeMismatch {
        expected: String,
        found: String,
        #[label("expected {expected}")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{text}` needs a unit: expected {expected}")]
    #[diagnostic(code(PMG0302))]
    MissingUnit {
        text: String,
        expected: String,
        #[label("a bare number")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("`{unit}` is not a unit of {expected}")]
    #[diagnostic(code(PMG0303))]
    WrongUnit {
        unit: String,
        expected: String,
        #[label("expected {expected}")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("unknown {what} `{value}`")]
    #[diagnostic(code(PMG0304))]
    UnknownValue {
        what: String,
        value: String,
        #[label("expected one of: {options}")]
        at: SourceSpan,
        options: String,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("unknown {what} `{value}`")]
    #[diagnostic(code(PMG0305))]
    UnknownInstanceType {
        what: String,
        value: String,
        #[label("pmigc does not know this {what}")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("unsupported {what} `{value}`")]
    #[diagnostic(code(PMG0306))]
    UnknownEngine {
        what: String,
        value: String,
        #[label("supported: {options}")]
        at: SourceSpan,
        options: String,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error(
        "replication `{replication}` reads {source_family} into {target_title} database `{database}`: a heterogeneous migration"
    )]
    #[diagnostic(
        code(PMG0307),
        help(
            "DMS copies rows as they are within one engine family; between families the schema must be converted first (AWS Schema Conversion Tool or DMS Schema Conversion), which pmigc does not do. Replicate into a database with `engine = {source_keyword} \"{source_version}\"`, or convert the schema outside pmigc"
        )
    )]
    CrossFamily {
        replication: String,
        source_family: &'static str,
        database: String,
        target_title: &'static str,
        source_keyword: &'static str,
        source_version: &'static str,
        #[label("a {source_family} source")]
        at: SourceSpan,
        #[label("{target_title} target")]
        target_at: SourceSpan,
    },

    // ---- values and ranges ----
    #[error("{value} is not a percentage between 0% and 100%")]
    #[diagnostic(code(PMG0401))]
    PercentOutOfRange {
        value: String,
        #[label("out of range")]
        at: SourceSpan,
    },

    #[error("{problem}")]
    #[diagnostic(code(PMG0402))]
    BadCapacity {
        problem: String,
        #[label("{label}")]
        at: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("{what} must be between {min} and {max}, found {value}")]
    #[diagnostic(code(PMG0403))]
    CountOutOfRange {
        what: String,
        value: String,
        min: u64,
        max: u64,
        #[label("out of range")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("port {value} is outside 1–65535")]
    #[diagnostic(code(PMG0404))]
    PortOutOfRange {
        value: String,
        #[label("not a TCP port")]
        at: SourceSpan,
    },

    #[error("backup retention of {value} is outside the 1 to 35 days Aurora allows")]
    #[diagnostic(code(PMG0405))]
    BackupRetention {
        value: String,
        #[label("out of range")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("region {region} has {available} availability zones, the network asks for {zones}")]
    #[diagnostic(code(PMG0406))]
    TooManyZones {
        region: String,
        available: u8,
        zones: u64,
        #[label("more zones than {region} has")]
        at: SourceSpan,
        #[label("region set here")]
        region_at: SourceSpan,
    },

    #[error("unknown region `{region}`")]
    #[diagnostic(code(PMG0407))]
    UnknownRegion {
        region: String,
        #[label("not an AWS region pmigc knows")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("{problem}")]
    #[diagnostic(code(PMG0408))]
    ServerlessCapacity {
        problem: String,
        #[label("{label}")]
        at: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("`{value}` is not an AMI id")]
    #[diagnostic(code(PMG0409))]
    BadImage {
        value: String,
        #[label("expected `ami-` and 8 or 17 lowercase hex digits")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("{engine} {version} scales a Serverless v2 instance to {most} ACUs at most")]
    #[diagnostic(code(PMG0410))]
    ServerlessAboveVersion {
        engine: String,
        version: String,
        most: u16,
        #[label("{asked} ACUs asked")]
        at: SourceSpan,
        asked: String,
        #[help]
        help: Option<String>,
    },

    #[error("Aurora does not offer `{class}`: {why}")]
    #[diagnostic(code(PMG0411))]
    ClassNotOnAurora {
        class: String,
        why: String,
        #[label("an RDS class, not an Aurora one")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("database name `{name}` {problem}")]
    #[diagnostic(code(PMG0412))]
    BadDbname {
        name: String,
        problem: String,
        #[label("{label}")]
        at: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("`dbname` applies to Aurora PostgreSQL, not to {engine}")]
    #[diagnostic(code(PMG0413))]
    DbnameOnMysql {
        engine: String,
        #[label("a MySQL migration names no database")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    // ---- network ----
    #[error("`{text}` is not a valid IPv4 address block")]
    #[diagnostic(code(PMG0501))]
    InvalidCidr {
        text: String,
        #[label("{reason}")]
        at: SourceSpan,
        reason: String,
    },

    #[error("`{text}` has host bits set")]
    #[diagnostic(code(PMG0502))]
    HostBitsSet {
        text: String,
        #[label("the address is not the start of a /{prefix} block")]
        at: SourceSpan,
        prefix: u8,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("{network} cannot hold {needed}")]
    #[diagnostic(code(PMG0503))]
    SubnetsDoNotFit {
        network: String,
        /// `6 /24 subnets`, or `3 /20 and 3 /24 subnets` when the tiers differ.
        needed: String,
        #[label("{needed} needed")]
        at: SourceSpan,
        #[label("{cidr} has room for {room}")]
        cidr_at: SourceSpan,
        cidr: String,
        room: String,
        #[help]
        help: Option<String>,
    },

    #[error(
        "network `{network}` ({cidr}) overlaps the on-premises network {onprem} behind `{vpn}`"
    )]
    #[diagnostic(
        code(PMG0504),
        help(
            "traffic for the overlapping addresses could not be routed back to the data centre through the VPN; pick a VPC range outside every on-premises network"
        )
    )]
    OverlapsOnPremises {
        network: String,
        cidr: String,
        onprem: String,
        vpn: String,
        #[label("overlaps {onprem}")]
        at: SourceSpan,
        #[label("on-premises network declared here")]
        onprem_at: SourceSpan,
    },

    #[error("networks `{a}` ({a_cidr}) and `{b}` ({b_cidr}) overlap")]
    #[diagnostic(
        code(PMG0505),
        help(
            "give each network its own address range so they can be routed to each other and to on-premises"
        )
    )]
    NetworksOverlap {
        a: String,
        a_cidr: String,
        b: String,
        b_cidr: String,
        #[label("overlaps `{a}`")]
        at: SourceSpan,
        #[label("`{a}` declared here")]
        other: SourceSpan,
    },

    #[error("subnet size /{size} is {problem}")]
    #[diagnostic(code(PMG0506))]
    BadSubnetSize {
        size: u64,
        problem: String,
        #[label("{label}")]
        at: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    // ---- references ----
    #[error("no {kind} named `{name}`")]
    #[diagnostic(code(PMG0601))]
    UndefinedName {
        name: String,
        kind: String,
        #[label("not defined")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("`{name}` is {actual}, but {expected} is expected here")]
    #[diagnostic(code(PMG0602))]
    WrongKind {
        name: String,
        actual: String,
        expected: String,
        #[label("expected {expected}")]
        at: SourceSpan,
        #[label("`{name}` is declared here as {actual}")]
        declared: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("{kind} `{name}` is never used")]
    #[diagnostic(code(PMG0603), severity(Warning))]
    Unused {
        name: String,
        kind: String,
        #[label("declared here")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("the name `{name}` is declared twice")]
    #[diagnostic(
        code(PMG0604),
        help("names are shared by every block of the stack; rename one of them")
    )]
    DuplicateName {
        name: String,
        #[label("declared again here")]
        at: SourceSpan,
        #[label("first declared here")]
        first: SourceSpan,
    },

    #[error("input `{name}` is defined in terms of itself")]
    #[diagnostic(
        code(PMG0605),
        help("give one of the inputs in the cycle a literal value")
    )]
    InputCycle {
        name: String,
        #[label("`{name}` refers back to itself through {path}")]
        at: SourceSpan,
        path: String,
    },

    #[error("`{name}` is not something {owner} has")]
    #[diagnostic(code(PMG0606))]
    UnknownMember {
        name: String,
        owner: String,
        #[label("expected one of: {options}")]
        at: SourceSpan,
        options: String,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("{kind_a} `{a}` and {kind_b} `{b}` both become {what} `{common}`")]
    #[diagnostic(code(PMG0608))]
    NameClash {
        kind_a: String,
        a: String,
        kind_b: String,
        b: String,
        what: String,
        common: String,
        #[label("becomes `{common}`")]
        at: SourceSpan,
        #[label("`{a}` declared here")]
        other: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("workspaces `{a}` and `{b}` of account `{account}` both create {what} `{name}`")]
    #[diagnostic(code(PMG0613))]
    AccountNameTaken {
        a: String,
        b: String,
        account: String,
        what: String,
        name: String,
        #[label("`{b}` creates it")]
        at: SourceSpan,
        #[label("`{a}` creates it too")]
        other: SourceSpan,
        #[label("{cause}")]
        cause_at: SourceSpan,
        cause: String,
        #[help]
        help: Option<String>,
    },

    #[error(
        "workspaces `{a}` and `{b}` of account `{account}` give the stack the same name `{name}`"
    )]
    #[diagnostic(code(PMG0614))]
    SameNameInAccount {
        a: String,
        b: String,
        account: String,
        name: String,
        #[label("`{b}` is named `{name}`")]
        at: SourceSpan,
        #[label("so is `{a}`")]
        other: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error(
        "the {facing} load balancer of service `{service}` would sit in the {tier} subnets of `{network}`"
    )]
    #[diagnostic(code(PMG0615))]
    LoadBalancerTier {
        service: String,
        facing: &'static str,
        tier: &'static str,
        wanted: &'static str,
        network: String,
        #[label("{tier} subnets; a{} {facing} load balancer needs the {wanted} ones", if facing.starts_with('i') { "n" } else { "" })]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error(
        "cutover `{cutover}` sends traffic to service `{service}`, whose load balancer is internal"
    )]
    #[diagnostic(code(PMG0616))]
    CutoverToInternal {
        cutover: String,
        service: String,
        #[label("a public DNS record cannot send clients here")]
        at: SourceSpan,
        #[label("internal: reached only from the VPC and its VPN")]
        exposed_at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{setting}` has no effect on the internal load balancer of service `{service}`")]
    #[diagnostic(code(PMG0617), severity(Warning))]
    NoEffectOnInternal {
        setting: String,
        service: String,
        #[label("nothing to change")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("service `{service}` is reached by nothing, so its {what} is never used")]
    #[diagnostic(
        code(PMG0609),
        severity(Warning),
        help(
            "a service's port and health check serve a load balancer (`exposed = ...`) or the networks in `allow`; remove the setting, or expose the service: `exposed = https via NETWORK.public with CERTIFICATE`, `exposed = internal http via NETWORK.private`, `exposed = path \"/x/*\" on SERVICE`"
        )
    )]
    UnusedServiceSetting {
        service: String,
        what: &'static str,
        #[label("nothing uses it")]
        at: SourceSpan,
    },

    #[error("the boot script of service `{service}` cannot be read: `{resolved}`: {reason}")]
    #[diagnostic(
        code(PMG0610),
        help(
            "`boot = file \"PATH\"` is read when the stack is compiled, relative to the directory of the stack file; check the path's spelling and that the file exists there and is readable"
        )
    )]
    BootFileUnreadable {
        service: String,
        path: String,
        /// The path the caller tried: the stack's directory joined with `path`.
        resolved: String,
        reason: String,
        #[label("read as `{resolved}`")]
        at: SourceSpan,
    },

    #[error(
        "the boot script of service `{service}` is larger than the 16384 bytes of user data EC2 accepts"
    )]
    #[diagnostic(
        code(PMG0611),
        help(
            "EC2 takes at most 16 KB of user data, counted before base64 encoding; keep the boot script small (install and start the application), and let it fetch anything larger, e.g. from S3 or a package repository"
        )
    )]
    BootFileTooLarge {
        service: String,
        path: String,
        resolved: String,
        /// "20000 bytes", or "more than 16384 bytes" when the reader stopped there.
        size: String,
        #[label("`{resolved}` is {size}; the limit is 16384")]
        at: SourceSpan,
    },

    #[error("the boot script `{path}` of service `{service}` cannot be used: {problem}")]
    #[diagnostic(code(PMG0612))]
    BadBootFile {
        service: String,
        path: String,
        problem: String,
        #[label("{problem}")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    // ---- secrets ----
    #[error("{what} is written as plain text")]
    #[diagnostic(code(PMG0701))]
    PlaintextSecret {
        what: String,
        #[label("a secret in the stack ends up in git, in the plan and in the state")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("secret `{secret}` has no key `{key}`")]
    #[diagnostic(code(PMG0702))]
    UnknownSecretKey {
        secret: String,
        key: String,
        #[label("not one of the declared keys")]
        at: SourceSpan,
        #[label("keys declared here")]
        keys_at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("{what} `{name}` looks like a secret")]
    #[diagnostic(code(PMG0703))]
    SecretLookingName {
        what: String,
        name: String,
        #[label("{reason}")]
        at: SourceSpan,
        reason: String,
        #[help]
        help: Option<String>,
    },

    // ---- migration ----
    #[error("phases must be strictly increasing: {current} follows {previous}")]
    #[diagnostic(
        code(PMG0801),
        help("list the traffic weights in the order the cutover moves through them")
    )]
    PhasesNotIncreasing {
        previous: String,
        current: String,
        #[label("not above {previous}")]
        at: SourceSpan,
        #[label("previous phase")]
        previous_at: SourceSpan,
    },

    #[error("phases must {problem}")]
    #[diagnostic(code(PMG0802))]
    PhasesEnds {
        problem: String,
        #[label("{label}")]
        at: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("{what} {weight} is not one of the cutover's phases")]
    #[diagnostic(code(PMG0803))]
    WeightNotAPhase {
        /// `traffic weight` or `rollback weight`.
        what: &'static str,
        weight: String,
        #[label("{weight} in {context}")]
        at: SourceSpan,
        context: String,
        #[label("phases declared here")]
        phases_at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error(
        "rollback to {rollback} would move traffic forward from {current} in workspace `{workspace}`"
    )]
    #[diagnostic(
        code(PMG0804),
        help(
            "roll back to 0% (all traffic to the data centre) or to a phase at or below every workspace's weight"
        )
    )]
    RollbackAbovePhase {
        rollback: String,
        current: String,
        workspace: String,
        #[label("rolls traffic forward, not back")]
        at: SourceSpan,
        #[label("the traffic weight in `{workspace}`")]
        weight_at: SourceSpan,
    },

    #[error("{weight} of traffic goes to AWS, but nothing replicates into database `{database}`")]
    #[diagnostic(code(PMG0805))]
    CutoverWithoutReplication {
        weight: String,
        database: String,
        #[label("sends traffic to `{service}`, which reads `{database}`")]
        at: SourceSpan,
        service: String,
        #[help]
        help: Option<String>,
    },

    #[error("gate threshold {threshold} is above the replication's lag budget {max_lag}")]
    #[diagnostic(code(PMG0806))]
    GateAboveBudget {
        threshold: String,
        max_lag: String,
        #[label("lets traffic move while lag is over budget")]
        at: SourceSpan,
        #[label("`max_lag` declared here")]
        budget_at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("a gate is written `REPLICATION.lag < DURATION`")]
    #[diagnostic(code(PMG0807))]
    BadGate {
        #[label("{problem}")]
        at: SourceSpan,
        problem: String,
        #[help]
        help: Option<String>,
    },

    #[error("the gate names replication `{replication}` twice")]
    #[diagnostic(
        code(PMG0808),
        help("keep one condition per replication: the tighter threshold is the one that holds")
    )]
    GateRepeatsReplication {
        replication: String,
        #[label("second condition on `{replication}`")]
        at: SourceSpan,
        #[label("first condition on `{replication}`")]
        earlier: SourceSpan,
    },

    #[error("cutovers `{a}` and `{b}` are both moved by input `{input}`")]
    #[diagnostic(code(PMG0809))]
    SharedWeight {
        a: String,
        b: String,
        input: String,
        #[label("`{b}` reads `{input}`")]
        at: SourceSpan,
        #[label("`{a}` reads `{input}` too")]
        other: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error(
        "the gate of cutover `{cutover}` does not watch replication `{replication}`, which feeds database `{database}` that `{service}` reads"
    )]
    #[diagnostic(code(PMG0810))]
    GateMissesReplication {
        cutover: String,
        replication: String,
        database: String,
        service: String,
        #[label("traffic moves whatever `{replication}`'s lag")]
        at: SourceSpan,
        #[label("`{replication}` declared here")]
        replication_at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error(
        "cutover `{cutover}` has no gate: traffic moves to AWS whatever the lag of {replications}"
    )]
    #[diagnostic(code(PMG0811), severity(Warning))]
    NoGate {
        cutover: String,
        replications: String,
        #[label("no `gate`")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    // The plan check (`crate::plan`): a counterexample's steps are the secondary labels, in
    // order; the primary label says what is wrong at its end.
    #[error(
        "database `{database}` can accept writes in two places at once: {sources} and its Aurora cluster{workspaces}"
    )]
    #[diagnostic(code(PMG0812))]
    SplitWrites {
        database: String,
        sources: String,
        workspaces: String,
        #[label("{conclusion}")]
        at: SourceSpan,
        conclusion: String,
        #[label(collection)]
        steps: Vec<miette::LabeledSpan>,
        #[help]
        help: Option<String>,
    },

    #[error(
        "a write to database `{database}` can be lost: after {count} steps it is on no primary and no running replication carries it to one{workspaces}"
    )]
    #[diagnostic(code(PMG0813))]
    LostWrite {
        database: String,
        count: usize,
        workspaces: String,
        #[label("{conclusion}")]
        at: SourceSpan,
        conclusion: String,
        #[label(collection)]
        steps: Vec<miette::LabeledSpan>,
        #[help]
        help: Option<String>,
    },

    #[error("service `{service}` has no load balancer, but {user} needs one")]
    #[diagnostic(
        code(PMG0607),
        help("expose the service: `exposed = https via NETWORK.public with CERTIFICATE`")
    )]
    NotExposed {
        service: String,
        user: String,
        #[label("needs `{service}` to be exposed")]
        at: SourceSpan,
        #[label("declared here without `exposed`")]
        declared: SourceSpan,
    },

    // ---- where writes go: data cutovers (src/check/writes.rs) ----
    #[error(
        "data cutover `{data_cutover}` moves the writes of database `{database}`, but no replication feeds it"
    )]
    #[diagnostic(code(PMG0820))]
    DataCutoverWithoutReplication {
        data_cutover: String,
        database: String,
        #[label("no `replication` has `to = {database}`")]
        at: SourceSpan,
        #[label("`{database}` declared here")]
        database_at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error(
        "{what} needs one primary in the data centre, but {count} replications feed database `{database}`"
    )]
    #[diagnostic(code(PMG0821))]
    SeveralPrimaries {
        what: String,
        count: usize,
        database: String,
        #[label("{label}")]
        at: SourceSpan,
        label: String,
        #[label("`{first}` feeds it")]
        first_at: SourceSpan,
        first: String,
        #[label("and so does `{second}`")]
        second_at: SourceSpan,
        second: String,
        #[help]
        help: Option<String>,
    },

    #[error(
        "data cutover `{data_cutover}` has nothing to drain: replication `{replication}` copies once and follows no change"
    )]
    #[diagnostic(code(PMG0822))]
    NothingToDrain {
        data_cutover: String,
        replication: String,
        #[label("drains `{replication}`")]
        at: SourceSpan,
        #[label("`mode = full_load`: the data centre's writes after the copy never reach Aurora")]
        mode_at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error(
        "database `{database}`'s writes go to Aurora in workspace `{workspace}`, but cutover `{cutover}` still sends {legacy} of its traffic to the data centre"
    )]
    #[diagnostic(code(PMG0823))]
    TwoPrimaries {
        database: String,
        workspace: String,
        cutover: String,
        legacy: String,
        #[label("writes go to Aurora here")]
        at: SourceSpan,
        #[label(
            "at {weight}, the legacy application still writes the data centre's database: two primaries"
        )]
        weight_at: SourceSpan,
        weight: String,
        #[help]
        help: Option<String>,
    },

    #[error(
        "`both` writes on both sides, but data cutover `{data_cutover}` declares no two-way replication"
    )]
    #[diagnostic(code(PMG0824))]
    BothWithoutTwoWay {
        data_cutover: String,
        #[label("writes to the data centre and to Aurora at once")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("{problem}")]
    #[diagnostic(code(PMG0825))]
    KeysNotApart {
        problem: String,
        #[label("{label}")]
        at: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error(
        "service `{service}` writes database `{database}` through the data centre's primary, but cannot reach it"
    )]
    #[diagnostic(code(PMG0826))]
    WriterUnreachable {
        service: String,
        database: String,
        #[label("{why}")]
        at: SourceSpan,
        why: String,
        #[label("the primary is `{host}`, through VPN `{vpn}`")]
        source_at: SourceSpan,
        host: String,
        vpn: String,
        #[help]
        help: Option<String>,
    },

    #[error("database `{database}` has two data cutovers, `{first}` and `{second}`")]
    #[diagnostic(
        code(PMG0827),
        help("keep one: a database has one primary, moved by one step")
    )]
    DuplicateDataCutover {
        database: String,
        first: String,
        second: String,
        #[label("the second")]
        at: SourceSpan,
        #[label("the first")]
        first_at: SourceSpan,
    },

    #[error("the writes of database `{database}` never move to Aurora: no data cutover names it")]
    #[diagnostic(code(PMG0828), severity(Warning))]
    NoDataCutover {
        database: String,
        #[label("{label}")]
        at: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error(
        "workspace `{workspace}` sets data cutover `{data_cutover}` to `{state}`, but only workspace `{owner}` owns it"
    )]
    #[diagnostic(code(PMG0829))]
    NotTheOwner {
        workspace: String,
        data_cutover: String,
        state: String,
        owner: String,
        #[label("this workspace's services write the data centre whatever this says")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error(
        "service `{service}` writes database `{database}` in workspace `{workspace}`, which does not own its data cutover"
    )]
    #[diagnostic(code(PMG0830))]
    WriterNotOwned {
        service: String,
        database: String,
        workspace: String,
        #[label("writes `{database}` in every workspace")]
        at: SourceSpan,
        #[label("owned by workspace `{owner}`")]
        owner_at: SourceSpan,
        owner: String,
        #[help]
        help: Option<String>,
    },

    #[error(
        "workspaces `{first}` and `{second}` both own a data cutover of the data centre's primary `{host}`"
    )]
    #[diagnostic(code(PMG0831))]
    TwoOwners {
        first: String,
        second: String,
        host: String,
        #[label("owned by both")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    // ---- what DMS reads, and where a cutover's records can sit ----
    #[error("DMS does not read {engine} `{version}` as a source")]
    #[diagnostic(code(PMG0832))]
    SourceVersion {
        engine: String,
        version: String,
        #[label("{why}")]
        at: SourceSpan,
        why: String,
        #[help]
        help: Option<String>,
    },

    #[error("a cutover cannot weight the zone apex `{record}`")]
    #[diagnostic(code(PMG0833))]
    CutoverAtApex {
        record: String,
        #[label("the zone's own name")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error(
        "workspace `{workspace}` overrides `{cutover}.{key}`, but only workspace `{owner}` manages cutover `{cutover}`"
    )]
    #[diagnostic(code(PMG0834))]
    UnmanagedCutoverOverride {
        workspace: String,
        cutover: String,
        key: String,
        owner: String,
        #[label("this workspace's root holds no record of `{cutover}`: this changes nothing")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error(
        "workspace `{workspace}` sets `{input}`, the `{attr}` of cutover `{cutover}`, but only workspace `{owner}` manages cutover `{cutover}`"
    )]
    #[diagnostic(code(PMG0835), severity(Warning))]
    UnmanagedCutoverInput {
        workspace: String,
        input: String,
        attr: String,
        cutover: String,
        owner: String,
        #[label(
            "this workspace's root holds no record of `{cutover}`, and `{input}` feeds nothing else here: this changes nothing"
        )]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{pattern}` in `{attr}` is not a `schema.table` pattern")]
    #[diagnostic(code(PMG0836))]
    TablePattern {
        pattern: String,
        attr: String,
        #[label("{why}")]
        at: SourceSpan,
        why: String,
        #[help]
        help: Option<String>,
    },

    #[error(
        "the `exclude` of replication `{replication}` removes every table its `include` selects"
    )]
    #[diagnostic(code(PMG0837))]
    ExcludesEverything {
        replication: String,
        #[label("excludes all of it")]
        at: SourceSpan,
        #[label("selects only these")]
        include_at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{attr}` of replication `{replication}` names no table")]
    #[diagnostic(code(PMG0838))]
    EmptyTableList {
        attr: String,
        replication: String,
        #[label("an empty list")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{pattern}` copies {engine}'s system schema `{schema}`")]
    #[diagnostic(code(PMG0839))]
    SystemSchema {
        pattern: String,
        engine: String,
        schema: String,
        #[label("the source server's own catalogue, not the application's data")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error(
        "data cutover `{data_cutover}` moves every write of `{database}` to Aurora, but replication `{replication}` copies only some of its tables"
    )]
    #[diagnostic(code(PMG0840), severity(Warning))]
    PartialCopyCutover {
        data_cutover: String,
        database: String,
        replication: String,
        #[label("writes to tables not copied land in Aurora alone")]
        at: SourceSpan,
        #[label("what is copied, both ways")]
        tables_at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("Route 53 cannot hold a cutover back on {what}")]
    #[diagnostic(code(PMG0841))]
    UnsupportedGateMetric {
        what: String,
        #[label("{reason}")]
        at: SourceSpan,
        reason: String,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("the gate watches service `{service}`, but the cutover sends its traffic to `{aws}`")]
    #[diagnostic(code(PMG0842))]
    GateOnOtherService {
        service: String,
        aws: String,
        #[label("not the cutover's service")]
        at: SourceSpan,
        #[label("the record's traffic goes to `{aws}`")]
        aws_at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error(
        "a service gate is written `SERVICE.errors < N per minute` or `SERVICE.latency < DURATION`"
    )]
    #[diagnostic(code(PMG0843))]
    BadServiceGate {
        #[label("{problem}")]
        at: SourceSpan,
        problem: String,
        #[help]
        help: Option<String>,
    },

    // ---- security ----
    #[error("database `{name}` is placed in public subnets")]
    #[diagnostic(
        code(PMG0901),
        help(
            "place it in the private tier (`in = NETWORK.private`): a payment database is never reachable from the internet"
        )
    )]
    PublicDatabase {
        name: String,
        #[label("a public tier: one security-group change from the internet")]
        at: SourceSpan,
        fix: Option<Fix>,
    },

    #[error("encryption at rest is turned off without a reason")]
    #[diagnostic(code(PMG0902))]
    EncryptionOff {
        #[label("the database would store payment data unencrypted")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("{what} would be reachable from the whole internet")]
    #[diagnostic(code(PMG0903))]
    OpenToInternet {
        what: String,
        #[label("{cidr} is every address on the internet")]
        at: SourceSpan,
        cidr: String,
        #[help]
        help: Option<String>,
    },

    #[error("plain HTTP is forwarded to service `{service}`")]
    #[diagnostic(code(PMG0904), severity(Warning))]
    HttpForwarded {
        service: String,
        #[label("requests on port 80 reach the service unencrypted")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("the web application firewall is turned off without a reason")]
    #[diagnostic(code(PMG0905))]
    WafOffWithoutReason {
        #[label("the load balancer would face the internet with no firewall rules")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("service `{service}` has no load balancer of its own for `waf` to protect")]
    #[diagnostic(
        code(PMG0906),
        help(
            "`waf` belongs on the service that is `exposed = https via ...`; a service routed by path is protected by that load balancer's firewall"
        )
    )]
    WafWithoutLoadBalancer {
        service: String,
        #[label("`waf` here")]
        at: SourceSpan,
    },

    #[error("{what} would be reachable from public addresses ({cidr}) without a reason")]
    #[diagnostic(code(PMG0907))]
    PublicAllowWithoutReason {
        what: String,
        cidr: String,
        #[label("public address space")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    // ---- workspaces ----
    #[error("workspace `{workspace}` overrides `{key}`, which is {problem}")]
    #[diagnostic(code(PMG1001))]
    UnknownOverride {
        workspace: String,
        key: String,
        problem: String,
        #[label("nothing to override")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("workspaces `{a}` and `{b}` share one state location")]
    #[diagnostic(
        code(PMG1002),
        help("each workspace needs its own state key, or one apply overwrites the other's state")
    )]
    SharedState {
        a: String,
        b: String,
        /// How the two meet: "same bucket and key as `a`", or a lock file's key.
        how: String,
        #[label("{how}")]
        at: SourceSpan,
        #[label("`{a}` keeps its state here")]
        other: SourceSpan,
    },

    #[error("workspace name `{name}` {problem}")]
    #[diagnostic(code(PMG1003))]
    WorkspaceName {
        name: String,
        problem: String,
        #[label("{label}")]
        at: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("no workspace named `{name}`")]
    #[diagnostic(code(PMG1007))]
    UnknownWorkspace {
        name: String,
        #[label("{label}")]
        at: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("placeholder `{{{input}}}` is not filled in here")]
    #[diagnostic(code(PMG1004))]
    PlaceholderNotFilled {
        input: String,
        #[label("input `{input}` written inside a string")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error(
        "placeholder `{{{input}}}` names an input of type `{ty}`, which cannot be written into a string"
    )]
    #[diagnostic(code(PMG1005))]
    PlaceholderType {
        input: String,
        ty: String,
        #[label("an input of type `{ty}` written inside a string")]
        at: SourceSpan,
        #[label("`{input}` is declared here as `{ty}`")]
        declared: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("placeholder `{{{name}}}` names {actual}, not an input")]
    #[diagnostic(code(PMG1006))]
    PlaceholderNotInput {
        name: String,
        actual: String,
        #[label("a placeholder is filled in with an input's value")]
        at: SourceSpan,
        #[label("`{name}` is declared here as {actual}")]
        declared: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("workspace `{workspace}` overrides `{key}`, which a workspace cannot override: {why}")]
    #[diagnostic(code(PMG1008))]
    NotOverridable {
        workspace: String,
        key: String,
        why: String,
        #[label("a workspace cannot set this")]
        at: SourceSpan,
        #[label("set here, once for every workspace")]
        original: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("workspaces `{a}` and `{b}` both attach VPN gateway `{gateway}` of VPN `{vpn}`{why}")]
    #[diagnostic(code(PMG1009))]
    SharedVpnGateway {
        a: String,
        b: String,
        vpn: String,
        gateway: String,
        /// Why AWS refuses it: one account or two.
        why: String,
        #[label("`{b}` attaches `{gateway}` to its VPC")]
        at: SourceSpan,
        #[label("so does `{a}`")]
        other: SourceSpan,
        #[label("the gateway of VPN `{vpn}`")]
        gateway_at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("the state {what} `{value}` {problem}")]
    #[diagnostic(code(PMG1010))]
    BadStateLocation {
        what: &'static str,
        value: String,
        problem: String,
        #[label("{rule}")]
        at: SourceSpan,
        rule: String,
        #[help]
        help: Option<String>,
    },

    #[error("input `{name}` is named like a workspace setting")]
    #[diagnostic(code(PMG1011))]
    InputNamedLikeSetting {
        name: String,
        #[label("`{name} = …` in a workspace sets {what}, never this input")]
        at: SourceSpan,
        what: String,
        #[help]
        help: Option<String>,
    },

    // ---- AWS naming ----
    #[error("{what} `{name}` would be {len} characters; AWS allows at most {max}")]
    #[diagnostic(code(PMG1101))]
    NameTooLong {
        what: String,
        name: String,
        len: usize,
        max: usize,
        #[label("the name pattern produces `{name}` in workspace `{workspace}`")]
        at: SourceSpan,
        workspace: String,
        /// The block the name is derived from, when it is not the stack.
        #[label("named after this block")]
        block_at: Option<SourceSpan>,
        #[help]
        help: Option<String>,
    },

    #[error("{what} `{name}` {problem}")]
    #[diagnostic(code(PMG1102))]
    NameCharacters {
        what: String,
        name: String,
        /// What is wrong: its characters, or its length.
        problem: String,
        #[label("{rule}")]
        at: SourceSpan,
        rule: String,
        #[help]
        help: Option<String>,
    },

    #[error(
        "{kind} `{declared}` is never used, and `{used}` is used {times} times and never declared"
    )]
    #[diagnostic(code(PMG1103), help("did you mean to name it `{used}`?"))]
    MisspeltDeclaration {
        declared: String,
        used: String,
        times: usize,
        kind: String,
        #[label("declared as `{declared}`")]
        at: SourceSpan,
        #[label(collection, "used as `{used}`")]
        uses: Vec<SourceSpan>,
        fix: Option<Fix>,
    },

    // ---- AWS apply-time constraints and migration safety (src/check/dns.rs, apply.rs) ----
    #[error(
        "certificate `{certificate}` does not cover `{record}`, the name the cutover moves to `{service}`"
    )]
    #[diagnostic(code(PMG1201))]
    CertificateDoesNotCover {
        certificate: String,
        record: String,
        service: String,
        #[label("clients ask for `{record}`")]
        at: SourceSpan,
        #[label("the certificate is for {covers}")]
        certificate_at: SourceSpan,
        covers: String,
        #[help]
        help: Option<String>,
    },

    #[error("the legacy target of cutover `{cutover}` is its own record `{record}`")]
    #[diagnostic(
        code(PMG1202),
        help(
            "`legacy` is the data centre's own name for the service (e.g. `legacy.{record}`), never the record being moved: a CNAME to itself resolves nowhere"
        )
    )]
    CnameLoop {
        cutover: String,
        record: String,
        #[label("a CNAME from `{record}` to itself")]
        at: SourceSpan,
        #[label("the record being moved")]
        record_at: SourceSpan,
    },

    #[error("a TTL of {ttl} makes rolling back cutover `{cutover}` take up to {ttl}")]
    #[diagnostic(code(PMG1203))]
    TtlTooLong {
        cutover: String,
        ttl: String,
        #[label("resolvers keep the old answer this long")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error(
        "a TTL of {ttl} keeps traffic on AWS for up to {ttl} after the gate of cutover `{cutover}` closes"
    )]
    #[diagnostic(code(PMG1204), severity(Warning))]
    TtlDefeatsGate {
        cutover: String,
        ttl: String,
        #[label("cached for {ttl}: weights move in coarse steps and the gate acts late")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("replication `{replication}` copies the data once (`full_load`), but {why}")]
    #[diagnostic(code(PMG1205))]
    FullLoadCannotGate {
        replication: String,
        why: String,
        #[label("no change after the load reaches AWS")]
        at: SourceSpan,
        #[label("{other_label}")]
        other: SourceSpan,
        other_label: String,
        #[help]
        help: Option<String>,
        fix: Option<Fix>,
    },

    #[error("`{name}` is not a valid DNS name: {problem}")]
    #[diagnostic(code(PMG1206))]
    BadDnsName {
        name: String,
        problem: String,
        #[label("{what}")]
        at: SourceSpan,
        what: String,
        #[help]
        help: Option<String>,
    },

    #[error("`{name}`: a wildcard `*` is only allowed as the whole leftmost label{where_}")]
    #[diagnostic(code(PMG1207))]
    MisplacedWildcard {
        name: String,
        where_: String,
        #[label("{what}")]
        at: SourceSpan,
        what: String,
        #[help]
        help: Option<String>,
    },

    #[error("the legacy target `{address}` is an IP address; a CNAME record must name a host")]
    #[diagnostic(
        code(PMG1208),
        help(
            "Route 53 stores it, but resolvers then look up a host called `{address}` and find none, so every client sent to the data centre fails: give the data centre's host name, e.g. `legacy.pay.example.com`"
        )
    )]
    LegacyIsAddress {
        address: String,
        #[label("the weighted record is a CNAME: this must be a host name")]
        at: SourceSpan,
    },

    #[error(
        "replication `{replication}` reads from `{host}`, the name cutover `{cutover}` moves to AWS"
    )]
    #[diagnostic(
        code(PMG1209),
        help(
            "replicate from the database's own host in the data centre (e.g. `db.corp.example.com`): as the cutover moves, `{host}` starts answering with AWS and DMS would read from its own target"
        )
    )]
    SourceIsCutoverRecord {
        replication: String,
        host: String,
        cutover: String,
        #[label("the source database's host")]
        at: SourceSpan,
        #[label("moved to AWS by the cutover")]
        record_at: SourceSpan,
    },

    #[error("cutover `{cutover}` moves all traffic in one step ({phases})")]
    #[diagnostic(
        code(PMG1210),
        severity(Warning),
        help(
            "add intermediate phases, e.g. `[0%, 10%, 50%, 100%]`, so a problem shows on a share of the traffic before it reaches all of it"
        )
    )]
    OneStepCutover {
        cutover: String,
        phases: String,
        #[label("no phase between 0% and 100%")]
        at: SourceSpan,
    },

    #[error("{what} of 0s can never be met: replication lag is never below zero")]
    #[diagnostic(
        code(PMG1211),
        help(
            "give the largest lag the cutover may tolerate, e.g. `5s`; DMS reports CDC latency in whole seconds"
        )
    )]
    ZeroLag {
        what: String,
        #[label("traffic would never move to AWS")]
        at: SourceSpan,
    },

    #[error("network `{network}` has one zone, but {users} need subnets in at least two")]
    #[diagnostic(
        code(PMG1212),
        help(
            "AWS refuses a load balancer, an Aurora subnet group and a DMS subnet group with subnets in one availability zone: write `zones = 2` or more"
        )
    )]
    OneZone {
        network: String,
        users: String,
        #[label("one availability zone")]
        at: SourceSpan,
    },

    #[error(
        "the load balancer of `{service}` needs {tier} subnets of at least /27, network `{network}` has /{size}"
    )]
    #[diagnostic(
        code(PMG1213),
        help(
            "an Application Load Balancer needs subnets with a /27 bitmask or larger and 8 free addresses each: write `{tier} = /27 per zone` or a shorter prefix"
        )
    )]
    LoadBalancerSubnetTooSmall {
        service: String,
        network: String,
        size: u8,
        tier: &'static str,
        #[label("/{size} {tier} subnets")]
        at: SourceSpan,
        #[label("the load balancer is placed here")]
        exposed_at: SourceSpan,
    },

    #[error(
        "the private subnets of network `{network}` have {usable} usable addresses, and {need} are needed"
    )]
    #[diagnostic(code(PMG1214))]
    PrivateSubnetsTooSmall {
        network: String,
        usable: u64,
        need: u64,
        #[label("{usable} addresses ({zones} subnets, 5 reserved by AWS in each)")]
        at: SourceSpan,
        zones: u8,
        #[help]
        help: Option<String>,
    },

    #[error(
        "database `{database}` has no reader to fail over to, and cutover `{cutover}` moves traffic onto it"
    )]
    #[diagnostic(
        code(PMG1215),
        severity(Warning),
        help(
            "when an Aurora cluster's only instance fails, Aurora creates a new one, about ten minutes without a database; with a reader it promotes it in about a minute: `readers = 1` or more"
        )
    )]
    NoFailoverReader {
        database: String,
        cutover: String,
        #[label("no reader: a failover means a new writer")]
        at: SourceSpan,
        #[label("traffic moves to `{service}`, which reads `{database}`")]
        cutover_at: SourceSpan,
        service: String,
    },

    #[error(
        "replication `{replication}` reaches its source through VPN `{vpn}`, which network `{network}` does not attach"
    )]
    #[diagnostic(code(PMG1216))]
    VpnNotAttached {
        replication: String,
        vpn: String,
        network: String,
        #[label("through `{vpn}`")]
        at: SourceSpan,
        #[label("DMS runs in this network ({attached})")]
        network_at: SourceSpan,
        attached: String,
        #[help]
        help: Option<String>,
    },

    #[error("replication `{replication}` reads from {address}, which is not behind VPN `{vpn}`")]
    #[diagnostic(code(PMG1217))]
    SourceOutsideVpn {
        replication: String,
        address: String,
        vpn: String,
        #[label("not in any network of `{vpn}`")]
        at: SourceSpan,
        #[label("the networks behind `{vpn}`")]
        networks_at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error(
        "service `{service}` (network `{network}`) reads database `{database}` in network `{other}`"
    )]
    #[diagnostic(
        code(PMG1218),
        help(
            "a security group rule can only name a group in the same VPC, and the two networks are not connected: place the service and the database in one network"
        )
    )]
    ReadsAcrossNetworks {
        service: String,
        network: String,
        database: String,
        other: String,
        #[label("`{database}` is in network `{other}`")]
        at: SourceSpan,
        #[label("`{service}` runs in network `{network}`")]
        placement_at: SourceSpan,
    },

    #[error(
        "the load balancer of `{service}` is in network `{lb_network}`, its instances in network `{network}`"
    )]
    #[diagnostic(
        code(PMG1219),
        help(
            "a load balancer's target group belongs to one VPC, and its instances must be in it: put the load balancer and the instances in the same network"
        )
    )]
    TargetsInOtherNetwork {
        service: String,
        lb_network: String,
        network: String,
        #[label("load balancer in network `{lb_network}`")]
        at: SourceSpan,
        #[label("instances in network `{network}`")]
        placement_at: SourceSpan,
    },

    #[error("network `{network}` is {cidr}; a VPC's range is /16 to /28")]
    #[diagnostic(code(PMG1220))]
    VpcTooLarge {
        network: String,
        cidr: String,
        #[label("AWS refuses a VPC larger than /16")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("network `{network}` ({cidr}) uses {range}, which AWS does not allow for a VPC")]
    #[diagnostic(
        code(PMG1221),
        help(
            "use a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) that does not overlap on-premises"
        )
    )]
    VpcRangeReserved {
        network: String,
        cidr: String,
        range: String,
        #[label("inside {range}")]
        at: SourceSpan,
    },

    #[error("tag `{key}` {problem}")]
    #[diagnostic(code(PMG1222))]
    BadTag {
        key: String,
        problem: String,
        #[label("{label}")]
        at: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("secret name `{name}` {problem}")]
    #[diagnostic(
        code(PMG1223),
        help("Secrets Manager names are 1 to 512 characters: letters, digits and `/_+=.@-`")
    )]
    BadSecretName {
        name: String,
        problem: String,
        #[label("Secrets Manager has no secret by this name")]
        at: SourceSpan,
    },

    #[error("secret name `{name}` ends with a hyphen and six characters")]
    #[diagnostic(
        code(PMG1224),
        severity(Warning),
        help(
            "Secrets Manager adds `-` and six random characters to every secret's ARN; a name that already ends so can match another secret's partial ARN: rename the secret, e.g. without the suffix `{suffix}`"
        )
    )]
    SecretNameSuffix {
        name: String,
        suffix: String,
        #[label("`{suffix}` reads like the suffix of an ARN")]
        at: SourceSpan,
    },

    #[error("master user name `{name}` of database `{database}` {problem}")]
    #[diagnostic(code(PMG1225))]
    BadMasterUsername {
        name: String,
        database: String,
        problem: String,
        #[label("Aurora refuses this user name")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("health-check path of `{service}` {problem}")]
    #[diagnostic(code(PMG1226))]
    BadHealthPath {
        service: String,
        problem: String,
        #[label("the load balancer refuses this path")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("path pattern `{path}` of `{service}` {problem}")]
    #[diagnostic(code(PMG1227))]
    BadPathPattern {
        path: String,
        service: String,
        problem: String,
        #[label("the listener rule refuses this pattern")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("{block} allows {network}, which cannot reach it from its subnets")]
    #[diagnostic(code(PMG1228))]
    AllowUnroutable {
        block: String,
        network: String,
        /// Why: where the replies would go.
        why: String,
        #[label("{why}")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error(
        "service `{service}` is routed by path with {count} allowed networks; a listener rule holds at most {max}"
    )]
    #[diagnostic(code(PMG1229))]
    PathAllowTooLong {
        service: String,
        count: usize,
        max: usize,
        #[label("each becomes a source-IP value of the listener rule, beside its path")]
        at: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error(
        "replication `{replication}` reads from `{host}`, a name only the data centre's DNS servers know, but VPN `{vpn}` names none"
    )]
    #[diagnostic(code(PMG1230))]
    SourceNameUnresolvable {
        replication: String,
        host: String,
        vpn: String,
        /// The private domain the host is under.
        zone: String,
        #[label("under `{zone}`: AWS's resolver cannot answer it")]
        at: SourceSpan,
        #[label("VPN `{vpn}`")]
        vpn_at: SourceSpan,
        #[help]
        help: Option<String>,
    },
}

impl Report for CheckError {
    fn fix(&self) -> Option<Fix> {
        match self {
            CheckError::UnknownBlockKind { fix, .. }
            | CheckError::UnknownAttribute { fix, .. }
            | CheckError::UnknownInputType { fix, .. }
            | CheckError::MissingUnit { fix, .. }
            | CheckError::WrongUnit { fix, .. }
            | CheckError::UnknownValue { fix, .. }
            | CheckError::UnknownInstanceType { fix, .. }
            | CheckError::UnknownEngine { fix, .. }
            | CheckError::UnknownRegion { fix, .. }
            | CheckError::HostBitsSet { fix, .. }
            | CheckError::UndefinedName { fix, .. }
            | CheckError::UnknownMember { fix, .. }
            | CheckError::UnknownSecretKey { fix, .. }
            | CheckError::WeightNotAPhase { fix, .. }
            | CheckError::UnknownOverride { fix, .. }
            | CheckError::UnknownWorkspace { fix, .. }
            | CheckError::EncryptionOff { fix, .. }
            | CheckError::WafOffWithoutReason { fix, .. }
            | CheckError::HttpForwarded { fix, .. }
            | CheckError::LoadBalancerTier { fix, .. }
            | CheckError::PublicDatabase { fix, .. }
            | CheckError::MisspeltDeclaration { fix, .. }
            | CheckError::TtlTooLong { fix, .. }
            | CheckError::TtlDefeatsGate { fix, .. }
            | CheckError::FullLoadCannotGate { fix, .. }
            | CheckError::UnsupportedGateMetric { fix, .. }
            | CheckError::GateOnOtherService { fix, .. } => fix.clone(),
            _ => None,
        }
    }
}

/// A replacement of `span` by `text`, for errors that know their fix.
pub fn replace(span: Span, text: impl Into<String>) -> Option<Fix> {
    Some(Fix {
        span,
        replacement: text.into(),
    })
}
