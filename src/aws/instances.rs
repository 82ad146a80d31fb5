//! The instance catalogue: EC2 instance types for services, Aurora DB instance classes and DMS
//! replication instance classes, as AWS names them (`FAMILY.SIZE`: `t3.2xlarge`,
//! `db.r8g.48xlarge`, `dms.c5.24xlarge`, `m7i.metal-48xl`), each family with its sizes and
//! CPU architecture (Graviton families, with a `g` after the generation, are arm64).
//!
//! Vendored by hand from AWS's public documentation, read 2026-11-30: "Amazon EC2 instance
//! types" (general purpose, compute optimized, memory optimized: current and the previous
//! generation still sold), "Supported DB engines for DB instance classes" of the Aurora User
//! Guide (every class below is offered by both Aurora MySQL 3 and Aurora PostgreSQL 13 to 17
//! at the minor versions of `crate::engine`; `db.serverless` is Aurora Serverless v2), and
//! "Choosing the right AWS DMS replication instance" of the DMS User Guide. Regional
//! availability is not modelled: a class AWS does not sell in the stack's region fails at
//! apply time. RDS classes that Aurora does not run (`db.m6g.large`, `db.t3.small`) are told
//! apart from misspellings ([`not_on_aurora`], PMG0411); how many ACUs a Serverless v2
//! instance serves depends on the engine version and lives in `crate::engine`.

pub(crate) use crate::model::Arch;

/// One family and the sizes it comes in.
#[derive(Debug)]
pub struct Family {
    pub name: &'static str,
    pub arch: Arch,
    pub sizes: &'static [&'static str],
}

const fn x86(name: &'static str, sizes: &'static [&'static str]) -> Family {
    Family {
        name,
        arch: Arch::X86_64,
        sizes,
    }
}

const fn arm(name: &'static str, sizes: &'static [&'static str]) -> Family {
    Family {
        name,
        arch: Arch::Arm64,
        sizes,
    }
}

const BURSTABLE: &[&str] = &[
    "nano", "micro", "small", "medium", "large", "xlarge", "2xlarge",
];
const GEN5: &[&str] = &[
    "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "metal",
];
const C5: &[&str] = &[
    "large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge", "metal",
];
const GEN6_INTEL: &[&str] = &[
    "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
    "32xlarge", "metal",
];
const GRAVITON2_3: &[&str] = &[
    "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal",
];
const GEN7_8: &[&str] = &[
    "large",
    "xlarge",
    "2xlarge",
    "4xlarge",
    "8xlarge",
    "12xlarge",
    "16xlarge",
    "24xlarge",
    "48xlarge",
    "metal-24xl",
    "metal-48xl",
];
const GRAVITON4: &[&str] = &[
    "medium",
    "large",
    "xlarge",
    "2xlarge",
    "4xlarge",
    "8xlarge",
    "12xlarge",
    "16xlarge",
    "24xlarge",
    "48xlarge",
    "metal-24xl",
    "metal-48xl",
];

/// EC2 instance types a service may run on.
pub(crate) const EC2: &[Family] = &[
    x86("t3", BURSTABLE),
    x86("t3a", BURSTABLE),
    arm("t4g", BURSTABLE),
    x86("m5", GEN5),
    x86("m6i", GEN6_INTEL),
    arm("m6g", GRAVITON2_3),
    x86("m7i", GEN7_8),
    arm("m7g", GRAVITON2_3),
    x86("m8i", GEN7_8),
    arm("m8g", GRAVITON4),
    x86("c5", C5),
    x86("c6i", GEN6_INTEL),
    arm("c6g", GRAVITON2_3),
    x86("c7i", GEN7_8),
    arm("c7g", GRAVITON2_3),
    arm("c8g", GRAVITON4),
    x86("r5", GEN5),
    x86("r6i", GEN6_INTEL),
    arm("r6g", GRAVITON2_3),
    x86("r7i", GEN7_8),
    arm("r7g", GRAVITON2_3),
    arm("r8g", GRAVITON4),
];

/// Aurora Serverless v2: capacity in ACUs instead of a fixed size.
pub(crate) const SERVERLESS: &str = "db.serverless";

const DB_T: &[&str] = &["medium", "large"];
const DB_R5: &[&str] = &[
    "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
];
const DB_GRAVITON2_3: &[&str] = &[
    "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge",
];
const DB_R6I: &[&str] = &[
    "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
    "32xlarge",
];
const DB_GEN7_8: &[&str] = &[
    "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
    "48xlarge",
];

/// Aurora DB instance classes (provisioned); `db.serverless` is [`SERVERLESS`].
pub(crate) const AURORA: &[Family] = &[
    x86("db.t3", DB_T),
    arm("db.t4g", DB_T),
    x86("db.r5", DB_R5),
    arm("db.r6g", DB_GRAVITON2_3),
    x86("db.r6i", DB_R6I),
    arm("db.r7g", DB_GRAVITON2_3),
    x86("db.r7i", DB_GEN7_8),
    arm("db.r8g", DB_GEN7_8),
    arm("db.x2g", DB_GRAVITON2_3),
];

/// DMS replication instance classes.
pub(crate) const DMS: &[Family] = &[
    x86("dms.t3", &["micro", "small", "medium", "large"]),
    x86(
        "dms.c5",
        &[
            "large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge",
        ],
    ),
    x86(
        "dms.r5",
        &[
            "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
        ],
    ),
    x86(
        "dms.c6i",
        &[
            "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
            "32xlarge",
        ],
    ),
    x86(
        "dms.r6i",
        &[
            "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
            "32xlarge",
        ],
    ),
];

/// RDS for MySQL/PostgreSQL families Aurora does not run ("Supported DB engines for DB
/// instance classes" of the Aurora User Guide lists none of them): general purpose (`db.m…`),
/// compute optimized, and the local-disk and extended-memory variants.
const RDS_ONLY: &[&str] = &[
    "db.m5",
    "db.m5d",
    "db.m6g",
    "db.m6gd",
    "db.m6i",
    "db.m6id",
    "db.m6in",
    "db.m6idn",
    "db.m7g",
    "db.m7i",
    "db.m8g",
    "db.m8gd",
    "db.c6gd",
    "db.r5b",
    "db.r5d",
    "db.r6in",
    "db.r6idn",
    "db.x2idn",
    "db.x2iedn",
    "db.x2iezn",
    "db.z1d",
];

/// Why Aurora does not offer a class RDS sells, and the Aurora class nearest to it.
pub(crate) struct NotOnAurora {
    pub why: String,
    pub instead: Option<String>,
}

/// `text` is an RDS class that the Aurora catalogue `table` lacks (`db.m6g.large`,
/// `db.t3.small`); `None` for anything else, which is simply unknown.
pub(crate) fn not_on_aurora(table: &[Family], text: &str) -> Option<NotOnAurora> {
    let (family, size) = text.rsplit_once('.')?;
    let offered = |name: &str| find(table, name).map(|_| name.to_string());
    if RDS_ONLY.contains(&family) {
        // The memory-optimized family of the same generation: `db.m6gd` -> `db.r6g`.
        let generation = family
            .trim_start_matches("db.")
            .get(1..)?
            .trim_end_matches(['d', 'n']);
        return Some(NotOnAurora {
            why: format!("`{family}` is a class of RDS for MySQL and PostgreSQL only"),
            instead: offered(&format!("db.r{generation}.{size}")),
        });
    }
    // RDS sells burstable classes from micro to 2xlarge; Aurora a few of them.
    let burstable = table
        .iter()
        .find(|f| f.name == family && f.name.starts_with("db.t"))?;
    let rds_sizes = ["micro", "small", "medium", "large", "xlarge", "2xlarge"];
    if burstable.sizes.contains(&size) || !rds_sizes.contains(&size) {
        return None;
    }
    let nearest = if matches!(size, "micro" | "small") {
        burstable.sizes.first()
    } else {
        burstable.sizes.last()
    };
    Some(NotOnAurora {
        why: format!(
            "Aurora runs `{family}` in sizes {} only",
            burstable.sizes.join(" and ")
        ),
        instead: nearest.and_then(|n| offered(&format!("{family}.{n}"))),
    })
}

/// The family of `text` when `text` is one of its sizes (`t4g.2xlarge`).
pub(crate) fn find<'t>(table: &'t [Family], text: &str) -> Option<&'t Family> {
    let (family, size) = text.rsplit_once('.')?;
    table
        .iter()
        .find(|f| f.name == family && f.sizes.contains(&size))
}

/// Every name of a table, for did-you-mean.
pub(crate) fn names(table: &[Family]) -> Vec<String> {
    table
        .iter()
        .flat_map(|f| f.sizes.iter().map(move |s| format!("{}.{s}", f.name)))
        .collect()
}

/// One entry per family with its smallest and largest size, for the starter's comments:
/// `t3 (nano … 2xlarge)`.
pub(crate) fn summary(table: &[Family]) -> Vec<String> {
    table
        .iter()
        .map(|f| match (f.sizes.first(), f.sizes.last()) {
            (Some(first), Some(last)) if first != last => {
                format!("{} ({first} … {last})", f.name)
            }
            _ => format!("{} ({})", f.name, f.sizes.join(" ")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_with_digits_and_metal_are_names() {
        for name in [
            "t3.2xlarge",
            "m7i.48xlarge",
            "m7i.metal-48xl",
            "c7g.metal",
            "r8g.24xlarge",
        ] {
            assert!(find(EC2, name).is_some(), "{name}");
        }
        assert_eq!(find(EC2, "t4g.medium").map(|f| f.arch), Some(Arch::Arm64));
        assert_eq!(find(EC2, "m7i.large").map(|f| f.arch), Some(Arch::X86_64));
        assert!(find(EC2, "t3.3xlarge").is_none());
        assert!(find(AURORA, "db.r8g.48xlarge").is_some());
        assert!(find(AURORA, "db.t3.small").is_none());
        assert!(find(DMS, "dms.c5.24xlarge").is_some());
    }

    /// RDS classes Aurora lacks are told apart from typos, with the nearest Aurora class.
    #[test]
    fn rds_classes_are_not_aurora_classes() {
        let instead = |t: &str| not_on_aurora(AURORA, t).map(|n| n.instead);
        assert_eq!(instead("db.m6g.large"), Some(Some("db.r6g.large".into())));
        assert_eq!(
            instead("db.m6gd.xlarge"),
            Some(Some("db.r6g.xlarge".into()))
        );
        assert_eq!(
            instead("db.m5.24xlarge"),
            Some(Some("db.r5.24xlarge".into()))
        );
        assert_eq!(
            instead("db.m7i.48xlarge"),
            Some(Some("db.r7i.48xlarge".into()))
        );
        assert_eq!(instead("db.m7g.48xlarge"), Some(None));
        assert_eq!(instead("db.t3.small"), Some(Some("db.t3.medium".into())));
        assert_eq!(instead("db.t4g.2xlarge"), Some(Some("db.t4g.large".into())));
        assert_eq!(instead("db.t3.medium"), None);
        assert_eq!(instead("db.r6g.large"), None);
        assert_eq!(instead("db.r6g.lage"), None);
        assert_eq!(instead("db.t3.lage"), None);
        assert_eq!(instead("m6g.large"), None);
        // Every RDS-only family is outside the catalogue.
        for family in RDS_ONLY {
            assert!(AURORA.iter().all(|f| f.name != *family), "{family}");
        }
    }

    /// Graviton families are arm64 and only they are: a `g` right after the generation.
    #[test]
    fn the_architecture_follows_the_family_name() {
        for family in EC2.iter().chain(AURORA) {
            let short = family.name.trim_start_matches("db.");
            let graviton = short
                .char_indices()
                .find(|(_, c)| c.is_ascii_digit())
                .is_some_and(|(i, _)| short[i + 1..].starts_with('g'));
            assert_eq!(graviton, family.arch == Arch::Arm64, "{}", family.name);
        }
    }
}
