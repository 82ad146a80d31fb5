//! What pmigc knows about AWS: regions and their zone counts, instance types per service,
//! and the naming rules AWS enforces at apply time (engines and their versions are in
//! `crate::engine`). Kept as plain
//! tables so a reviewer can see (and extend) exactly what is accepted.

/// Regions and how many availability zones each offers to new accounts.
pub const REGIONS: &[(&str, u8)] = &[
    ("us-east-1", 6),
    ("us-east-2", 3),
    ("us-west-1", 2),
    ("us-west-2", 4),
    ("ca-central-1", 3),
    ("eu-west-1", 3),
    ("eu-west-2", 3),
    ("eu-west-3", 3),
    ("eu-central-1", 3),
    ("eu-central-2", 3),
    ("eu-north-1", 3),
    ("eu-south-1", 3),
    ("ap-south-1", 3),
    ("ap-southeast-1", 3),
    ("ap-southeast-2", 3),
    ("ap-northeast-1", 3),
    ("ap-northeast-2", 4),
    ("ap-northeast-3", 3),
    ("sa-east-1", 3),
    ("me-central-1", 3),
    ("af-south-1", 3),
];

/// EC2 instance types for services.
pub const EC2_TYPES: &[&str] = &[
    "t3.micro",
    "t3.small",
    "t3.medium",
    "t3.large",
    "t3.xlarge",
    "t3.2xlarge",
    "t3a.medium",
    "t3a.large",
    "t3a.xlarge",
    "m5.large",
    "m5.xlarge",
    "m5.2xlarge",
    "m5.4xlarge",
    "m6i.large",
    "m6i.xlarge",
    "m6i.2xlarge",
    "m6i.4xlarge",
    "m7i.large",
    "m7i.xlarge",
    "m7i.2xlarge",
    "c5.large",
    "c5.xlarge",
    "c5.2xlarge",
    "c6i.large",
    "c6i.xlarge",
    "c6i.2xlarge",
    "c7i.large",
    "c7i.xlarge",
    "r5.large",
    "r5.xlarge",
    "r6i.large",
    "r6i.xlarge",
    "r6i.2xlarge",
];

/// Aurora MySQL instance classes.
pub const AURORA_CLASSES: &[&str] = &[
    "db.t3.medium",
    "db.t3.large",
    "db.t4g.medium",
    "db.t4g.large",
    "db.r5.large",
    "db.r5.xlarge",
    "db.r5.2xlarge",
    "db.r6g.large",
    "db.r6g.xlarge",
    "db.r6g.2xlarge",
    "db.r6g.4xlarge",
    "db.r6i.large",
    "db.r6i.xlarge",
    "db.r6i.2xlarge",
    "db.r7g.large",
    "db.r7g.xlarge",
    "db.r7g.2xlarge",
];

/// DMS replication instance classes.
pub const DMS_CLASSES: &[&str] = &[
    "dms.t3.micro",
    "dms.t3.small",
    "dms.t3.medium",
    "dms.t3.large",
    "dms.c5.large",
    "dms.c5.xlarge",
    "dms.c5.2xlarge",
    "dms.r5.large",
    "dms.r5.xlarge",
    "dms.r5.2xlarge",
];

pub fn zones_in(region: &str) -> Option<u8> {
    REGIONS.iter().find(|(r, _)| *r == region).map(|(_, z)| *z)
}

/// A limit AWS puts on a name pmigc generates as `{stack name}-{block name}` (see
/// `model::Stack::aws_name`), checked with the name pattern resolved for each workspace.
pub struct NameRule {
    pub what: &'static str,
    pub max: usize,
}

pub const LOAD_BALANCER: NameRule = NameRule {
    what: "load balancer name",
    max: 32,
};
pub const TARGET_GROUP: NameRule = NameRule {
    what: "target group name",
    max: 32,
};
pub const RDS_CLUSTER: NameRule = NameRule {
    what: "RDS cluster identifier",
    max: 63,
};
pub const DMS_INSTANCE: NameRule = NameRule {
    what: "DMS replication instance identifier",
    max: 63,
};
