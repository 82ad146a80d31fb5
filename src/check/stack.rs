//! The `stack` block, inputs, and the `existing` things the stack refers to but never creates
//! (the VPN to on-premises, the Secrets Manager secret, the ACM certificate).

mod diagnostics;
pub(crate) use diagnostics::{PlaintextSecret, UnknownInputType, UnknownRegion, UnknownSecretKey};

use super::context::Ctx;
use super::error::replace;
use super::names::{Declared, Kind};
use crate::aws;
use crate::check::context::{DuplicateAttribute, MissingAttribute};
use crate::check::derived::NameCharacters;
use crate::check::mismatch::TypeMismatch;
use crate::check::names::WrongKind;
use crate::diag::{at, did_you_mean};
use crate::model::{self, Certificate, Id, Input, InputValue, NamePart, Secret, SecretRef, Vpn};
use crate::syntax::ast::{Block, Ident, InputDecl, Span, TermKind, Value};
use std::collections::BTreeMap;

use crate::registry::{certificate, secret, stack, vpn};

pub(crate) use crate::registry::INPUT_TYPES;

/// The stack's settings.
pub(crate) struct Settings {
    pub region: String,
    pub region_span: Span,
    pub name_pattern: Vec<NamePart>,
    pub name_span: Span,
    pub tags: BTreeMap<String, String>,
    /// `dms_roles = existing` (`Some(None)`), `dms_roles = WORKSPACE` (`Some(Some(name))`), or
    /// not written (`None`: every workspace with a replication creates them).
    pub dms_roles: Option<Option<crate::model::Name>>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn settings(&mut self, name: &'a Ident, block: &'a Block) -> Option<Settings> {
        let attrs = self.attrs_as::<stack::Of>(super::names::STACK_TARGET, name, block);
        let region_value = attrs.get(&stack::REGION);
        let region = region_value.and_then(|v| self.literal_string(v, "a region name"));
        if let (Some(region), Some(v)) = (&region, region_value)
            && aws::zones_in(region).is_none()
        {
            let suggestion = did_you_mean(region, aws::REGIONS.iter().map(|(r, _)| *r));
            self.error(UnknownRegion {
                region: region.clone(),
                at: at(v.span),
                help: suggestion.map(|s| format!("did you mean `{s}`?")),
                fix: suggestion.and_then(|s| replace(v.span, format!("\"{s}\""))),
            });
        }
        let pattern_value = attrs.get(&stack::NAME);
        let name_pattern = pattern_value.and_then(|v| self.name_pattern(v));
        let mut tags = BTreeMap::new();
        if let Some(v) = attrs.get(&stack::TAGS)
            && let Some(term) = self.single(v, "a map of tags")
        {
            match &term.kind {
                TermKind::Map(entries) => {
                    let mut first: BTreeMap<String, Span> = BTreeMap::new();
                    for entry in entries {
                        let key = entry.key_text();
                        // Two values for one key: the map would keep the last, silently.
                        if let Some(span) = first.get(&key) {
                            self.error(DuplicateAttribute {
                                name: format!("tags.{key}"),
                                at: at(entry.key_span),
                                first: at(*span),
                            });
                            continue;
                        }
                        first.insert(key.clone(), entry.key_span);
                        if let Some(text) = self.string(&entry.value, "a tag value") {
                            tags.insert(key, text);
                        }
                    }
                }
                _ => self.mismatch(v, "a map of tags like `{ service = \"payments\" }`", None),
            }
        }
        let dms_value = attrs.get(&stack::DMS_ROLES);
        let dms_roles = match dms_value {
            None => Some(None),
            Some(v) if v.single().is_some_and(|t| {
                matches!(&t.kind, TermKind::Path(p) if p.len() == 1 && p.first().is_some_and(|w| w.text == "existing"))
            }) => Some(Some(None)),
            Some(v) => self
                .workspace_ref(v, "creates DMS's roles (or `existing`)")
                .map(|n| Some(Some(n))),
        };
        Some(Settings {
            dms_roles: dms_roles?,
            region_span: region_value.map(|v| v.span).unwrap_or(block.header_span),
            region: region?,
            name_span: pattern_value.map(|v| v.span).unwrap_or(block.header_span),
            name_pattern: name_pattern?,
            tags,
        })
    }

    /// `"payment-migration-{environment_suffix}"`: text and `{input}` references to inputs
    /// of type `name`.
    fn name_pattern(&mut self, value: &'a Value) -> Option<Vec<NamePart>> {
        let text = self.literal_string(
            value,
            "a name pattern like \"payment-{environment_suffix}\"",
        )?;
        let mut parts = Vec::new();
        let mut rest = text.as_str();
        // Offset of `rest` within the quoted string, for precise spans.
        let mut offset = value.span.start + 1;
        let mut ok = true;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(NamePart::Text(rest.get(..open).unwrap_or("").to_string()));
            }
            let after = rest.get(open + 1..).unwrap_or("");
            let Some(close) = after.find('}') else {
                self.error(TypeMismatch {
                    expected: "`}` closing the input reference".into(),
                    found: "the end of the string".into(),
                    at: at(Span::new(offset + open, value.span.end)),
                    help: Some("write `{input_name}`".into()),
                });
                return None;
            };
            let input = after.get(..close).unwrap_or("").trim();
            let span = Span::new(offset + open + 1, offset + open + 1 + close);
            let ident = Ident {
                text: input.to_string(),
                span,
            };
            let decls = self.decls;
            match decls.resolve(&ident, &[Kind::Input], &mut self.errors) {
                Some(decl) => {
                    if let Declared::Input(decl_input) = decl.item
                        && decl_input.ty.text != "name"
                    {
                        self.error(WrongKind {
                                name: input.to_string(),
                                actual: format!("an input of type `{}`", decl_input.ty.text),
                                expected: "an input of type `name`".into(),
                                at: at(span),
                                declared: at(decl_input.ty.span),
                                help: Some("only `name` inputs (lowercase letters, digits, `-`) can be part of resource names".into()),
                            });
                        ok = false;
                    }
                    parts.push(NamePart::Input(Id::new(
                        decl.ordinal,
                        model::Name::checked(decl.name.text.clone()),
                    )));
                }
                None => ok = false,
            }
            let consumed = open + 1 + close + 1;
            offset += consumed;
            rest = rest.get(consumed..).unwrap_or("");
        }
        if !rest.is_empty() {
            parts.push(NamePart::Text(rest.to_string()));
        }
        ok.then_some(parts)
    }

    /// An input with its value in the workspace being checked.
    pub(crate) fn input(&mut self, decl: &'a InputDecl) -> Option<Input> {
        let ty = decl.ty.text.as_str();
        if !INPUT_TYPES.contains(&ty) {
            let suggestion = did_you_mean(ty, INPUT_TYPES.iter().copied());
            self.error(UnknownInputType {
                ty: ty.to_string(),
                at: at(decl.ty.span),
                help: suggestion.map(|s| format!("did you mean `{s}`?")),
                fix: suggestion.and_then(|s| replace(decl.ty.span, s)),
            });
            return None;
        }
        let Some(value) = self.workspace_value(decl) else {
            self.error(MissingAttribute {
                name: "a default value".into(),
                block: format!("input `{}`", decl.name.text),
                at: at(decl.span),
                example: "...".into(),
            });
            return None;
        };
        let value = match ty {
            "percent" => InputValue::Percent(self.percent(value)?.0),
            "number" => InputValue::Number(self.count(value, "a number", 0, u32::MAX as u64)?),
            "text" => InputValue::Text(self.literal_string(value, "a string")?),
            "writer" => InputValue::Writer(self.writer_state(value)?),
            _ => {
                let text = self.literal_string(value, "a name")?;
                let characters = text
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !text.starts_with('-')
                    && !text.ends_with('-');
                let problem = if !characters {
                    Some("has characters AWS rejects in resource names".to_string())
                } else if text.is_empty() {
                    Some("is empty; a name is at least 1 character".to_string())
                } else if text.chars().count() > 24 {
                    Some(format!(
                        "is {} characters; a name is at most 24",
                        text.chars().count()
                    ))
                } else {
                    None
                };
                if let Some(problem) = problem {
                    self.error(NameCharacters {
                        what: format!("input `{}`", decl.name.text),
                        name: text.clone(),
                        problem,
                        at: at(value.span),
                        rule: "a name is 1 to 24 lowercase letters, digits and inner `-`".into(),
                        help: Some(if characters {
                            "it becomes part of AWS resource names, whose length AWS limits: shorten it".into()
                        } else {
                            "it becomes part of AWS resource names, which reject other characters".into()
                        }),
                    });
                    return None;
                }
                InputValue::Name(text)
            }
        };
        Some(Input {
            name: model::Name::checked(decl.name.text.clone()),
            value,
            origin: self.origin(decl.span),
        })
    }

    pub(crate) fn vpn(&mut self, name: &'a Ident, block: &'a Block) -> Option<(Vpn, Vec<Span>)> {
        let attrs = self.attrs::<vpn::Of>(name, block);
        let connection = attrs
            .get(&vpn::CONNECTION)
            .and_then(|v| self.aws_id(v, "vpn-", "VPN connection id"));
        let gateway = attrs
            .get(&vpn::GATEWAY)
            .and_then(|v| self.aws_id(v, "vgw-", "VPN gateway id"));
        let mut networks = Vec::new();
        let mut spans = Vec::new();
        if let Some(items) = attrs
            .get(&vpn::NETWORKS)
            .and_then(|v| self.list(v, "a list of IP address blocks"))
        {
            for item in items {
                if let Some((net, span)) = self.cidr(item) {
                    networks.push(net);
                    spans.push(span);
                }
            }
        }
        let mut dns = Vec::new();
        if let Some(items) = attrs
            .get(&vpn::DNS)
            .and_then(|v| self.list(v, "a list of IP addresses"))
        {
            for item in items {
                let Some(text) = self.string(item, "an IP address like \"172.16.0.2\"") else {
                    continue;
                };
                match text.parse::<std::net::Ipv4Addr>() {
                    Ok(ip) if networks.iter().any(|n: &ipnet::Ipv4Net| n.contains(&ip)) => dns.push(ip),
                    Ok(_) => self.error(TypeMismatch {
                        expected: "the address of a DNS server behind the VPN".into(),
                        found: format!("`{text}`, outside the VPN's `networks`"),
                        at: at(item.span),
                        help: Some("the VPC reaches the data centre's DNS servers through the VPN: give an address in one of its `networks`, or add the server's network to them".into()),
                    }),
                    Err(_) => self.error(TypeMismatch {
                        expected: "an IPv4 address like \"172.16.0.2\"".into(),
                        found: format!("`{text}`"),
                        at: at(item.span),
                        help: Some("the data centre's DNS servers, by address".into()),
                    }),
                }
            }
        }
        let mut domains = Vec::new();
        if let Some(items) = attrs
            .get(&vpn::DOMAINS)
            .and_then(|v| self.list(v, "a list of domain names"))
        {
            for item in items {
                if let Some(text) = self.string(item, "a domain name like \"dc.example.com\"") {
                    domains.push(text);
                }
            }
        }
        Some((
            Vpn {
                name: model::Name::checked(name.text.clone()),
                connection_id: connection?,
                gateway_id: gateway?,
                networks,
                dns,
                domains,
                origin: self.origin(block.header_span),
            },
            spans,
        ))
    }

    /// An AWS resource id such as `vpn-0a1b…`: a string with the right prefix.
    fn aws_id(&mut self, value: &'a Value, prefix: &str, what: &str) -> Option<String> {
        let text = self.string(value, what)?;
        let hex = text.strip_prefix(prefix).unwrap_or("");
        if hex.len() < 8 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            self.error(TypeMismatch {
                expected: format!("a {what} like `{prefix}0a1b2c3d`"),
                found: format!("`{text}`"),
                at: at(value.span),
                help: Some(format!(
                    "AWS {what}s start with `{prefix}` followed by hexadecimal digits"
                )),
            });
            return None;
        }
        Some(text)
    }

    pub(crate) fn secret(&mut self, name: &'a Ident, block: &'a Block) -> Option<Secret> {
        let attrs = self.attrs::<secret::Of>(name, block);
        let secret_name = attrs
            .get(&secret::NAME)
            .and_then(|v| self.string(v, "the secret's name"));
        let mut keys = Vec::new();
        if let Some(items) = attrs
            .get(&secret::KEYS)
            .and_then(|v| self.list(v, "a list of key names"))
        {
            for item in items {
                match item.single().map(|t| &t.kind) {
                    Some(TermKind::Path(p)) if p.len() == 1 => {
                        keys.extend(p.iter().map(|i| i.text.clone()));
                    }
                    Some(TermKind::String(s)) => keys.push(s.clone()),
                    _ => self.mismatch(item, "a key name", None),
                }
            }
        }
        let (least, most) = secret::VERSION.bounds();
        let version = match attrs.get(&secret::VERSION) {
            Some(v) => self.count(v, "the secret's version", least, most),
            None => secret::VERSION.default_number(),
        }
        .and_then(|n| u32::try_from(n).ok());
        Some(Secret {
            name: model::Name::checked(name.text.clone()),
            secret_name: secret_name?,
            keys,
            version: version?,
            origin: self.origin(block.header_span),
        })
    }

    pub(crate) fn certificate(&mut self, name: &'a Ident, block: &'a Block) -> Option<Certificate> {
        let attrs = self.attrs::<certificate::Of>(name, block);
        let domain = attrs
            .get(&certificate::DOMAIN)
            .and_then(|v| self.string(v, "a domain name"));
        // Its other names (subject alternative names), which the cutover's record may match.
        let mut names = Vec::new();
        if let Some(items) = attrs
            .get(&certificate::NAMES)
            .and_then(|v| self.list(v, "a list of domain names"))
        {
            for item in items {
                if let Some(text) = self.string(item, "a domain name") {
                    names.push(text);
                }
            }
        }
        Some(Certificate {
            name: model::Name::checked(name.text.clone()),
            domain: domain?,
            names,
            origin: self.origin(block.header_span),
        })
    }

    /// `password = db.password`: a key of an existing secret. A string literal is refused.
    pub(crate) fn secret_ref(&mut self, value: &'a Value, what: &str) -> Option<SecretRef> {
        let term = self.single(value, "a secret reference like `db.password`")?;
        match &term.kind {
            TermKind::String(_) => {
                self.error(PlaintextSecret {
                    what: what.to_string(),
                    at: at(term.span),
                    help: Some("declare the secret with `existing secret NAME { name = \"...\", keys = [...] }` and write `NAME.KEY` here".into()),
                });
                None
            }
            TermKind::Path(path) => {
                let [secret, key] = path.as_slice() else {
                    self.mismatch(value, "a secret reference like `db.password`", None);
                    return None;
                };
                let decls = self.decls;
                let decl = decls.resolve(secret, &[Kind::Secret], &mut self.errors)?;
                let Declared::Block(block) = decl.item else {
                    return None;
                };
                let keys_attr = super::context::written(block, &secret::KEYS);
                let declared: Vec<String> = keys_attr
                    .and_then(|a| a.value.single())
                    .map(|t| match &t.kind {
                        TermKind::List(items) => items
                            .iter()
                            .map(|i| super::mismatch::value_text(i).trim_matches('"').to_string())
                            .collect(),
                        _ => Vec::new(),
                    })
                    .unwrap_or_default();
                if !declared.contains(&key.text) {
                    let suggestion = did_you_mean(&key.text, declared.iter().map(String::as_str));
                    self.error(UnknownSecretKey {
                        secret: secret.text.clone(),
                        key: key.text.clone(),
                        at: at(key.span),
                        keys_at: at(keys_attr.map(|a| a.value.span).unwrap_or(block.header_span)),
                        help: Some(match suggestion {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => {
                                format!("`{}` declares: {}", secret.text, declared.join(", "))
                            }
                        }),
                        fix: suggestion.and_then(|s| replace(key.span, s)),
                    });
                    return None;
                }
                decls.refer_member(&secret.text, key);
                Some(SecretRef {
                    secret: Id::new(decl.ordinal, model::Name::checked(decl.name.text.clone())),
                    key: key.text.clone(),
                })
            }
            _ => {
                self.mismatch(value, "a secret reference like `db.password`", None);
                None
            }
        }
    }
}
