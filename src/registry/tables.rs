//! The block registry's tables: one `Block` per kind of block, each attribute with its type,
//! unit, allowed values, range, default, whether a workspace may override it, and its doc.
//! Each attribute is a typed key of its block's module (`network::NAT`), listed in its block's
//! `attrs`: the checker reads it only through that key. Adding an attribute here is all the
//! checker needs to accept it (its value is checked by the block's checker);
//! `src/registry/tests.rs` proves each entry against the checker.

use super::{Attr, Block, Default, Key, Kind, Range, Schema};
use crate::aws::instances;

/// Shorthand for the tables below: everything not given is empty.
const A: Attr = Attr {
    name: "",
    required: false,
    example: "",
    ty: "",
    unit: None,
    values: &[],
    catalogue: &[],
    range: None,
    default: None,
    refers_to: &[],
    overridable: true,
    fixed_because: "",
    doc: "",
};

pub const STACK: Block = Block {
    block: "stack",
    kind: None,
    doc: "The stack's settings: the AWS region and the name every AWS resource is named after.",
    members: &[],
    creates_resources: false,
    attrs: &[
        stack::REGION.attr,
        stack::NAME.attr,
        stack::TAGS.attr,
        stack::DMS_ROLES.attr,
    ],
};

pub(crate) const VPN: Block = Block {
    block: "existing vpn",
    kind: Some(Kind::Vpn),
    doc: "A site-to-site VPN to the data centre that already exists: looked up, never created; an alarm watches its tunnels.",
    members: &["connection"],
    creates_resources: true,
    attrs: &[
        vpn::CONNECTION.attr,
        vpn::GATEWAY.attr,
        vpn::NETWORKS.attr,
        vpn::DNS.attr,
        vpn::DOMAINS.attr,
    ],
};

pub(crate) const SECRET: Block = Block {
    block: "existing secret",
    kind: Some(Kind::Secret),
    doc: "A Secrets Manager secret that already exists; passwords are read from its keys.",
    members: &[],
    creates_resources: false,
    attrs: &[secret::NAME.attr, secret::KEYS.attr, secret::VERSION.attr],
};

pub(crate) const CERTIFICATE: Block = Block {
    block: "existing certificate",
    kind: Some(Kind::Certificate),
    doc: "An ACM certificate that already exists, for TLS on a load balancer.",
    members: &[],
    creates_resources: false,
    attrs: &[certificate::DOMAIN.attr, certificate::NAMES.attr],
};

pub(crate) const NETWORK: Block = Block {
    block: "network",
    kind: Some(Kind::Network),
    doc: "A VPC with public and private subnets carved per availability zone, NAT and the VPN.",
    members: &["id"],
    creates_resources: true,
    attrs: &[
        network::CIDR.attr,
        network::ZONES.attr,
        network::PUBLIC.attr,
        network::PRIVATE.attr,
        network::NAT.attr,
        network::VPN.attr,
    ],
};

pub(crate) const DATABASE: Block = Block {
    block: "database",
    kind: Some(Kind::Database),
    doc: "An Aurora cluster with its writer and reader instances, in private subnets.",
    members: &["endpoint", "reader_endpoint"],
    creates_resources: true,
    attrs: &[
        database::ENGINE.attr,
        database::INSTANCE.attr,
        database::CAPACITY.attr,
        database::WRITERS.attr,
        database::READERS.attr,
        database::IN.attr,
        database::USERNAME.attr,
        database::PASSWORD.attr,
        database::DBNAME.attr,
        database::READER_USERNAME.attr,
        database::READER_PASSWORD.attr,
        database::BACKUPS.attr,
        database::ALLOW.attr,
        database::ENCRYPTION.attr,
    ],
};

pub const SERVICE: Block = Block {
    block: "service",
    kind: Some(Kind::Service),
    doc: "EC2 instances in an Auto Scaling group, behind an internet-facing load balancer or a path on another service's.",
    members: &["dns_name"],
    creates_resources: true,
    attrs: &[
        service::INSTANCE.attr,
        service::IMAGE.attr,
        service::BOOT.attr,
        service::CAPACITY.attr,
        service::IN.attr,
        service::PORT.attr,
        service::HEALTH.attr,
        service::EXPOSED.attr,
        service::HTTP.attr,
        service::WAF.attr,
        service::READS.attr,
        service::ALLOW.attr,
    ],
};

pub(crate) const REPLICATION: Block = Block {
    block: "replication",
    kind: Some(Kind::Replication),
    doc: "A DMS replication from an on-premises database into a database of the stack.",
    members: &["status"],
    creates_resources: true,
    attrs: &[
        replication::FROM.attr,
        replication::USERNAME.attr,
        replication::PASSWORD.attr,
        replication::TO.attr,
        replication::INSTANCE.attr,
        replication::MODE.attr,
        replication::INCLUDE.attr,
        replication::EXCLUDE.attr,
        replication::MAX_LAG.attr,
    ],
};

pub(crate) const CUTOVER: Block = Block {
    block: "cutover",
    kind: Some(Kind::Cutover),
    doc: "Weighted Route 53 records moving traffic from the data centre to AWS through declared phases.",
    members: &[],
    creates_resources: true,
    attrs: &[
        cutover::RECORD.attr,
        cutover::LEGACY.attr,
        cutover::AWS.attr,
        cutover::WEIGHT.attr,
        cutover::PHASES.attr,
        cutover::GATE.attr,
        cutover::ROLLBACK.attr,
        cutover::TTL.attr,
        cutover::OWNER.attr,
    ],
};

pub(crate) const DATA_CUTOVER: Block = Block {
    block: "data_cutover",
    kind: Some(Kind::DataCutover),
    doc: "Where a replicated database's writes go: the data centre's primary until this step moves them to Aurora, with a fallback replication back for a rollback.",
    members: &[],
    creates_resources: true,
    attrs: &[
        data_cutover::DATABASE.attr,
        data_cutover::WRITER.attr,
        data_cutover::FALLBACK.attr,
        data_cutover::USERNAME.attr,
        data_cutover::PASSWORD.attr,
        data_cutover::MAX_LAG.attr,
        data_cutover::TWO_WAY.attr,
        data_cutover::OWNER.attr,
    ],
};

pub(crate) const DASHBOARD: Block = Block {
    block: "dashboard",
    kind: Some(Kind::Dashboard),
    doc: "A CloudWatch dashboard; its widgets follow from what the stack contains.",
    members: &[],
    creates_resources: true,
    attrs: &[],
};

pub const WORKSPACE: Block = Block {
    block: "workspace",
    kind: None,
    doc: "One Terraform root: sets inputs, overrides `BLOCK.ATTRIBUTE`, and says where its state lives.",
    members: &[],
    creates_resources: false,
    attrs: &[workspace::STATE.attr, workspace::ACCOUNT.attr],
};

/// The attributes of `stack`, each a key the checker reads it with.
pub(crate) mod stack {
    use super::*;

    /// The block these keys belong to.
    pub(crate) enum Of {}

    impl Schema for Of {
        const BLOCK: &'static Block = &super::STACK;
    }

    pub(crate) const REGION: Key<Of> = Key::new(Attr {
        name: "region",
        required: true,
        example: "\"us-east-1\"",
        ty: "string: an AWS region",
        range: Some(Range::Described(
            "a region pmigc knows (`pmigc init` lists them)",
        )),
        overridable: false,
        fixed_because: "the region is the stack's: the state buckets, the availability zones networks are carved into and the account-wide names the checker compares are read in it; a root in another region is another stack",
        doc: "The AWS region every workspace deploys into.",
        ..A
    });

    pub(crate) const NAME: Key<Of> = Key::new(Attr {
        name: "name",
        required: true,
        example: "\"payment-migration-{environment_suffix}\"",
        ty: "string with `{input}` placeholders",
        doc: "The name AWS resources are prefixed with; `{input}` is filled in per workspace.",
        ..A
    });

    pub(crate) const TAGS: Key<Of> = Key::new(Attr {
        name: "tags",
        example: "{ service = \"payments\" }",
        ty: "map of strings",
        doc: "Tags put on every AWS resource.",
        ..A
    });

    pub(crate) const DMS_ROLES: Key<Of> = Key::new(Attr {
        name: "dms_roles",
        example: "existing",
        ty: "a workspace's name or `existing`",
        overridable: false,
        fixed_because: "it says which one workspace of the account creates DMS's roles, a fact about every workspace at once",
        doc: "Which workspace creates DMS's two fixed-name IAM roles (`dms-vpc-role`, `dms-cloudwatch-logs-role`), or `existing` when the account has them; without it every workspace with a replication creates them.",
        ..A
    });
}

/// The attributes of `vpn`, each a key the checker reads it with.
pub(crate) mod vpn {
    use super::*;

    /// The block these keys belong to.
    pub(crate) enum Of {}

    impl Schema for Of {
        const BLOCK: &'static Block = &super::VPN;
    }

    pub(crate) const CONNECTION: Key<Of> = Key::new(Attr {
        name: "connection",
        required: true,
        example: "\"vpn-0123456789abcdef0\"",
        ty: "string: a VPN connection id (`vpn-…`)",
        doc: "The id of the VPN connection: its tunnels are watched by an alarm (`STACK-NAME-tunnel-down`) that fires when no tunnel has been up for 15 minutes or the connection reports no tunnel state (a wrong or deleted id).",
        ..A
    });

    pub(crate) const GATEWAY: Key<Of> = Key::new(Attr {
        name: "gateway",
        required: true,
        example: "\"vgw-0123456789abcdef0\"",
        ty: "string: a virtual private gateway id (`vgw-…`)",
        doc: "The virtual private gateway the connection ends on.",
        ..A
    });

    pub(crate) const NETWORKS: Key<Of> = Key::new(Attr {
        name: "networks",
        required: true,
        example: "[192.168.0.0/16]",
        ty: "list of CIDR blocks",
        doc: "The on-premises networks behind the VPN.",
        ..A
    });

    pub(crate) const DNS: Key<Of> = Key::new(Attr {
        name: "dns",
        example: "[\"172.16.0.2\", \"172.16.0.3\"]",
        ty: "list of IPv4 addresses, quoted",
        doc: "The data centre's DNS servers, behind the VPN: names only they know (`*.internal`, or under `domains`) are forwarded to them by a Route 53 Resolver outbound endpoint.",
        ..A
    });

    pub(crate) const DOMAINS: Key<Of> = Key::new(Attr {
        name: "domains",
        example: "[\"dc.example.com\"]",
        ty: "list of domain names",
        doc: "Domains only the data centre's DNS servers answer, besides the private top-level domains (`internal`, `local`, `corp`, `lan`, `home.arpa`…).",
        ..A
    });
}

/// The attributes of `secret`, each a key the checker reads it with.
pub(crate) mod secret {
    use super::*;

    /// The block these keys belong to.
    pub(crate) enum Of {}

    impl Schema for Of {
        const BLOCK: &'static Block = &super::SECRET;
    }

    pub(crate) const NAME: Key<Of> = Key::new(Attr {
        name: "name",
        required: true,
        example: "\"payment-db-credentials\"",
        ty: "string: the secret's name",
        doc: "The secret's name in Secrets Manager.",
        ..A
    });

    pub(crate) const KEYS: Key<Of> = Key::new(Attr {
        name: "keys",
        required: true,
        example: "[password]",
        ty: "list of names",
        overridable: false,
        fixed_because: "the keys are the names the stack's `SECRET.KEY` references are checked against, the same in every workspace",
        doc: "The keys of the secret's JSON value that the stack may read (`db.password`).",
        ..A
    });

    pub(crate) const VERSION: Key<Of> = Key::new(Attr {
        name: "version",
        example: "2",
        ty: "number",
        range: Some(Range::whole(1, 1_000_000)),
        default: Some(Default::Number(1)),
        doc: "The secret's version as the write-only password arguments see it: raise it after rotating the secret so the new password is sent.",
        ..A
    });
}

/// The attributes of `certificate`, each a key the checker reads it with.
pub(crate) mod certificate {
    use super::*;

    /// The block these keys belong to.
    pub(crate) enum Of {}

    impl Schema for Of {
        const BLOCK: &'static Block = &super::CERTIFICATE;
    }

    pub(crate) const DOMAIN: Key<Of> = Key::new(Attr {
        name: "domain",
        required: true,
        example: "\"pay.example.com\"",
        ty: "string: a domain name",
        doc: "The domain of the issued certificate it is looked up by.",
        ..A
    });

    pub(crate) const NAMES: Key<Of> = Key::new(Attr {
        name: "names",
        example: "[\"www.pay.example.com\"]",
        ty: "list of strings: domain names",
        doc: "The certificate's other names (subject alternative names, wildcards allowed); the checker proves each cutover's record is covered.",
        ..A
    });
}

/// The attributes of `network`, each a key the checker reads it with.
pub(crate) mod network {
    use super::*;

    /// The block these keys belong to.
    pub(crate) enum Of {}

    impl Schema for Of {
        const BLOCK: &'static Block = &super::NETWORK;
    }

    pub(crate) const CIDR: Key<Of> = Key::new(Attr {
        name: "cidr",
        required: true,
        example: "10.40.0.0/16",
        ty: "CIDR block",
        doc: "The VPC's address range; it must not overlap an on-premises network.",
        ..A
    });

    pub(crate) const ZONES: Key<Of> = Key::new(Attr {
        name: "zones",
        required: true,
        example: "3",
        ty: "number",
        range: Some(Range::Whole {
            min: 1,
            max: 6,
            unit: "",
            note: ", at most the region's zones",
        }),
        doc: "How many availability zones the subnets are spread over.",
        ..A
    });

    pub(crate) const PUBLIC: Key<Of> = Key::new(Attr {
        name: "public",
        required: true,
        example: "/24 per zone",
        ty: "subnet size: `/PREFIX per zone`",
        doc: "The size of each zone's public subnet (load balancers, NAT gateways).",
        ..A
    });

    pub(crate) const PRIVATE: Key<Of> = Key::new(Attr {
        name: "private",
        required: true,
        example: "/24 per zone",
        ty: "subnet size: `/PREFIX per zone`",
        doc: "The size of each zone's private subnet (databases, instances).",
        ..A
    });

    pub(crate) const NAT: Key<Of> = Key::new(Attr {
        name: "nat",
        example: "per_zone",
        ty: "word",
        values: &["per_zone", "single"],
        default: Some(Default::Word("per_zone")),
        doc: "One NAT gateway per zone, or a single cheaper one (one zone's outage cuts egress).",
        ..A
    });

    pub(crate) const VPN: Key<Of> = Key::new(Attr {
        name: "vpn",
        example: "onprem",
        ty: "name of an existing VPN",
        refers_to: &[Kind::Vpn],
        doc: "Attaches the VPN's gateway and propagates on-premises routes.",
        ..A
    });
}

/// The attributes of `database`, each a key the checker reads it with.
pub(crate) mod database {
    use super::*;

    /// The block these keys belong to.
    pub(crate) enum Of {}

    impl Schema for Of {
        const BLOCK: &'static Block = &super::DATABASE;
    }

    pub(crate) const ENGINE: Key<Of> = Key::new(Attr {
        name: "engine",
        required: true,
        example: "aurora_mysql \"8.0\"",
        ty: "engine and version: `aurora_mysql \"8.0\"` or `aurora_postgresql \"13\"`…`\"17\"`",
        values: &["aurora_mysql", "aurora_postgresql"],
        doc: "The Aurora engine and its major version; everything that depends on the engine (port, parameter family, TLS, logs, DMS) follows from it.",
        ..A
    });

    pub(crate) const INSTANCE: Key<Of> = Key::new(Attr {
        name: "instance",
        required: true,
        example: "db.r6g.large",
        ty: "Aurora instance class",
        values: &[instances::SERVERLESS],
        catalogue: instances::AURORA,
        doc: "The instance class of every instance of the cluster.",
        ..A
    });

    pub(crate) const CAPACITY: Key<Of> = Key::new(Attr {
        name: "capacity",
        example: "0.5..16",
        ty: "range of Aurora capacity units (ACUs)",
        range: Some(Range::Described(
            "0.5 to 256 ACUs, in steps of 0.5; a minimum of 0 on versions that pause",
        )),
        doc: "With `instance = db.serverless` (Aurora Serverless v2): the capacity the cluster scales between; a minimum of 0 pauses an idle instance (Aurora MySQL 3.08, Aurora PostgreSQL 13 to 17 as pmigc pins them), never on a database a data cutover makes a DMS source.",
        ..A
    });

    pub(crate) const WRITERS: Key<Of> = Key::new(Attr {
        name: "writers",
        example: "1",
        ty: "number",
        range: Some(Range::Whole {
            min: 1,
            max: 1,
            unit: "",
            note: " (Aurora has exactly one writer)",
        }),
        default: Some(Default::Number(1)),
        doc: "The number of writer instances.",
        ..A
    });

    pub(crate) const READERS: Key<Of> = Key::new(Attr {
        name: "readers",
        example: "2",
        ty: "number",
        range: Some(Range::whole(0, 15)),
        default: Some(Default::Number(1)),
        doc: "The number of reader instances.",
        ..A
    });

    pub(crate) const IN: Key<Of> = Key::new(Attr {
        name: "in",
        required: true,
        example: "main.private",
        ty: "subnet tier: `NETWORK.private`",
        refers_to: &[Kind::Network],
        doc: "The network and tier the cluster is placed in; never public.",
        ..A
    });

    pub(crate) const USERNAME: Key<Of> = Key::new(Attr {
        name: "username",
        example: "\"admin\"",
        ty: "string",
        default: Some(Default::EngineUsername),
        doc: "The master user's name.",
        ..A
    });

    pub(crate) const PASSWORD: Key<Of> = Key::new(Attr {
        name: "password",
        required: true,
        example: "db.password",
        ty: "key of an existing secret: `SECRET.KEY`",
        refers_to: &[Kind::Secret],
        doc: "Where the master password is read from; a literal string is refused.",
        ..A
    });

    pub(crate) const DBNAME: Key<Of> = Key::new(Attr {
        name: "dbname",
        example: "\"shop\"",
        ty: "string: 1 to 63 letters, digits and `_`, starting with a letter; or a list of them",
        doc: "Aurora PostgreSQL: the database created on the cluster, and the one DMS reads on the source and writes on Aurora; without it, the block's name. A list (`[\"ledger\", \"ledger_audit\"]`) moves several databases of one source into the cluster, one DMS task each; the cluster is created with the first, the runbook creates the others.",
        ..A
    });

    pub(crate) const READER_USERNAME: Key<Of> = Key::new(Attr {
        name: "reader_username",
        example: "\"shop_ro\"",
        ty: "string",
        doc: "A read-only login (SELECT grants) for the services that only read the database (`reads = DB.reader`); with `reader_password`.",
        ..A
    });

    pub(crate) const READER_PASSWORD: Key<Of> = Key::new(Attr {
        name: "reader_password",
        example: "db.reader_password",
        ty: "key of an existing secret: `SECRET.KEY`",
        refers_to: &[Kind::Secret],
        doc: "Where the read-only login's password is read from; with `reader_username`.",
        ..A
    });

    pub(crate) const BACKUPS: Key<Of> = Key::new(Attr {
        name: "backups",
        example: "7 days",
        ty: "duration",
        unit: Some("whole days"),
        range: Some(Range::Whole {
            min: 1,
            max: 35,
            unit: " days",
            note: "",
        }),
        default: Some(Default::Days(7)),
        doc: "How long automated backups are kept.",
        ..A
    });

    pub(crate) const ALLOW: Key<Of> = Key::new(Attr {
        name: "allow",
        example: "[192.168.10.0/24]",
        ty: "list of CIDR blocks, then `because \"REASON\"` when it holds public addresses",
        default: Some(Default::EmptyList),
        doc: "Extra networks that may connect to the database port; public address space (judged on the whole list) needs a reason.",
        ..A
    });

    pub(crate) const ENCRYPTION: Key<Of> = Key::new(Attr {
        name: "encryption",
        example: "kms",
        ty: "word, or `off because \"REASON\"`",
        values: &["kms", "off"],
        default: Some(Default::Word("kms")),
        doc: "Encryption at rest with the stack's KMS key; turning it off needs a reason.",
        ..A
    });
}

/// The attributes of `service`, each a key the checker reads it with.
pub(crate) mod service {
    use super::*;

    /// The block these keys belong to.
    pub(crate) enum Of {}

    impl Schema for Of {
        const BLOCK: &'static Block = &super::SERVICE;
    }

    pub(crate) const INSTANCE: Key<Of> = Key::new(Attr {
        name: "instance",
        required: true,
        example: "t3.medium",
        ty: "EC2 instance type",
        catalogue: instances::EC2,
        doc: "The instance type of the service's instances.",
        ..A
    });

    pub(crate) const IMAGE: Key<Of> = Key::new(Attr {
        name: "image",
        example: "\"ami-0123456789abcdef0\"",
        ty: "string: an AMI id",
        doc: "The image instances boot; without it, Amazon Linux 2023 of the instance family's architecture, from AWS's public SSM parameter.",
        ..A
    });

    pub(crate) const BOOT: Key<Of> = Key::new(Attr {
        name: "boot",
        example: "file \"scripts/api-boot.sh\"",
        ty: "`file \"PATH\"`: a script, relative to the stack's directory",
        doc: "The script instances run at first boot (EC2 user data): read when the stack is compiled, at most 16384 bytes of UTF-8 text, sent base64-encoded and unchanged; the databases the service reads are described in SSM parameters under `/<stack name>-<service>/`, a path the instance tag `pmigc:parameters` holds.",
        ..A
    });

    pub(crate) const CAPACITY: Key<Of> = Key::new(Attr {
        name: "capacity",
        required: true,
        example: "3..9",
        ty: "range of instances `MIN..MAX`",
        range: Some(Range::whole(1, 1000)),
        doc: "The Auto Scaling group's minimum and maximum size.",
        ..A
    });

    pub(crate) const IN: Key<Of> = Key::new(Attr {
        name: "in",
        required: true,
        example: "main.private",
        ty: "subnet tier: `NETWORK.TIER`",
        refers_to: &[Kind::Network],
        doc: "The network and tier the instances run in.",
        ..A
    });

    pub(crate) const PORT: Key<Of> = Key::new(Attr {
        name: "port",
        example: "8080",
        ty: "port number",
        range: Some(Range::whole(1, u16::MAX as u64)),
        doc: "The port the service listens on; needed when a load balancer or `allow` reaches the service.",
        ..A
    });

    pub(crate) const HEALTH: Key<Of> = Key::new(Attr {
        name: "health",
        example: "\"/health\"",
        ty: "string: an HTTP path",
        default: Some(Default::Text("/")),
        doc: "The path the load balancer's health check requests.",
        ..A
    });

    pub(crate) const EXPOSED: Key<Of> = Key::new(Attr {
        name: "exposed",
        example: "https via main.public with pay",
        ty: "`https via NETWORK.public with CERTIFICATE`, `internal https via NETWORK.private with CERTIFICATE`, `internal http via NETWORK.private` or `path \"/P/*\" on SERVICE`",
        refers_to: &[Kind::Network, Kind::Certificate, Kind::Service],
        doc: "How the service is reached: its own internet-facing load balancer in public subnets, an internal one in private subnets (reached from the VPC and the on-premises networks behind its VPN), or a path on another service's; left out, it is not exposed.",
        ..A
    });

    pub(crate) const HTTP: Key<Of> = Key::new(Attr {
        name: "http",
        example: "redirect",
        ty: "word",
        values: &["redirect", "off", "forward"],
        default: Some(Default::Word("off")),
        doc: "What port 80 does: redirect to HTTPS, nothing, or forward (a warning).",
        ..A
    });

    pub(crate) const WAF: Key<Of> = Key::new(Attr {
        name: "waf",
        example: "on",
        ty: "`on`, or `off because \"REASON\"`",
        values: &["on", "off"],
        default: Some(Default::InternetFacing("on")),
        doc: "A WAF web ACL with AWS managed rules in front of the service's internet-facing load balancer (turning it off needs a reason); an internal one has none unless it says `on`.",
        ..A
    });

    pub(crate) const READS: Key<Of> = Key::new(Attr {
        name: "reads",
        example: "ledger",
        ty: "name of a database (`DB`: reads and writes; `DB.reader`: only reads), or a list of them",
        refers_to: &[Kind::Database],
        doc: "The databases the service connects to; opens exactly those ports. `DB` writes through the database's writer (the data centre's primary until its data cutover); `DB.reader` only reads, from Aurora's reader.",
        ..A
    });

    pub(crate) const ALLOW: Key<Of> = Key::new(Attr {
        name: "allow",
        example: "[192.168.10.0/24]",
        ty: "list of CIDR blocks, then `because \"REASON\"` when it holds public addresses",
        default: Some(Default::EmptyList),
        doc: "Extra networks that may connect to the service port; public address space (judged on the whole list) needs a reason.",
        ..A
    });
}

/// The attributes of `replication`, each a key the checker reads it with.
pub(crate) mod replication {
    use super::*;

    /// The block these keys belong to.
    pub(crate) enum Of {}

    impl Schema for Of {
        const BLOCK: &'static Block = &super::REPLICATION;
    }

    pub(crate) const FROM: Key<Of> = Key::new(Attr {
        name: "from",
        required: true,
        example: "mysql \"db.corp.example.com\":3306 via onprem",
        ty: "`ENGINE [\"VERSION\"] \"HOST\":PORT via VPN`",
        values: &["mysql", "mariadb", "postgresql"],
        refers_to: &[Kind::Vpn],
        doc: "The source database on-premises, its version if given (one DMS reads: MySQL 5.5 to 8.4, MariaDB 10.0.24 to 11.4, PostgreSQL 9.4 to 16), and the VPN that reaches it; the version decides the source's prerequisites in the runbook.",
        ..A
    });

    pub(crate) const USERNAME: Key<Of> = Key::new(Attr {
        name: "username",
        required: true,
        example: "\"dms_reader\"",
        ty: "string",
        doc: "The user DMS reads the source as.",
        ..A
    });

    pub(crate) const PASSWORD: Key<Of> = Key::new(Attr {
        name: "password",
        required: true,
        example: "db.dms_password",
        ty: "key of an existing secret: `SECRET.KEY`",
        refers_to: &[Kind::Secret],
        doc: "Where the source user's password is read from.",
        ..A
    });

    pub(crate) const TO: Key<Of> = Key::new(Attr {
        name: "to",
        required: true,
        example: "ledger",
        ty: "name of a database",
        refers_to: &[Kind::Database],
        doc: "The database of the stack that is replicated into.",
        ..A
    });

    pub(crate) const INSTANCE: Key<Of> = Key::new(Attr {
        name: "instance",
        required: true,
        example: "dms.t3.medium",
        ty: "DMS replication instance class",
        catalogue: instances::DMS,
        doc: "The class of the DMS replication instance.",
        ..A
    });

    pub(crate) const MODE: Key<Of> = Key::new(Attr {
        name: "mode",
        example: "full_load_and_cdc",
        ty: "word",
        values: &["full_load_and_cdc", "full_load", "cdc"],
        default: Some(Default::Word("full_load_and_cdc")),
        doc: "Copy everything then follow changes, copy only, or follow changes only.",
        ..A
    });

    pub(crate) const INCLUDE: Key<Of> = Key::new(Attr {
        name: "include",
        example: "[\"shop.%\", \"billing.invoices\"]",
        ty: "list of `\"schema.table\"` patterns, `%` for any run of characters",
        default: Some(Default::Texts(&["%.%"])),
        doc: "The tables DMS copies (its selection rules); every table of every schema when left out. A data cutover's fallback carries back the same tables.",
        ..A
    });

    pub(crate) const EXCLUDE: Key<Of> = Key::new(Attr {
        name: "exclude",
        example: "[\"shop.tmp%\"]",
        ty: "list of `\"schema.table\"` patterns, `%` for any run of characters",
        doc: "Tables `include` selects that DMS leaves behind.",
        ..A
    });

    pub(crate) const MAX_LAG: Key<Of> = Key::new(Attr {
        name: "max_lag",
        required: true,
        example: "5s",
        ty: "duration",
        unit: Some("s, m, h or days"),
        doc: "The lag budget: alarms fire above it, and a gate may not be looser.",
        ..A
    });
}

/// The attributes of `cutover`, each a key the checker reads it with.
pub(crate) mod cutover {
    use super::*;

    /// The block these keys belong to.
    pub(crate) enum Of {}

    impl Schema for Of {
        const BLOCK: &'static Block = &super::CUTOVER;
    }

    pub(crate) const RECORD: Key<Of> = Key::new(Attr {
        name: "record",
        required: true,
        example: "\"pay.example.com\" in zone \"example.com\"",
        ty: "`\"RECORD\" in zone \"ZONE\"`",
        doc: "The DNS name that moves, and the hosted zone it is in.",
        ..A
    });

    pub(crate) const LEGACY: Key<Of> = Key::new(Attr {
        name: "legacy",
        required: true,
        example: "\"legacy.pay.example.com\"",
        ty: "string: a host name",
        doc: "Where the data centre's share of traffic goes.",
        ..A
    });

    pub(crate) const AWS: Key<Of> = Key::new(Attr {
        name: "aws",
        required: true,
        example: "api",
        ty: "name of a service",
        refers_to: &[Kind::Service],
        doc: "The service that receives AWS's share of traffic.",
        ..A
    });

    pub(crate) const WEIGHT: Key<Of> = Key::new(Attr {
        name: "weight",
        required: true,
        example: "traffic_weight",
        ty: "percent (usually an input)",
        unit: Some("%"),
        range: Some(Range::Described("one of the phases")),
        refers_to: &[Kind::Input],
        doc: "The share of traffic sent to AWS in this workspace.",
        ..A
    });

    pub(crate) const PHASES: Key<Of> = Key::new(Attr {
        name: "phases",
        required: true,
        example: "[0%, 10%, 25%, 50%, 75%, 100%]",
        ty: "list of percents",
        unit: Some("%"),
        range: Some(Range::Described("increasing, from 0% to 100%")),
        doc: "The steps traffic moves through: the steps of the runbook (`pmigc phases`) and the weights `pmigc move` and the weight check accept, in the workspace that manages the cutover.",
        ..A
    });

    pub(crate) const GATE: Key<Of> = Key::new(Attr {
        name: "gate",
        example: "onprem_to_aws.lag < 5s",
        ty: "`REPLICATION.lag < DURATION`, `SERVICE.errors < N per minute`, `SERVICE.latency < DURATION`, joined by `and`",
        refers_to: &[Kind::Replication, Kind::Service],
        doc: "Route 53 takes AWS out of rotation while any named replication lags more than its threshold, or while the cutover's own service (`aws`) answers with as many 5XX a minute (`errors`, counted at its load balancer) or as slowly on average (`latency`) as the threshold; name every replication feeding a database the service reads.",
        ..A
    });

    pub(crate) const ROLLBACK: Key<Of> = Key::new(Attr {
        name: "rollback",
        required: true,
        example: "0%",
        ty: "percent",
        unit: Some("%"),
        range: Some(Range::Described("a phase, not ahead of the first")),
        doc: "The phase a rollback returns to.",
        ..A
    });

    pub(crate) const TTL: Key<Of> = Key::new(Attr {
        name: "ttl",
        example: "60s",
        ty: "duration",
        unit: Some("s"),
        default: Some(Default::Seconds(60)),
        doc: "The records' time to live.",
        ..A
    });

    pub(crate) const OWNER: Key<Of> = Key::new(Attr {
        name: "owner",
        example: "aws-production",
        ty: "a workspace's name, or a list of them",
        overridable: false,
        fixed_because: "it says which workspaces manage the cutover's records, a fact about every workspace at once",
        doc: "The workspaces whose roots manage the cutover's records, gate alarms and health checks, each its own record as its `workspace` block gives it (needed when several workspaces share one account).",
        ..A
    });
}

/// The attributes of `data_cutover`, each a key the checker reads it with.
pub(crate) mod data_cutover {
    use super::*;

    /// The block these keys belong to.
    pub(crate) enum Of {}

    impl Schema for Of {
        const BLOCK: &'static Block = &super::DATA_CUTOVER;
    }

    pub(crate) const DATABASE: Key<Of> = Key::new(Attr {
        name: "database",
        required: true,
        example: "ledger",
        ty: "name of a database one replication feeds",
        refers_to: &[Kind::Database],
        doc: "The database whose primary moves; its one replication is the one the data cutover drains.",
        ..A
    });

    pub(crate) const WRITER: Key<Of> = Key::new(Attr {
        name: "writer",
        required: true,
        example: "ledger_writer",
        ty: "an input of type `writer` (its values: `datacentre`, `both`, `aurora`)",
        refers_to: &[Kind::Input],
        doc: "Where writes go in each workspace: `datacentre` (before the data cutover), `aurora` (after it: only once every cutover whose service writes the database is at 100%), or `both` (two-way, only with `two_way`).",
        ..A
    });

    pub(crate) const FALLBACK: Key<Of> = Key::new(Attr {
        name: "fallback",
        required: true,
        example: "dms.t3.medium",
        ty: "DMS replication instance class",
        catalogue: instances::DMS,
        doc: "The class of the fallback replication's instance (Aurora to the data centre, change data capture from the data cutover on).",
        ..A
    });

    pub(crate) const USERNAME: Key<Of> = Key::new(Attr {
        name: "username",
        required: true,
        example: "\"dms_writer\"",
        ty: "string",
        doc: "The data centre's login the fallback replication writes with (write privileges on the replicated schemas).",
        ..A
    });

    pub(crate) const PASSWORD: Key<Of> = Key::new(Attr {
        name: "password",
        required: true,
        example: "db.dms_writer_password",
        ty: "key of an existing secret: `SECRET.KEY`",
        refers_to: &[Kind::Secret],
        doc: "Where that login's password is read from.",
        ..A
    });

    pub(crate) const MAX_LAG: Key<Of> = Key::new(Attr {
        name: "max_lag",
        required: true,
        example: "5s",
        ty: "duration",
        unit: Some("s, m, h or days"),
        doc: "The fallback's lag budget: its lag alarms fire above it, and a data rollback waits for them.",
        ..A
    });

    pub(crate) const TWO_WAY: Key<Of> = Key::new(Attr {
        name: "two_way",
        example: "auto_increment 2 datacentre 1 aurora 2",
        ty: "`auto_increment STEP datacentre N aurora M` (MySQL), or `keys_apart because \"REASON\"`",
        values: &["auto_increment", "keys_apart"],
        overridable: false,
        fixed_because: "whether both sides may take writes is a fact about the data, the same in every workspace",
        doc: "Allows writes on both sides (`writer = both`): a two-way replication with DMS loopback prevention, and how new keys are kept apart.",
        ..A
    });

    pub(crate) const OWNER: Key<Of> = Key::new(Attr {
        name: "owner",
        example: "aws-production",
        ty: "a workspace's name",
        overridable: false,
        fixed_because: "it says which one workspace owns the switch and the fallback, a fact about every workspace at once",
        doc: "The only workspace whose root owns the writer switch and the fallback replication (needed when several workspaces share one account); the others write to the data centre.",
        ..A
    });
}

/// The attributes of `dashboard`, each a key the checker reads it with.
pub(crate) mod dashboard {
    use super::*;

    /// The block these keys belong to.
    pub(crate) enum Of {}

    impl Schema for Of {
        const BLOCK: &'static Block = &super::DASHBOARD;
    }
}

/// The attributes of `workspace`, each a key the checker reads it with.
pub(crate) mod workspace {
    use super::*;

    /// The block these keys belong to.
    pub(crate) enum Of {}

    impl Schema for Of {
        const BLOCK: &'static Block = &super::WORKSPACE;
    }

    pub(crate) const STATE: Key<Of> = Key::new(Attr {
        name: "state",
        example: "s3 \"BUCKET\" \"KEY\"",
        ty: "`local` or `s3 \"BUCKET\" \"KEY\"`",
        values: &["local", "s3"],
        default: Some(Default::Word("local")),
        overridable: false,
        fixed_because: "it is a workspace's own setting",
        doc: "Where the workspace's Terraform state is kept.",
        ..A
    });

    /// The account of workspaces that do not name one (`account`'s default): they all share it.
    pub(crate) const DEFAULT_ACCOUNT: &str = "default";

    pub(crate) const ACCOUNT: Key<Of> = Key::new(Attr {
        name: "account",
        example: "\"staging\"",
        ty: "string",
        default: Some(Default::Text(DEFAULT_ACCOUNT)),
        overridable: false,
        fixed_because: "it is a workspace's own setting",
        doc: "The AWS account the workspace applies to; workspaces naming the same account (or none) share it, and the checker refuses two of one account creating the same name.",
        ..A
    });
}
