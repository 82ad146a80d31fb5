//! What pmigc knows about AWS: regions and their zone counts, and the naming rules AWS
//! enforces at apply time (instance types are in `instances`, engines and their versions in
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
