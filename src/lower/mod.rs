//! Lowering: the checked model to a Terraform JSON tree, one root module per workspace.
//!
//! One file per concern (`network`, `security`, `database`, `compute`, `replication`,
//! `writer`, `cutover`, `monitoring`); this file holds the root's frame (terraform block, provider,
//! variables, locals, outputs) and the `Root` builder they all write into. Addresses are
//! derived from the stack's names only, so reordering blocks never renames a resource.
//! Lowering trusts the model (the checker proved it) and cannot fail.

mod balancer;
pub mod boot;
mod compute;
pub mod cutover;
mod database;
mod edge;
mod endpoints;
pub mod expr;
mod health;
pub mod json;
mod monitoring;
mod network;
mod replication;
mod resolver;
mod security;
mod waf;
pub mod writer;

use crate::model::{Backend, Origin, OutputValue, Stack};
use expr::{Expr, Template, tmpl};
use json::{Json, json};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The provider versions every root accepts: only arguments present in both are used.
pub const AWS_PROVIDER_VERSION: &str = ">= 5.100, < 7.0";
/// S3-native state locking (`use_lockfile`) needs Terraform 1.10; write-only arguments
/// (`master_password_wo`, `secret_string_wo`), which keep the database passwords out of the
/// state, need 1.11.
pub const TERRAFORM_VERSION: &str = ">= 1.11";

/// A Terraform root module being built, and where each of its blocks came from.
///
/// Resources, which are nearly all of a root, are printed as they are added, one after
/// another into `text` at the depth they sit at in `main.tf.json`; `emit` puts them in order.
/// A large stack never holds its configuration as a tree of values. `tree` holds every other
/// section (terraform, provider, variables, locals, data, outputs, checks, moved blocks).
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
    pub physical: BTreeMap<String, String>,
    /// Every configured value that reads a cutover's weight: what `diff` evaluates between
    /// two phases (everything else in a root is the same at every phase).
    weights: Vec<WeightRead>,
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
    kind: &'static str,
    name: String,
    body: std::ops::Range<usize>,
    origin: Origin,
}

impl Resource {
    fn address(&self) -> String {
        format!("{}.{}", self.kind, self.name)
    }
}

/// How deep a resource body sits in a root: `resource` → type → name.
const RESOURCE_DEPTH: usize = 3;

impl Root {
    /// Adds `resource.TYPE.NAME`.
    pub fn resource(&mut self, kind: &'static str, name: &str, body: Json, origin: Origin) {
        let start = self.text.len();
        body.write_pretty(&mut self.text, RESOURCE_DEPTH);
        self.resources.push(Resource {
            kind,
            name: name.to_string(),
            body: start..self.text.len(),
            origin,
        });
    }

    /// Records that the weight of the record `aws_route53_record.NAME` reads `cutover`'s weight.
    pub fn reads_weight(&mut self, name: &str, cutover: &crate::model::Name, side: cutover::Side) {
        self.weights.push(WeightRead {
            address: format!("aws_route53_record.{name}"),
            cutover: cutover.clone(),
            side,
        });
    }

    /// The values that read a cutover's weight, in the order lowering wrote them.
    pub fn weight_reads(&self) -> &[WeightRead] {
        &self.weights
    }

    /// Adds `data.TYPE.NAME`.
    pub fn data(&mut self, kind: &str, name: &str, body: Json, origin: Origin) {
        self.block("data", kind, name, body.into_value());
        self.sources.insert(format!("data.{kind}.{name}"), origin);
    }

    /// Adds `ephemeral.TYPE.NAME`: a value Terraform reads during plan and apply and never
    /// writes into the state.
    pub fn ephemeral(&mut self, kind: &str, name: &str, body: Json, origin: Origin) {
        self.block("ephemeral", kind, name, body.into_value());
        self.sources
            .insert(format!("ephemeral.{kind}.{name}"), origin);
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

    /// Sets a top-level entry such as `output.vpc_id` or `check.NAME`.
    pub fn top(&mut self, section: &str, name: &str, body: Json) {
        let section = self
            .tree
            .entry(section)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(section) = section {
            section.insert(name.to_string(), body.into_value());
        }
    }

    /// Sets a whole top-level section such as `terraform` or `provider`.
    pub fn section(&mut self, section: &str, body: Json) {
        self.tree.insert(section.to_string(), body.into_value());
    }

    /// Sets `locals.NAME`.
    pub fn local(&mut self, name: &str, value: Json) {
        self.top("locals", name, value);
    }

    /// The AWS name of a block's resource: `${local.name}-block[-suffix]`, `_` turned into
    /// `-`. A renamed block keeps the name it had in AWS (see `lower_renamed`).
    pub fn aws_name(&self, block: &crate::model::Name, suffix: &str) -> Template {
        let block = self
            .physical
            .get(block.as_str())
            .map(String::as_str)
            .unwrap_or(block.as_str());
        let mut base = block.replace('_', "-");
        if !suffix.is_empty() {
            base.push('-');
            base.push_str(suffix);
        }
        stack_name(&base)
    }

    /// Number of resources, for `--timings` and tests.
    pub fn resource_count(&self) -> usize {
        self.resources.len()
    }

    /// Puts the resources in the order `emit` writes them: by type, then name (a stable sort,
    /// so of two blocks with one address the last added stays last).
    fn sort(&mut self) {
        self.resources
            .sort_by(|a, b| (a.kind, a.name.as_str()).cmp(&(b.kind, b.name.as_str())));
    }

    /// The resources, sorted by type and name once lowering is done, each with its body's
    /// pretty text (nested three levels deep).
    pub fn resources(&self) -> impl Iterator<Item = (&'static str, &str, &str)> {
        self.resources.iter().map(|r| {
            (
                r.kind,
                r.name.as_str(),
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
            .map(|r| (r.kind, r.name.as_str(), r.origin))
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

/// `${TYPE.NAME.ATTR}`: a reference to another resource's attribute.
pub fn attr(kind: &'static str, name: &str, attribute: &'static str) -> Expr {
    Expr::attr(kind, name, attribute)
}

/// `${local.name}-SUFFIX`: a name in AWS, under the stack's name pattern.
pub fn stack_name(suffix: &str) -> Template {
    if suffix.is_empty() {
        return Template::from(Expr::local("name"));
    }
    tmpl!(Expr::local("name"), format!("-{suffix}"))
}

/// The `Name` tag every taggable resource carries (the common tags come from the provider's
/// `default_tags`).
pub fn name_tag(name: impl Into<Template>) -> Json {
    json!({ "Name": name.into() })
}

/// Lowers a stack whose blocks were renamed `old → new` (the stack uses the new names): the
/// resources get their new Terraform addresses, `moved` blocks carry the state over from the
/// old ones, and everything keeps its old name in AWS, since most AWS names cannot change
/// without replacing the resource (a renamed database must not be destroyed).
pub fn lower_renamed(stack: &Stack, renames: &[(crate::model::Name, crate::model::Name)]) -> Root {
    if renames.is_empty() {
        return lower(stack);
    }
    let mut before = stack.clone();
    for (old, new) in renames {
        before.rename(new, old);
    }
    let mut old = Root::default();
    build(&mut old, &before);
    let old_order: Vec<String> = old.resources.iter().map(Resource::address).collect();
    let mut root = Root {
        physical: renames
            .iter()
            .map(|(old, new)| (new.to_string(), old.to_string()))
            .collect(),
        ..Root::default()
    };
    build(&mut root, stack);
    let moves: Vec<Value> = old_order
        .into_iter()
        .zip(root.resources.iter().map(Resource::address))
        .filter(|(old, new)| *old != *new)
        .map(|(from, to)| json!({ "from": from, "to": to }).into_value())
        .collect();
    if !moves.is_empty() {
        root.tree.insert("moved".into(), Value::Array(moves));
    }
    root.sort();
    root
}

/// Lowers one workspace's model to its Terraform root.
pub fn lower(stack: &Stack) -> Root {
    let mut root = Root::default();
    build(&mut root, stack);
    root.sort();
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
    root.local("name", json!(stack.resolved_name.clone()));
}

fn outputs(root: &mut Root, stack: &Stack) {
    for output in &stack.outputs {
        let (value, description) = match &output.value {
            OutputValue::LoadBalancerDns(s) => (
                attr("aws_lb", &s.address(), "dns_name").into(),
                format!("DNS name of service {s}'s load balancer"),
            ),
            OutputValue::DatabaseEndpoint(d) => (
                attr("aws_rds_cluster", &d.address(), "endpoint").into(),
                format!("Writer endpoint of database {d}"),
            ),
            OutputValue::DatabaseReaderEndpoint(d) => (
                attr("aws_rds_cluster", &d.address(), "reader_endpoint").into(),
                format!("Reader endpoint of database {d}"),
            ),
            OutputValue::ReplicationStatus(r) => (
                attr("aws_dms_replication_task", &r.address(), "status").into(),
                format!("Status of replication {r}'s DMS task"),
            ),
            OutputValue::NetworkId(n) => (
                attr("aws_vpc", &n.address(), "id").into(),
                format!("VPC of network {n}"),
            ),
            OutputValue::VpnConnectionId(v) => (
                Template::from(stack[v].connection_id.clone()),
                format!("VPN connection {} to on-premises", v.name()),
            ),
        };
        root.top(
            "output",
            output.name.as_str(),
            json!({ "value": value, "description": description }),
        );
        root.sources
            .insert(format!("output.{}", output.name), output.origin);
    }
}
