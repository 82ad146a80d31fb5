//! Lowering: the checked model to a Terraform JSON tree, one root module per workspace.
//!
//! One file per concern (`network`, `security`, `database`, `compute`, `replication`,
//! `cutover`, `monitoring`); this file holds the root's frame (terraform block, provider,
//! variables, locals, outputs) and the `Root` builder they all write into. Addresses are
//! derived from the stack's names only, so reordering blocks never renames a resource.
//! Lowering trusts the model (the checker proved it) and cannot fail.

mod compute;
mod cutover;
mod database;
mod edge;
mod monitoring;
mod network;
mod replication;
mod security;

use crate::model::{Backend, InputValue, NamePart, Origin, OutputValue, Stack};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The provider versions every root accepts: only arguments present in both are used.
pub const AWS_PROVIDER_VERSION: &str = ">= 5.100, < 7.0";
/// S3-native state locking (`use_lockfile`) needs Terraform 1.10.
pub const TERRAFORM_VERSION: &str = ">= 1.10";

/// A Terraform root module being built, and where each of its blocks came from.
///
/// Resources, which are nearly all of a root, are serialized as they are added
/// (`resources`: type → name → pretty JSON of the body), so a large stack never holds its
/// whole configuration as a tree of values; `tree` holds every other section.
#[derive(Debug, Default)]
pub struct Root {
    pub tree: Map<String, Value>,
    pub resources: BTreeMap<String, BTreeMap<String, String>>,
    /// `aws_vpc.main` → the `.pmig` block it was lowered from.
    pub sources: BTreeMap<String, Origin>,
    /// Block name → the name its resources carry in AWS, for renamed blocks.
    pub physical: BTreeMap<String, String>,
    /// Resource addresses in the order lowering created them (which follows the model, not
    /// the names): two lowerings of a stack before and after a rename pair up by position.
    pub order: Vec<String>,
}

impl Root {
    /// Adds `resource.TYPE.NAME`.
    pub fn resource(&mut self, kind: &str, name: &str, body: Value, origin: Origin) {
        let text = serde_json::to_string_pretty(&body).unwrap_or_default();
        self.resources
            .entry(kind.to_string())
            .or_default()
            .insert(name.to_string(), text);
        let address = format!("{kind}.{name}");
        self.order.push(address.clone());
        self.sources.insert(address, origin);
    }

    /// Adds `data.TYPE.NAME`.
    pub fn data(&mut self, kind: &str, name: &str, body: Value, origin: Origin) {
        self.block("data", kind, name, body);
        self.sources.insert(format!("data.{kind}.{name}"), origin);
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
    pub fn top(&mut self, section: &str, name: &str, body: Value) {
        let section = self
            .tree
            .entry(section)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(section) = section {
            section.insert(name.to_string(), body);
        }
    }

    /// Sets `locals.NAME`.
    pub fn local(&mut self, name: &str, value: Value) {
        self.top("locals", name, value);
    }

    /// The AWS name of a block's resource: `${local.name}-block[-suffix]`, `_` turned into
    /// `-`. A renamed block keeps the name it had in AWS (see `lower_renamed`).
    pub fn aws_name(&self, block: &crate::model::Name, suffix: &str) -> String {
        let block = self
            .physical
            .get(block.as_str())
            .map(String::as_str)
            .unwrap_or(block.as_str());
        let base = block.replace('_', "-");
        if suffix.is_empty() {
            format!("${{local.name}}-{base}")
        } else {
            format!("${{local.name}}-{base}-{suffix}")
        }
    }

    /// Number of resources, for `--timings` and tests.
    pub fn resource_count(&self) -> usize {
        self.resources.values().map(BTreeMap::len).sum()
    }

    /// The whole root as one JSON value, resources included (for `diff` and tests).
    pub fn value(&self) -> Value {
        let mut tree = self.tree.clone();
        if !self.resources.is_empty() {
            let resources: Map<String, Value> = self
                .resources
                .iter()
                .map(|(kind, instances)| {
                    let instances: Map<String, Value> = instances
                        .iter()
                        .map(|(name, text)| {
                            (
                                name.clone(),
                                serde_json::from_str(text).unwrap_or(Value::Null),
                            )
                        })
                        .collect();
                    (kind.clone(), Value::Object(instances))
                })
                .collect();
            tree.insert("resource".into(), Value::Object(resources));
        }
        Value::Object(tree)
    }
}

/// `${TYPE.NAME.ATTR}`: a reference to another resource's attribute.
pub fn attr(kind: &str, name: &str, attribute: &str) -> String {
    format!("${{{kind}.{name}.{attribute}}}")
}

/// A user's text as a Terraform string that means exactly that text: template sequences
/// (`${`, `%{`) are escaped.
pub fn literal(text: &str) -> String {
    text.replace("${", "$${").replace("%{", "%%{")
}

/// The `Name` tag every taggable resource carries (the common tags come from the provider's
/// `default_tags`).
pub fn name_tag(name: &str) -> Value {
    json!({ "Name": name })
}

/// Lowers a stack whose blocks were renamed `old → new` (the stack uses the new names): the
/// resources get their new Terraform addresses, `moved` blocks carry the state over from the
/// old ones, and everything keeps its old name in AWS, since most AWS names cannot change
/// without replacing the resource (a renamed database must not be destroyed).
pub fn lower_renamed(stack: &Stack, renames: &[(crate::model::Name, crate::model::Name)]) -> Root {
    let mut before = stack.clone();
    for (old, new) in renames {
        before.rename(new, old);
    }
    let old_order = lower(&before).order;
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
        .zip(root.order.iter())
        .filter(|(old, new)| old != *new)
        .map(|(from, to)| json!({ "from": from, "to": to }))
        .collect();
    if !moves.is_empty() {
        root.tree.insert("moved".into(), Value::Array(moves));
    }
    root
}

/// Lowers one workspace's model to its Terraform root.
pub fn lower(stack: &Stack) -> Root {
    let mut root = Root::default();
    build(&mut root, stack);
    root
}

fn build(root: &mut Root, stack: &Stack) {
    frame(root, stack);
    security::lower(root, stack);
    network::lower(root, stack);
    database::lower(root, stack);
    edge::lower(root, stack);
    compute::lower(root, stack);
    replication::lower(root, stack);
    cutover::lower(root, stack);
    monitoring::lower(root, stack);
    outputs(root, stack);
}

/// The terraform block with its literal backend, the provider, variables and locals.
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
    root.tree.insert(
        "terraform".into(),
        json!({
            "required_version": TERRAFORM_VERSION,
            "required_providers": { "aws": { "source": "hashicorp/aws", "version": AWS_PROVIDER_VERSION } },
            "backend": backend,
        }),
    );
    let mut tags: Map<String, Value> = stack
        .tags
        .iter()
        .map(|(k, v)| (k.clone(), json!(literal(v))))
        .collect();
    tags.insert("pmigc-stack".into(), json!(stack.name.as_str()));
    tags.insert(
        "pmigc-workspace".into(),
        json!(stack.workspace.name.as_str()),
    );
    root.tree.insert(
        "provider".into(),
        json!({ "aws": { "region": stack.region, "default_tags": { "tags": tags } } }),
    );
    for input in &stack.inputs {
        let weight_of = stack.cutovers.iter().find(|c| c.weight_input == input.name);
        let variable = match &input.value {
            InputValue::Name(v) | InputValue::Text(v) => json!({ "type": "string", "default": v }),
            InputValue::Number(n) => json!({ "type": "number", "default": n }),
            InputValue::Percent(p) => {
                let mut validation = vec![json!({
                    "condition": format!("${{var.{0} >= 0 && var.{0} <= 100}}", input.name),
                    "error_message": format!("{} is a percentage from 0 to 100.", input.name),
                })];
                if let Some(cutover) = weight_of {
                    validation.push(json!({
                        "condition": format!("${{contains({}, var.{})}}", cutover::phase_list(cutover), input.name),
                        "error_message": format!(
                            "{} must be one of the phases of cutover {}: {}.",
                            input.name,
                            cutover.name,
                            cutover.phases.iter().map(|p| format!("{}%", p.get())).collect::<Vec<_>>().join(", ")
                        ),
                    }));
                }
                json!({ "type": "number", "default": p.get(), "validation": validation })
            }
        };
        root.top("variable", input.name.as_str(), variable);
    }
    let name: String = stack
        .name_pattern
        .iter()
        .map(|part| match part {
            NamePart::Text(t) => literal(t),
            NamePart::Input(input) => format!("${{var.{input}}}"),
        })
        .collect();
    root.local("name", json!(name));
}

fn outputs(root: &mut Root, stack: &Stack) {
    for output in &stack.outputs {
        let (value, description) = match &output.value {
            OutputValue::LoadBalancerDns(s) => (
                attr("aws_lb", &s.address(), "dns_name"),
                format!("DNS name of service {s}'s load balancer"),
            ),
            OutputValue::DatabaseEndpoint(d) => (
                attr("aws_rds_cluster", &d.address(), "endpoint"),
                format!("Writer endpoint of database {d}"),
            ),
            OutputValue::DatabaseReaderEndpoint(d) => (
                attr("aws_rds_cluster", &d.address(), "reader_endpoint"),
                format!("Reader endpoint of database {d}"),
            ),
            OutputValue::ReplicationStatus(r) => (
                attr("aws_dms_replication_task", &r.address(), "status"),
                format!("Status of replication {r}'s DMS task"),
            ),
            OutputValue::NetworkId(n) => (
                attr("aws_vpc", &n.address(), "id"),
                format!("VPC of network {n}"),
            ),
            OutputValue::VpnConnectionId(v) => (
                stack
                    .vpn(v)
                    .map(|v| v.connection_id.clone())
                    .unwrap_or_default(),
                format!("VPN connection {v} to on-premises"),
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
