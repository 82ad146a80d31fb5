//! One emitted root as the verifier reads it: `main.tf.json` read as JSON in one pass, every
//! resource and data source indexed by its address, each attribute kept as the JSON text it
//! was written as ([`Val`], borrowing the root's bytes) and read only when a rule asks for it;
//! the `${…}` references inside its strings are resolved to those addresses on demand. Nothing
//! here knows how pmigc lowered the root: a root edited by hand reads the same way.
//!
//! It reads as `serde_json::Value` would (and as the verifier once did, through one): objects
//! in key order, the last of two equal keys counting, a section of the wrong shape empty, a
//! document that is not JSON an empty root; but no tree of the root is ever built (at 5,000
//! services a root is 36 MB of JSON, and a `Value` of it several times that).

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// One JSON value as written, borrowed from the root's bytes.
#[derive(Debug, Clone, Copy)]
pub struct Val<'a>(&'a RawValue);

impl<'a> Val<'a> {
    fn text(self) -> &'a str {
        self.0.get().trim()
    }

    /// The string, unescaped (borrowed when it has no escapes).
    pub fn as_str(self) -> Option<Cow<'a, str>> {
        let text = self.text();
        let inner = text.strip_prefix('"')?.strip_suffix('"')?;
        if inner.contains('\\') {
            serde_json::from_str::<String>(text).ok().map(Cow::Owned)
        } else {
            Some(Cow::Borrowed(inner))
        }
    }

    /// A non-negative integer (`443`; not `443.0`, as `Value::as_u64`).
    pub fn as_u64(self) -> Option<u64> {
        self.text().parse().ok()
    }

    pub fn as_i64(self) -> Option<i64> {
        self.text().parse().ok()
    }

    pub fn as_bool(self) -> Option<bool> {
        match self.text() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn items(self) -> Option<Vec<Val<'a>>> {
        if !self.text().starts_with('[') {
            return None;
        }
        serde_json::from_str::<Vec<&'a RawValue>>(self.text())
            .ok()
            .map(|items| items.into_iter().map(Val).collect())
    }

    /// The members of an object, in key order, the last of equal keys counting.
    pub fn members(self) -> Option<Vec<(Cow<'a, str>, Val<'a>)>> {
        if !self.text().starts_with('{') {
            return None;
        }
        members(self.text())
    }

    /// A member of an object.
    pub fn get(self, key: &str) -> Option<Val<'a>> {
        let members = self.members()?;
        members.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value as a `serde_json::Value`, for the few small nested blocks a rule walks.
    pub fn value(self) -> Value {
        serde_json::from_str(self.text()).unwrap_or(Value::Null)
    }

    /// The block addresses this value refers to (see [`references`]).
    pub fn refs(self) -> Vec<String> {
        let mut out = Vec::new();
        collect(self, &mut out);
        out
    }
}

/// The members of the JSON object `text` is, in key order, the last of equal keys counting
/// (`None` when it is not an object, or not JSON).
pub fn members(text: &str) -> Option<Vec<(Cow<'_, str>, Val<'_>)>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let members = de.deserialize_any(MembersVisitor).ok()??;
    de.end().ok()?;
    Some(sorted(members))
}

/// Members sorted by key (stably), the last of equal keys kept: a JSON object's meaning.
fn sorted<T>(mut members: Vec<(Cow<'_, str>, T)>) -> Vec<(Cow<'_, str>, T)> {
    if members.is_sorted_by(|a, b| a.0 < b.0) {
        return members;
    }
    members.sort_by(|a, b| a.0.cmp(&b.0));
    members.reverse();
    members.dedup_by(|a, b| a.0 == b.0);
    members.reverse();
    members
}

/// A JSON object key, borrowed unless it has escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Consumes what is left of a sequence or a map of the wrong shape.
fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Implements the visits of every value that is not an object as "not an object" (`None`).
macro_rules! not_an_object {
    () => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            drain_seq(seq).map(|()| None)
        }
    };
}

/// An object's members as written (`None` for any other value).
struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Option<Vec<(Cow<'de, str>, Val<'de>)>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    not_an_object!();
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::new();
        while let Some((Key(key), raw)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
            members.push((key, Val(raw)));
        }
        Ok(Some(members))
    }
}

/// One block: its address and its attributes (a range of [`Root::attributes`]).
#[derive(Debug)]
struct Block {
    address: Box<str>,
    attributes: (u32, u32),
}

/// A block's attributes, sorted by name.
#[derive(Debug, Clone, Copy)]
pub struct Body<'r, 'a> {
    address: &'r str,
    attributes: &'r [(Cow<'a, str>, Val<'a>)],
}

impl<'r, 'a> Body<'r, 'a> {
    pub fn address(self) -> &'r str {
        self.address
    }

    /// An attribute as written.
    pub fn get(self, attribute: &str) -> Option<Val<'a>> {
        self.attributes
            .binary_search_by(|(k, _)| k.as_ref().cmp(attribute))
            .ok()
            .and_then(|i| self.attributes.get(i))
            .map(|(_, v)| *v)
    }

    /// A string attribute, unescaped.
    pub fn text(self, attribute: &str) -> Option<Cow<'a, str>> {
        self.get(attribute)?.as_str()
    }

    /// The blocks an attribute refers to (`"${aws_vpc.main.id}"` → `aws_vpc.main`), through
    /// lists and nested objects.
    pub fn refs(self, attribute: &str) -> Vec<String> {
        self.get(attribute).map(Val::refs).unwrap_or_default()
    }

    /// The first block an attribute refers to.
    pub fn one_ref(self, attribute: &str) -> Option<String> {
        self.refs(attribute).into_iter().next()
    }

    /// A nested block read as a body (a rule of a security group's `ingress`, a route of a
    /// route table's `route`): its members, as [`Val::members`] gives them, under the address
    /// of the block it is in.
    pub fn nested(address: &'r str, members: &'r [(Cow<'a, str>, Val<'a>)]) -> Body<'r, 'a> {
        Body {
            address,
            attributes: members,
        }
    }

    fn attributes(self) -> impl Iterator<Item = (&'r str, Val<'a>)> {
        self.attributes.iter().map(|(k, v)| (k.as_ref(), *v))
    }
}

/// A root's blocks by address (`aws_vpc.main`, `data.aws_vpn_gateway.onprem`).
#[derive(Debug, Default)]
pub struct Root<'a> {
    /// Type (`aws_vpc`, `data.aws_vpn_gateway`) → its blocks, sorted by name.
    kinds: HashMap<String, Vec<Block>>,
    /// Every block's attributes, block after block, each block's sorted by name.
    attributes: Vec<(Cow<'a, str>, Val<'a>)>,
    /// `locals.NAME`, as written.
    locals: HashMap<String, Value>,
    /// `provider.aws.region`.
    pub region: String,
    /// Block address → the (block, attribute) pairs that refer to it, built once.
    referrers: HashMap<String, Vec<(String, &'static str)>>,
}

/// The attributes [`Root::referring`] may be asked about: only these are indexed in reverse
/// (the index is the verifier's largest structure otherwise).
const REVERSED: &[&str] = &[
    "action",
    "default_action",
    "listener_arn",
    "load_balancer_arn",
    "resolver_rule_id",
];

/// What reading one section (`resource`, `data`) gives: per type, its blocks as
/// (name, attributes) or `None` for a type whose value is not an object.
type Section<'a> = Vec<(Cow<'a, str>, Option<Blocks<'a>>)>;

/// One type's blocks while reading: (name, attributes).
type Blocks<'a> = Vec<(Cow<'a, str>, Body0)>;

/// A block while reading: the range of its attributes in the root's list.
#[derive(Debug, Clone, Copy)]
struct Body0(u32, u32);

/// Reads the top level of `main.tf.json`.
struct Document<'s, 'a> {
    attributes: &'s mut Vec<(Cow<'a, str>, Val<'a>)>,
}

/// What the top level holds that the verifier reads.
#[derive(Default)]
struct Sections<'a> {
    resource: Option<Section<'a>>,
    data: Option<Section<'a>>,
    provider: Option<Value>,
    locals: Option<Value>,
}

impl<'de> Visitor<'de> for Document<'_, 'de> {
    type Value = Option<Sections<'de>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    not_an_object!();
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut sections = Sections::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            match key.as_ref() {
                "resource" | "data" => {
                    let section = map.next_value_seed(SectionSeed {
                        attributes: &mut *self.attributes,
                    })?;
                    if key == "resource" {
                        sections.resource = section;
                    } else {
                        sections.data = section;
                    }
                }
                "provider" => sections.provider = Some(map.next_value()?),
                "locals" => sections.locals = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Some(sections))
    }
}

/// `resource` or `data`: type → name → body.
struct SectionSeed<'s, 'a> {
    attributes: &'s mut Vec<(Cow<'a, str>, Val<'a>)>,
}

impl<'de> DeserializeSeed<'de> for SectionSeed<'_, 'de> {
    type Value = Option<Section<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SectionSeed<'_, 'de> {
    type Value = Option<Section<'de>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    not_an_object!();
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut kinds = Vec::new();
        while let Some(Key(kind)) = map.next_key::<Key<'de>>()? {
            let blocks = map.next_value_seed(KindSeed {
                attributes: &mut *self.attributes,
            })?;
            kinds.push((kind, blocks));
        }
        Ok(Some(kinds))
    }
}

/// One type's blocks: name → body.
struct KindSeed<'s, 'a> {
    attributes: &'s mut Vec<(Cow<'a, str>, Val<'a>)>,
}

impl<'de> DeserializeSeed<'de> for KindSeed<'_, 'de> {
    type Value = Option<Blocks<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KindSeed<'_, 'de> {
    type Value = Option<Blocks<'de>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    not_an_object!();
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut blocks = Vec::new();
        while let Some(Key(name)) = map.next_key::<Key<'de>>()? {
            let start = self.attributes.len();
            let members = map.next_value_seed(BodySeed)?.unwrap_or_default();
            self.attributes.extend(sorted(members));
            let end = self.attributes.len();
            let range = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            blocks.push((name, Body0(range(start), range(end))));
        }
        Ok(Some(blocks))
    }
}

/// A block's body: its attributes (none when it is not an object).
struct BodySeed;

impl<'de> DeserializeSeed<'de> for BodySeed {
    type Value = Option<Vec<(Cow<'de, str>, Val<'de>)>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(MembersVisitor)
    }
}

/// Types sorted, the last of equal types counting, and those whose value is not an object
/// left out; blocks likewise by name.
fn blocks_of<'a>(section: Section<'a>, prefix: &str) -> Vec<(String, Blocks<'a>)> {
    sorted(section)
        .into_iter()
        .filter_map(|(kind, blocks)| Some((format!("{prefix}{kind}"), sorted(blocks?))))
        .collect()
}

impl<'a> Root<'a> {
    /// Reads `main.tf.json`'s text; `Err` when it is not JSON.
    pub fn parse(text: &'a str) -> Result<Root<'a>, serde_json::Error> {
        let mut attributes = Vec::new();
        let mut de = serde_json::Deserializer::from_str(text);
        let sections = de.deserialize_any(Document {
            attributes: &mut attributes,
        })?;
        de.end()?;
        let Some(sections) = sections else {
            return Ok(Root::default());
        };
        let mut root = Root {
            region: sections
                .provider
                .as_ref()
                .and_then(|p| p.pointer("/aws/region"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            attributes,
            ..Root::default()
        };
        if let Some(Value::Object(locals)) = sections.locals {
            root.locals = locals.into_iter().collect();
        }
        let kinds = [("", sections.resource), ("data.", sections.data)]
            .into_iter()
            .filter_map(|(prefix, section)| Some(blocks_of(section?, prefix)))
            .flatten();
        for (kind, blocks) in kinds {
            let blocks: Vec<Block> = blocks
                .into_iter()
                .map(|(name, Body0(start, end))| Block {
                    address: format!("{kind}.{name}").into_boxed_str(),
                    attributes: (start, end),
                })
                .collect();
            root.kinds.insert(kind, blocks);
        }
        root.index_referrers();
        Ok(root)
    }

    /// Reads `main.tf.json`'s bytes; a file that is not JSON reads as an empty root (which
    /// then fails the rules that look for what it should hold).
    pub fn read(bytes: &'a [u8]) -> Root<'a> {
        std::str::from_utf8(bytes)
            .ok()
            .and_then(|text| Root::parse(text).ok())
            .unwrap_or_default()
    }

    fn index_referrers(&mut self) {
        let mut referrers: HashMap<String, Vec<(String, &'static str)>> = HashMap::new();
        let mut kinds: Vec<&String> = self.kinds.keys().collect();
        kinds.sort();
        for kind in kinds {
            for body in self.each(kind) {
                for (attribute, value) in body.attributes() {
                    let Some(reversed) = REVERSED.iter().find(|r| **r == attribute) else {
                        continue;
                    };
                    for target in value.refs() {
                        referrers
                            .entry(target)
                            .or_default()
                            .push((body.address.to_string(), reversed));
                    }
                }
            }
        }
        self.referrers = referrers;
    }

    fn body<'r>(&'r self, block: &'r Block) -> Body<'r, 'a> {
        let (start, end) = block.attributes;
        Body {
            address: &block.address,
            attributes: self
                .attributes
                .get(start as usize..end as usize)
                .unwrap_or_default(),
        }
    }

    /// The body of a block.
    pub fn get<'r>(&'r self, address: &str) -> Option<Body<'r, 'a>> {
        let split = match address.strip_prefix("data.") {
            Some(rest) => rest.find('.').map(|i| i + "data.".len()),
            None => address.find('.'),
        }?;
        let (kind, name) = (address.get(..split)?, address.get(split + 1..)?);
        let blocks = self.kinds.get(kind)?;
        blocks
            .binary_search_by(|b| {
                b.address
                    .get(kind.len() + 1..)
                    .unwrap_or_default()
                    .cmp(name)
            })
            .ok()
            .and_then(|i| blocks.get(i))
            .map(|b| self.body(b))
    }

    /// The resource types the root holds (not data sources), sorted.
    pub fn resource_types(&self) -> Vec<&str> {
        let mut kinds: Vec<&str> = self
            .kinds
            .keys()
            .map(String::as_str)
            .filter(|k| !k.starts_with("data."))
            .collect();
        kinds.sort_unstable();
        kinds
    }

    /// Every block of a type with its body (`aws_security_group`, `data.aws_vpn_gateway`), by
    /// name.
    pub fn each<'r>(&'r self, kind: &str) -> impl Iterator<Item = Body<'r, 'a>> + 'r {
        self.kinds
            .get(kind)
            .into_iter()
            .flatten()
            .map(|b| self.body(b))
    }

    /// `locals.NAME` as written, when it is a string.
    pub fn local(&self, name: &str) -> Option<&str> {
        self.locals.get(name)?.as_str()
    }

    /// A string attribute as written.
    pub fn text(&self, address: &str, attribute: &str) -> Option<Cow<'a, str>> {
        self.get(address)?.text(attribute)
    }

    /// The blocks one attribute of a block refers to (`"${aws_vpc.main.id}"` → `aws_vpc.main`),
    /// through lists and nested objects.
    pub fn refs(&self, address: &str, attribute: &str) -> Vec<String> {
        self.get(address)
            .map(|b| b.refs(attribute))
            .unwrap_or_default()
    }

    /// The one block an attribute refers to.
    pub fn one_ref(&self, address: &str, attribute: &str) -> Option<String> {
        self.get(address)?.one_ref(attribute)
    }

    /// The blocks of `kind` whose `attribute` (one of [`REVERSED`]) refers to `target` (from
    /// the index: each call costs what refers to `target`, not the root's size).
    pub fn referring<'r>(
        &'r self,
        kind: &'r str,
        attribute: &'r str,
        target: &'r str,
    ) -> impl Iterator<Item = &'r str> + 'r {
        let mut seen = std::collections::HashSet::new();
        self.referrers
            .get(target)
            .into_iter()
            .flatten()
            .filter(move |(address, attr)| {
                *attr == attribute
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
        let mut out = String::with_capacity(text.len() + 16);
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
        if out.contains("$${") || out.contains("%%{") {
            out = out.replace("$${", "${").replace("%%{", "%{");
        }
        Some(out)
    }
}

/// The block addresses a JSON value refers to in its `${…}` expressions: `TYPE.NAME` for
/// resources, `data.TYPE.NAME` for data sources (attributes and indexes dropped), its strings
/// read in order (an object's members in key order).
pub fn references(value: Val) -> Vec<String> {
    value.refs()
}

/// The block addresses the `${…}` expressions of one string refer to (what [`references`]
/// reads in each string of a value).
pub fn text_refs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    in_text(text, &mut out);
    out
}

fn collect(value: Val, out: &mut Vec<String>) {
    let text = value.text();
    // No `${` can be in a value whose text has neither one nor an escape.
    if !text.as_bytes().contains(&b'\\') && find_open(text, 0).is_none() {
        return;
    }
    match text.as_bytes().first() {
        Some(b'"') => {
            if let Some(s) = value.as_str() {
                in_text(&s, out);
            }
        }
        Some(b'[') => value
            .items()
            .into_iter()
            .flatten()
            .for_each(|i| collect(i, out)),
        Some(b'{') => value
            .members()
            .into_iter()
            .flatten()
            .for_each(|(_, v)| collect(v, out)),
        _ => {}
    }
}

/// The position of the first `${` at or after `from`.
fn find_open(text: &str, from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let dollar = at + text.get(at..)?.find('$')?;
        if text.as_bytes().get(dollar + 1) == Some(&b'{') {
            return Some(dollar);
        }
        at = dollar + 1;
    }
}

/// The addresses named inside the `${…}` of one string (an escaped `$${` is text).
fn in_text(text: &str, out: &mut Vec<String>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(dollar) = text.get(i..).and_then(|t| t.find('$')).map(|d| i + d) {
        match bytes.get(dollar + 1) {
            // `$$` is text, whatever follows.
            Some(b'$') => i = dollar + 2,
            Some(b'{') => {
                let start = dollar + 2;
                let end = text
                    .get(start..)
                    .and_then(|t| t.find('}'))
                    .map_or(text.len(), |e| start + e);
                scan_code(text.get(start..end).unwrap_or_default(), out);
                i = end;
            }
            _ => i = dollar + 1,
        }
    }
}

/// Addresses in one expression: each run of `ident.ident[.ident]` that names a block.
fn scan_code(code: &str, out: &mut Vec<String>) {
    let word_byte = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let Some(start) = bytes
            .get(i..)
            .and_then(|b| b.iter().position(word_byte))
            .map(|p| i + p)
        else {
            break;
        };
        let end = bytes
            .get(start..)
            .and_then(|b| b.iter().position(|c| !word_byte(c)))
            .map_or(bytes.len(), |p| start + p);
        i = end;
        let Some(word) = code.get(start..end) else {
            continue;
        };
        let mut parts = word.split('.');
        let (Some(first), Some(second)) = (parts.next(), parts.next()) else {
            continue;
        };
        let third = parts.next();
        match (first, third) {
            ("data" | "ephemeral", Some(name)) => {
                // `data.TYPE.NAME`: the word up to the end of its third part.
                let len = first.len() + second.len() + name.len() + 2;
                out.push(word.get(..len).unwrap_or(word).to_string());
            }
            _ if first.starts_with("aws_") => {
                let len = first.len() + second.len() + 1;
                out.push(word.get(..len).unwrap_or(word).to_string());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refs_of(v: &Value) -> Vec<String> {
        let text = v.to_string();
        let raw: &RawValue = serde_json::from_str(&text).unwrap();
        references(Val(raw))
    }

    #[test]
    fn references_are_block_addresses() {
        let v = json!({
            "a": "${aws_vpc.main.id}",
            "b": ["${data.aws_vpn_gateway.dc.id}", "$${aws_vpc.not_code.id}"],
            "c": "${jsonencode({\"host\" = aws_rds_cluster.ledger.endpoint})}",
            "d": "${data.aws_availability_zones.available.names[0]}"
        });
        assert_eq!(
            refs_of(&v),
            [
                "aws_vpc.main",
                "data.aws_vpn_gateway.dc",
                "aws_rds_cluster.ledger",
                "data.aws_availability_zones.available"
            ]
        );
    }

    #[test]
    fn references_read_as_json_means() {
        // Escapes are read, objects in key order, the last of two equal keys counting.
        let text = r#"{"z": "\u0024{aws_vpc.z.id}", "a": "${aws_vpc.a.id}", "z": "${aws_vpc.last.id}", "b": "data.aws_x.y"}"#;
        let raw: &RawValue = serde_json::from_str(text).unwrap();
        assert_eq!(references(Val(raw)), ["aws_vpc.a", "aws_vpc.last"]);
        let odd = json!([
            "${data.aws_x}",
            "${aws_x}",
            "${ephemeral.aws_e.n.v}",
            "${var.x.y}"
        ]);
        assert_eq!(refs_of(&odd), ["ephemeral.aws_e.n"]);
    }

    #[test]
    fn a_root_reads_as_a_json_value_would() {
        let text = r#" {
            "resource": { "aws_b": "not an object", "aws_a": { "y": 1, "x": {"z": 2, "a": "${aws_b.q.id}"}, "x": [] },
                          "aws_b": { "n": { "k": "v" }, "m": [1] } },
            "data": { "aws_d": { "one": { "id": "vgw-1" } } },
            "provider": { "aws": { "region": "eu-west-1" } },
            "locals": { "name": "s" },
            "other": [1, {"a": null}]
        } "#;
        let root = Root::parse(text).unwrap();
        assert_eq!(root.region, "eu-west-1");
        let names: Vec<&str> = root.each("aws_b").map(Body::address).collect();
        assert_eq!(names, ["aws_b.m", "aws_b.n"]);
        assert!(root.get("aws_b.m").is_some_and(|b| b.get("k").is_none()));
        assert_eq!(root.text("aws_b.n", "k").as_deref(), Some("v"));
        // Blocks whose bodies are not objects: there, without attributes.
        assert_eq!(root.each("aws_a").count(), 2);
        assert!(root.get("aws_a.x").is_some_and(|b| b.get("z").is_none()));
        assert_eq!(root.text("data.aws_d.one", "id").as_deref(), Some("vgw-1"));
        assert!(root.get("aws_b").is_none() && root.get("data.aws_d").is_none());
        assert!(Root::parse("{\"resource\": {}").is_err());
        assert!(Root::read(b"[1]").each("aws_b").next().is_none());
    }

    #[test]
    fn values_read_as_json_means() {
        let raw = |t: &'static str| Val(serde_json::from_str::<&RawValue>(t).unwrap());
        assert_eq!(raw("443").as_u64(), Some(443));
        assert_eq!(raw("443.0").as_u64(), None);
        assert_eq!(raw("-1").as_u64(), None);
        assert_eq!(raw("-1").as_i64(), Some(-1));
        assert_eq!(raw("\"443\"").as_u64(), None);
        assert_eq!(raw("true").as_bool(), Some(true));
        assert_eq!(raw("\"a\\\"b\"").as_str().as_deref(), Some("a\"b"));
        assert_eq!(raw("[1, \"x\"]").items().map(|i| i.len()), Some(2));
        assert_eq!(
            raw("{\"a\": 1, \"a\": 2}").get("a").and_then(Val::as_u64),
            Some(2)
        );
    }

    #[test]
    fn names_are_evaluated_with_locals() {
        let text = json!({ "locals": { "name": "shop-prod" } }).to_string();
        let root = Root::parse(&text).unwrap();
        assert_eq!(
            root.evaluate("${local.name}-alb-logs-${data.aws_caller_identity.current.account_id}")
                .as_deref(),
            Some("shop-prod-alb-logs-123456789012")
        );
        assert_eq!(root.evaluate("${aws_lb.x.name}"), None);
        assert_eq!(root.evaluate("plain").as_deref(), Some("plain"));
    }
}
