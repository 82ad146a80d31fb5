//! What AWS enforces, as tables: the facts pmigc's checker, its verifier and its language
//! server read (DESIGN.md §7). Each fact cites the AWS documentation it comes from; a fact
//! pmigc could not source is named as such (`regions::SALES_BY_REGION_MODELLED`) and not
//! guessed. Engine versions live in `crate::engine`; this module holds what depends on them
//! (`rds`).
//!
//! - `instances`: the EC2, Aurora and DMS instance classes pmigc accepts;
//! - `names`: name length, characters and reserved prefixes per resource type and argument;
//! - `regions`: regions, zones, who delivers load balancer logs;
//! - `rds`: which Aurora classes run Performance Insights, Enhanced Monitoring intervals;
//! - `services`: service principals, and the AWS APIs a component reaches from a VPC.

pub(crate) mod dns;
pub(crate) mod instances;
pub(crate) mod names;
pub(crate) mod rds;
pub(crate) mod regions;
pub(crate) mod services;

pub(crate) use regions::{REGIONS, zones_in};
