//! Lowering: the checked model to a Terraform JSON tree, one root module per workspace.
//!
//! One file per concern (`network`, `security`, `database`, `compute`, `replication`,
//! `writer`, `cutover`, `monitoring`); this file holds the root's frame (terraform block, provider,
//! variables, locals, outputs) and the `Root` builder they all write into. Addresses are
//! derived from the stack's names only, so reordering blocks never renames a resource.
//! Lowering trusts the model (the checker proved it) and cannot fail.

mod balancer;
pub(crate) mod boot;
mod compute;
pub(crate) mod cutover;
mod database;
mod edge;
mod endpoints;
mod escape;
pub(crate) mod expr;
mod health;
pub(crate) mod json;
mod monitoring;
mod network;
mod replication;
mod resolver;
mod security;
mod service_gate;
mod waf;
pub(crate) mod writer;

use crate::derived::fingerprint::Folding;
use crate::derived::{Address, Named, Piece, Row, Section, table};
use crate::model::{Backend, Name, Origin, OutputValue, Stack};
use expr::{Expr, Template};
use json::{Json, json};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;

/// The provider versions every root accepts: only arguments present in both are used.
pub(crate) const AWS_PROVIDER_VERSION: &str = ">= 5.100, < 7.0";
/// S3-native state locking (`use_lockfile`) needs Terraform 1.10; write-only arguments
/// (`master_password_wo`, `secret_string_wo`), which keep the database passwords out of the
/// state, need 1.11.
pub(crate) const TERRAFORM_VERSION: &str = ">= 1.11";

/// A Terraform root module being built, and where each of its blocks came from.
///
/// Resources, which are nearly all of a root, are printed as they are added, one after
/// another into `text` at the depth they sit at in `main.tf.json`; `emit` puts them in order.
/// A large stack never holds its configuration as a tree of values. `tree` holds every other
/// section (terraform, provider, variables, locals, data, outputs, checks, moved blocks).
///
/// Every address is a registry row's (`crate::derived`), and each is claimed once: a second
/// claim of an address is not written (the first stays) and is kept as a `Conflict`, which the
/// caller reports as pmigc's own bug (PMG0003) instead of writing the root.
#[derive(Debug, Default)]
pub struct Root {
    pub tree: Map<String, Value>,
    /// The resources in the order lowering created them (which follows the model, not the
    /// names): two lowerings of a stack before and after a rename pair up by position.
    resources: Vec<Resource>,
    /// Every resource body's pretty JSON, nested three levels deep (`resource.TYPE.NAME`).
    text: String,
    /// `data.…` and `output.…` addresses → the `.pmig` block they were lowered from.
    sources: BTreeMap<String, Origin>,
    /// Block name → the name its resources carry in AWS, for renamed blocks.
    pub physical: BTreeMap<String, Name>,
    /// Every configured value that reads a cutover's weight: what `diff` evaluates between
    /// two phases (everything else in a root is the same at every phase).
    weights: Vec<WeightRead>,
    /// Every address claimed so far, and by which block.
    claimed: HashMap<Address, Origin, BuildHasherDefault<Folding>>,
    /// Second claims of an address: never written.
    conflicts: Vec<Conflict>,
}

/// Two blocks that lowered to one address: a bug in pmigc, since the checker refuses stacks
/// whose blocks derive one address (PMG0608).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The address, as Terraform spells it.
    pub address: String,
    /// The block that claimed it first (and keeps it) and the one that claimed it again.
    pub first: Origin,
    pub second: Origin,
}

/// A Route 53 record whose weight reads a cutover's weight variable.
#[derive(Debug, Clone)]
pub struct WeightRead {
    /// `aws_route53_record.NAME`.
    pub address: String,
    pub cutover: crate::model::Name,
    pub side: cutover::Side,
}

impl WeightRead {
    /// The attribute's path inside the record.
    pub const PATH: &'static str = "weighted_routing_policy.weight";
}

/// One `resource.TYPE.NAME` block: its body is `Root::text[body]`.
#[derive(Debug)]
struct Resource {
    at: Address,
    body: std::ops::Range<usize>,
    origin: Origin,
}

/// How deep a resource body sits in a root: `resource` → type → name.
const RESOURCE_DEPTH: usize = 3;

impl Root {
    /// Claims `at` (an address outside `resource`: a data source, a local, a check, an
    /// output) for the block at `origin`: false (and a `Conflict` kept) when another block
    /// claimed it first. Resources, which are nearly all of a root, are checked once sorted
    /// (`sort`), where two claims of one address sit side by side.
    fn claim(&mut self, at: &Address, origin: Origin) -> bool {
        match self.claimed.get(at) {
            Some(first) => {
                self.conflicts.push(Conflict {
                    address: at.spelled(),
                    first: *first,
                    second: origin,
                });
                false
            }
            None => {
                self.claimed.insert(at.clone(), origin);
                true
            }
        }
    }

    /// The addresses claimed twice while lowering (empty for every stack the checker accepts).
    pub fn conflicts(&self) -> &[Conflict] {
        &self.conflicts
    }

    /// Adds `resource.TYPE.NAME` (a second claim of an address is dropped when the root is
    /// finished: `finish`).
    pub fn resource(&mut self, at: &Address, body: Json, origin: Origin) {
        let start = self.text.len();
        body.write_pretty(&mut self.text, RESOURCE_DEPTH);
        self.resources.push(Resource {
            at: at.clone(),
            body: start..self.text.len(),
            origin,
        });
    }

    /// Records that the weight of the record `record` reads `cutover`'s weight.
    pub fn reads_weight(
        &mut self,
        record: &Address,
        cutover: &crate::model::Name,
        side: cutover::Side,
    ) {
        self.weights.push(WeightRead {
            address: record.spelled(),
            cutover: cutover.clone(),
            side,
        });
    }

    /// The values that read a cutover's weight, in the order lowering wrote them.
    pub fn weight_reads(&self) -> &[WeightRead] {
        &self.weights
    }

    /// Adds `data.TYPE.NAME`, or `ephemeral.TYPE.NAME` (a value Terraform reads during plan
    /// and apply and never writes into the state), as `at` says.
    pub fn data(&mut self, at: &Address, body: Json, origin: Origin) {
        if !self.claim(at, origin) {
            return;
        }
        let section = match at.section() {
            Section::Ephemeral => "ephemeral",
            _ => "data",
        };
        self.block(section, at.kind(), at.name(), body.into_value());
        self.sources.insert(at.spelled(), origin);
    }

    fn block(&mut self, section: &str, kind: &str, name: &str, body: Value) {
        let section = self
            .tree
            .entry(section)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(section) = section {
            let kinds = section
                .entry(kind)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(kinds) = kinds {
                kinds.insert(name.to_string(), body);
            }
        }
    }

    /// Sets a top-level entry: `output.NAME`, `check.NAME` or `locals.NAME`, as `at` says.
    pub fn top(&mut self, at: &Address, body: Json, origin: Origin) {
        if !self.claim(at, origin) {
            return;
        }
        let section = match at.section() {
            Section::Output => {
                self.sources.insert(at.spelled(), origin);
                "output"
            }
            Section::Check => "check",
            _ => "locals",
        };
        let section = self
            .tree
            .entry(section)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(section) = section {
            section.insert(at.name().to_string(), body.into_value());
        }
    }

    /// Sets a whole top-level section such as `terraform` or `provider`.
    pub fn section(&mut self, section: &str, body: Json) {
        self.tree.insert(section.to_string(), body.into_value());
    }

    /// The name `row`'s resource has in AWS in `argument`, for block `block` with `params`:
    /// the stack's name as `${local.name}`, the account as the caller's id. A renamed block
    /// keeps the name it had in AWS (see `lower_renamed`).
    pub fn aws(&self, row: &Row, argument: &str, block: &Name, params: &[&str]) -> Template {
        // A name the row does not have is an empty template: the registry test compares every
        // name lowering writes with the registry's.
        match row.named(argument) {
            Some(named) => self.named(named, block, params),
            None => Template::default(),
        }
    }

    /// A name built by `named`'s pattern for block `block` (see `aws`).
    pub fn named(&self, named: &Named, block: &Name, params: &[&str]) -> Template {
        let physical = self.physical.get(block.as_str()).unwrap_or(block);
        let mut template = Template::default();
        named.pieces(physical, params, |piece| match piece {
            Piece::Text(text) => template.push_text(text),
            Piece::Stack => template.push_expr(Expr::local("name")),
            Piece::Account => template.push_expr(security::account_id()),
        });
        template
    }

    /// Claims an address written inside another block (a check's own data source), which
    /// shares its section's namespace all the same.
    pub fn claim_nested(&mut self, at: &Address, origin: Origin) {
        self.claim(at, origin);
    }

    /// Number of resources, for `--timings` and tests.
    pub fn resource_count(&self) -> usize {
        self.resources.len()
    }

    /// Puts the resources in the order `emit` writes them, by type then name, and drops
    /// every second claim of an address (the first claimant keeps it; the sort is stable, so
    /// it comes first), keeping each as a `Conflict`. `lower` finishes every root.
    pub fn finish(&mut self) {
        self.resources
            .sort_by(|a, b| (a.at.kind(), a.at.name()).cmp(&(b.at.kind(), b.at.name())));
        let mut conflicts = Vec::new();
        self.resources.dedup_by(|later, kept| {
            let same = later.at == kept.at;
            if same {
                conflicts.push(Conflict {
                    address: kept.at.spelled(),
                    first: kept.origin,
                    second: later.origin,
                });
            }
            same
        });
        self.conflicts.append(&mut conflicts);
    }

    /// The resources, sorted by type and name once lowering is done, each with its body's
    /// pretty text (nested three levels deep).
    pub fn resources(&self) -> impl Iterator<Item = (&'static str, &str, &str)> {
        self.resources.iter().map(|r| {
            (
                r.at.kind(),
                r.at.name(),
                self.text.get(r.body.clone()).unwrap_or_default(),
            )
        })
    }

    /// Every address in the root as `(type or section, name)` — `("aws_vpc", "main")`,
    /// `("data.aws_ami", "amazon_linux")`, `("output", "vpc_id")` — with the block it came
    /// from, sorted by the address they spell.
    pub fn sources(&self) -> Vec<(&str, &str, Origin)> {
        // A resource type is an identifier, so `TYPE.NAME` sorts as (TYPE, NAME) does: `.`
        // sorts before every identifier character.
        let mut all: Vec<(&str, &str, Origin)> = self
            .resources
            .iter()
            .map(|r| (r.at.kind(), r.at.name(), r.origin))
            .collect();
        let others: Vec<(&str, &str, Origin)> = self
            .sources
            .iter()
            .map(|(address, origin)| {
                let (kind, name) = address.rsplit_once('.').unwrap_or((address.as_str(), ""));
                (kind, name, *origin)
            })
            .collect();
        all.extend(others);
        all.sort_by(|a, b| {
            a.0.bytes()
                .chain(Some(b'.'))
                .chain(a.1.bytes())
                .cmp(b.0.bytes().chain(Some(b'.')).chain(b.1.bytes()))
        });
        all
    }

    /// The whole root as one JSON value, resources included (for `diff` and tests).
    pub fn value(&self) -> Value {
        let mut tree = self.tree.clone();
        let mut resources = Map::new();
        for (kind, name, body) in self.resources() {
            let kinds = resources
                .entry(kind)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(kinds) = kinds {
                kinds.insert(
                    name.to_string(),
                    serde_json::from_str(body).unwrap_or(Value::Null),
                );
            }
        }
        if !resources.is_empty() {
            tree.insert("resource".into(), Value::Object(resources));
        }
        Value::Object(tree)
    }
}

/// `${ADDRESS.ATTR}`: a reference to an attribute of another block of the root (a local is
/// read whole: `${local.NAME}`).
pub(crate) fn attr(at: &Address, attribute: &'static str) -> Expr {
    match at.section() {
        Section::Data => Expr::data(at.kind(), at.name(), attribute),
        Section::Ephemeral => Expr::ephemeral(at.kind(), at.name(), attribute),
        Section::Local => Expr::local(at.name()),
        _ => Expr::attr(at.kind(), at.name(), attribute),
    }
}

/// The `Name` tag every taggable resource carries (the common tags come from the provider's
/// `default_tags`).
pub(crate) fn name_tag(name: impl Into<Template>) -> Json {
    json!({ "Name": name.into() })
}

/// The `Name` tag of `row`'s resource for block `block` (its `tags.Name`).
pub(crate) fn row_tag(root: &Root, row: &Row, block: &Name, params: &[&str]) -> Json {
    name_tag(root.aws(row, "tags.Name", block, params))
}

/// Lowers a stack whose blocks were renamed `old → new` (the stack uses the new names): the
/// resources get their new Terraform addresses, `moved` blocks carry the state over from the
/// old ones, and everything keeps its old name in AWS, since most AWS names cannot change
/// without replacing the resource (a renamed database must not be destroyed).
pub(crate) fn lower_renamed(
    stack: &Stack,
    renames: &[(crate::model::Name, crate::model::Name)],
) -> Root {
    if renames.is_empty() {
        return lower(stack);
    }
    let mut before = stack.clone();
    for (old, new) in renames {
        before.rename(new, old);
    }
    let mut old = Root::default();
    build(&mut old, &before);
    let old_order: Vec<String> = old.resources.iter().map(|r| r.at.spelled()).collect();
    let mut root = Root {
        physical: renames
            .iter()
            .map(|(old, new)| (new.to_string(), old.clone()))
            .collect(),
        ..Root::default()
    };
    build(&mut root, stack);
    let moves: Vec<Value> = old_order
        .into_iter()
        .zip(root.resources.iter().map(|r| r.at.spelled()))
        .filter(|(old, new)| *old != *new)
        .map(|(from, to)| json!({ "from": from, "to": to }).into_value())
        .collect();
    if !moves.is_empty() {
        root.tree.insert("moved".into(), Value::Array(moves));
    }
    root.finish();
    root
}

/// Lowers one workspace's model to its Terraform root.
pub(crate) fn lower(stack: &Stack) -> Root {
    let mut root = Root::default();
    build(&mut root, stack);
    root.finish();
    root
}

fn build(root: &mut Root, stack: &Stack) {
    frame(root, stack);
    security::lower(root, stack);
    network::lower(root, stack);
    database::lower(root, stack);
    edge::lower(root, stack);
    waf::lower(root, stack);
    compute::lower(root, stack);
    replication::lower(root, stack);
    endpoints::lower(root, stack);
    resolver::lower(root, stack);
    writer::lower(root, stack);
    cutover::lower(root, stack);
    monitoring::lower(root, stack);
    outputs(root, stack);
}

/// The terraform block with its literal backend, the provider, variables and locals.
///
/// A root has no Terraform variables: every input, a cutover's weight included, is used at
/// compile time where the checker proved its value, so a root applies exactly what the stack
/// says (no default, no `-var-file`, can move a cutover the stack did not move).
fn frame(root: &mut Root, stack: &Stack) {
    let backend = match &stack.workspace.backend {
        Backend::Local => json!({ "local": { "path": "terraform.tfstate" } }),
        Backend::S3 {
            bucket,
            key,
            region,
        } => json!({
            "s3": { "bucket": bucket, "key": key, "region": region, "encrypt": true, "use_lockfile": true }
        }),
    };
    root.section(
        "terraform",
        json!({
            "required_version": TERRAFORM_VERSION,
            "required_providers": { "aws": { "source": "hashicorp/aws", "version": AWS_PROVIDER_VERSION } },
            "backend": backend,
        }),
    );
    let mut tags: Vec<(json::Key, Json)> = stack
        .tags
        .iter()
        .map(|(k, v)| (json::Key::from(k.clone()), json!(v)))
        .collect();
    tags.push(("pmigc-stack".into(), json!(stack.name.as_str().to_string())));
    tags.push((
        "pmigc-workspace".into(),
        json!(stack.workspace.name.as_str().to_string()),
    ));
    root.section(
        "provider",
        json!({ "aws": { "region": stack.region.clone(), "default_tags": { "tags": Json::object(tags) } } }),
    );
    root.top(
        &table::stack::NAME.at(&stack.name, &[]),
        json!(stack.resolved_name.clone()),
        stack.origin,
    );
}

fn outputs(root: &mut Root, stack: &Stack) {
    for output in &stack.outputs {
        let (value, description) = match &output.value {
            OutputValue::LoadBalancerDns(s) => (
                attr(&table::service::LOAD_BALANCER.at(s.name(), &[]), "dns_name").into(),
                format!("DNS name of service {s}'s load balancer"),
            ),
            OutputValue::DatabaseEndpoint(d) => (
                attr(&table::database::CLUSTER.at(d.name(), &[]), "endpoint").into(),
                format!("Writer endpoint of database {d}"),
            ),
            OutputValue::DatabaseReaderEndpoint(d) => (
                attr(
                    &table::database::CLUSTER.at(d.name(), &[]),
                    "reader_endpoint",
                )
                .into(),
                format!("Reader endpoint of database {d}"),
            ),
            OutputValue::ReplicationStatus(r) => (
                attr(&table::replication::TASK.at(r.name(), &[]), "status").into(),
                format!("Status of replication {r}'s DMS task"),
            ),
            OutputValue::NetworkId(n) => (
                attr(&table::network::VPC.at(n.name(), &[]), "id").into(),
                format!("VPC of network {n}"),
            ),
            OutputValue::VpnConnectionId(v) => (
                Template::from(stack[v].connection_id.clone()),
                format!("VPN connection {} to on-premises", v.name()),
            ),
        };
        root.top(
            &table::OUTPUT.at(&output.name, &[]),
            json!({ "value": value, "description": description }),
            output.origin,
        );
    }
}
