//! Reference data, read-only: what a stack may write. The block registry (every block kind
//! and its attributes, with type, range, default and unit: what hover and completion show and
//! `docs/language.md`'s tables are generated from), and the AWS and engine facts a stack is
//! written against (`pmigc init`'s starter lists them in its comments): the regions, the
//! instance classes of services, databases and replication, and the engines pmigc migrates
//! into. They are the checker's own tables (`registry`, `aws`, `engine`), so what they offer is
//! what `check` accepts.

use crate::aws::{self, instances};
use crate::engine;

/// The block registry: a block kind's entry ([`by_keyword`], [`of_kind`]), its attributes and
/// their defaults, and the top-level keywords.
pub use crate::registry::{
    Attr, Block, Default, EXISTING, KEYWORDS, Kind, SERVICE, STACK, WORKSPACE, by_keyword, of_kind,
};

/// Every region pmigc deploys to, with its number of availability zones.
pub fn regions() -> Vec<(&'static str, usize)> {
    aws::REGIONS.iter().map(|(r, z)| (*r, z.len())).collect()
}

/// What runs on an instance class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Classes {
    /// A service's EC2 instances (`type = ...`).
    Service,
    /// An Aurora database's instances (`class = ...`); Serverless v2 is [`SERVERLESS`].
    Database,
    /// A replication's DMS instance (`class = ...`).
    Replication,
}

/// Aurora Serverless v2's instance class.
pub const SERVERLESS: &str = instances::SERVERLESS;

/// The instance classes of one kind, a family per entry with its smallest and largest size.
pub fn classes(of: Classes) -> Vec<String> {
    instances::summary(match of {
        Classes::Service => instances::EC2,
        Classes::Database => instances::AURORA,
        Classes::Replication => instances::DMS,
    })
}

/// An engine pmigc migrates into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    AuroraMysql,
    AuroraPostgresql,
}

/// What a stack writes for a target engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engine {
    /// The engine as the language spells it (`engine = aurora_mysql "8.0"`).
    pub keyword: &'static str,
    /// The version written when a stack writes none.
    pub default_version: &'static str,
    /// The versions' short spellings (the full ones are accepted too).
    pub versions: Vec<&'static str>,
    /// The on-premises engines DMS reads into it, by keyword.
    pub sources: Vec<&'static str>,
    pub port: u16,
    /// The master user name when a database writes none.
    pub default_username: &'static str,
}

/// The facts of a target engine.
pub fn engine(target: Target) -> Engine {
    let profile = match target {
        Target::AuroraMysql => engine::Engine::AuroraMysql,
        Target::AuroraPostgresql => engine::Engine::AuroraPostgresql,
    }
    .profile();
    Engine {
        keyword: profile.keyword,
        default_version: profile.default_version,
        versions: profile.short_versions(),
        sources: engine::SOURCES
            .iter()
            .filter(|s| s.family == profile.family)
            .map(|s| s.keyword)
            .collect(),
        port: profile.port,
        default_username: profile.default_username,
    }
}

/// Every engine pmigc migrates into, in the order the language lists them.
pub const TARGETS: [Target; 2] = [Target::AuroraMysql, Target::AuroraPostgresql];

/// The full version that `engine = KEYWORD "VERSION"` names (`aurora_mysql "8.0"` is
/// `8.0.mysql_aurora.3.08.2`), or `None` when it names no target engine's version.
pub fn full_version(keyword: &str, version: &str) -> Option<&'static str> {
    Some(engine::Profile::by_keyword(keyword)?.version(version)?.full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_targets_are_the_checkers_engines_in_order() {
        let targets: Vec<&str> = TARGETS.iter().map(|t| engine(*t).keyword).collect();
        let engines: Vec<&str> = engine::ENGINES.iter().map(|p| p.keyword).collect();
        assert_eq!(targets, engines);
    }
}
