//! One emitted root as the verifier reads it: `main.tf.json` parsed as plain JSON, every
//! resource and data source indexed by its address, and the `${…}` references inside its
//! strings resolved to those addresses. Nothing here knows how pmigc lowered the root: a root
//! edited by hand reads the same way.

use serde_json::Value;
use std::collections::HashMap;

/// A root's blocks by address (`aws_vpc.main`, `data.aws_vpn_gateway.onprem`).
#[derive(Debug, Default)]
pub struct Root {
    /// `resource.TYPE.NAME` and `data.TYPE.NAME` bodies.
    blocks: HashMap<String, Value>,
    /// Addresses of each resource type, in file order.
    by_type: HashMap<String, Vec<String>>,
    /// `locals.NAME`, as written.
    locals: HashMap<String, Value>,
    /// `provider.aws.region`.
    pub region: String,
    /// Block address → the (block, attribute) pairs that refer to it, built once.
    referrers: HashMap<String, Vec<(String, String)>>,
}

/// The attributes [`Root::referring`] may be asked about: only these are indexed in reverse
/// (the index is the verifier's largest structure otherwise).
const REVERSED: &[&str] = &[
    "load_balancer_arn",
    "default_action",
    "action",
    "listener_arn",
    "resolver_rule_id",
];

impl Root {
    /// Reads `main.tf.json`'s value. A section of the wrong shape is read as empty: the
    /// rules then report what is missing.
    pub fn read(mut value: Value) -> Root {
        let mut root = Root {
            region: value
                .pointer("/provider/aws/region")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            ..Root::default()
        };
        if let Some(Value::Object(locals)) = value.get_mut("locals").map(Value::take) {
            root.locals = locals.into_iter().collect();
        }
        for (section, prefix) in [("resource", ""), ("data", "data.")] {
            let Some(Value::Object(kinds)) = value.get_mut(section).map(Value::take) else {
                continue;
            };
            for (kind, blocks) in kinds {
                let Value::Object(blocks) = blocks else {
                    continue;
                };
                let kind = format!("{prefix}{kind}");
                for (name, body) in blocks {
                    let address = format!("{kind}.{name}");
                    if let Value::Object(attributes) = &body {
                        for (attribute, v) in attributes
                            .iter()
                            .filter(|(a, _)| REVERSED.contains(&a.as_str()))
                        {
                            for target in references(v) {
                                root.referrers
                                    .entry(target)
                                    .or_default()
                                    .push((address.clone(), attribute.clone()));
                            }
                        }
                    }
                    root.by_type
                        .entry(kind.clone())
                        .or_default()
                        .push(address.clone());
                    root.blocks.insert(address, body);
                }
            }
        }
        root
    }

    /// The body of a block.
    pub fn get(&self, address: &str) -> Option<&Value> {
        self.blocks.get(address)
    }

    /// The addresses of every block of a type (`aws_security_group`, `data.aws_vpn_gateway`).
    pub fn all(&self, kind: &str) -> &[String] {
        self.by_type.get(kind).map_or(&[], Vec::as_slice)
    }

    /// Every block of a type with its body.
    pub fn each<'a>(&'a self, kind: &str) -> impl Iterator<Item = (&'a str, &'a Value)> + 'a {
        self.all(kind)
            .iter()
            .filter_map(|a| self.blocks.get(a).map(|b| (a.as_str(), b)))
    }

    /// A string attribute as written.
    pub fn text<'a>(&'a self, address: &str, attribute: &str) -> Option<&'a str> {
        self.get(address)?.get(attribute)?.as_str()
    }

    /// The blocks one attribute of a block refers to (`"${aws_vpc.main.id}"` → `aws_vpc.main`),
    /// through lists and nested objects.
    pub fn refs(&self, address: &str, attribute: &str) -> Vec<String> {
        self.get(address)
            .and_then(|b| b.get(attribute))
            .map(references)
            .unwrap_or_default()
    }

    /// The one block an attribute refers to.
    pub fn one_ref(&self, address: &str, attribute: &str) -> Option<String> {
        self.refs(address, attribute).into_iter().next()
    }

    /// The blocks of `kind` whose `attribute` (one of [`REVERSED`]) refers to `target` (from
    /// the index: each call costs what refers to `target`, not the root's size).
    pub fn referring<'a>(
        &'a self,
        kind: &'a str,
        attribute: &'a str,
        target: &'a str,
    ) -> impl Iterator<Item = &'a str> + 'a {
        let mut seen = std::collections::HashSet::new();
        self.referrers
            .get(target)
            .into_iter()
            .flatten()
            .filter(move |(address, attr)| {
                attr == attribute
                    && address.len() > kind.len()
                    && address.starts_with(kind)
                    && address.as_bytes().get(kind.len()) == Some(&b'.')
            })
            .map(|(address, _)| address.as_str())
            .filter(move |a| seen.insert(*a))
    }

    /// A string with `${local.NAME}` filled in from the root's locals and
    /// `${data.aws_caller_identity.current.account_id}` as twelve digits (its length is what
    /// matters); `None` when another expression is in it.
    pub fn evaluate(&self, text: &str) -> Option<String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find("${") {
            out.push_str(rest.get(..at)?);
            let after = rest.get(at + 2..)?;
            let end = after.find('}')?;
            let code = after.get(..end)?.trim();
            if let Some(local) = code.strip_prefix("local.") {
                out.push_str(self.locals.get(local)?.as_str()?);
            } else if code.ends_with("aws_caller_identity.current.account_id") {
                out.push_str("123456789012");
            } else {
                return None;
            }
            rest = after.get(end + 1..)?;
        }
        out.push_str(rest);
        Some(out.replace("$${", "${").replace("%%{", "%{"))
    }
}

/// The block addresses a JSON value refers to in its `${…}` expressions: `TYPE.NAME` for
/// resources, `data.TYPE.NAME` for data sources (attributes and indexes dropped).
pub fn references(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect(value, &mut out);
    out
}

fn collect(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => in_text(s, out),
        Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        Value::Object(map) => map.values().for_each(|v| collect(v, out)),
        _ => {}
    }
}

/// The addresses named inside the `${…}` of one string (an escaped `$${` is text).
fn in_text(text: &str, out: &mut Vec<String>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes.get(i) == Some(&b'$') && bytes.get(i + 1) == Some(&b'$') {
            i += 2;
            continue;
        }
        if bytes.get(i) == Some(&b'$') && bytes.get(i + 1) == Some(&b'{') {
            let start = i + 2;
            let end = text
                .get(start..)
                .and_then(|t| t.find('}'))
                .map_or(text.len(), |e| start + e);
            scan_code(text.get(start..end).unwrap_or_default(), out);
            i = end;
        } else {
            i += 1;
        }
    }
}

/// Addresses in one expression: each run of `ident.ident[.ident]` that names a block.
fn scan_code(code: &str, out: &mut Vec<String>) {
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))
        .filter(|w| !w.is_empty())
        .collect();
    for word in words {
        let parts: Vec<&str> = word.split('.').collect();
        let address = match parts.as_slice() {
            ["data", kind, name, ..] => format!("data.{kind}.{name}"),
            ["ephemeral", kind, name, ..] => format!("ephemeral.{kind}.{name}"),
            [kind, name, ..] if kind.starts_with("aws_") => format!("{kind}.{name}"),
            _ => continue,
        };
        out.push(address);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_are_block_addresses() {
        let v = json!({
            "a": "${aws_vpc.main.id}",
            "b": ["${data.aws_vpn_gateway.dc.id}", "$${aws_vpc.not_code.id}"],
            "c": "${jsonencode({\"host\" = aws_rds_cluster.ledger.endpoint})}",
            "d": "${data.aws_availability_zones.available.names[0]}"
        });
        assert_eq!(
            references(&v),
            [
                "aws_vpc.main",
                "data.aws_vpn_gateway.dc",
                "aws_rds_cluster.ledger",
                "data.aws_availability_zones.available"
            ]
        );
    }

    #[test]
    fn names_are_evaluated_with_locals() {
        let root = Root::read(json!({ "locals": { "name": "shop-prod" } }));
        assert_eq!(
            root.evaluate("${local.name}-alb-logs-${data.aws_caller_identity.current.account_id}")
                .as_deref(),
            Some("shop-prod-alb-logs-123456789012")
        );
        assert_eq!(root.evaluate("${aws_lb.x.name}"), None);
        assert_eq!(root.evaluate("plain").as_deref(), Some("plain"));
    }
}
