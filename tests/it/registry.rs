//! The block registry (`pmigc::registry`) against the checker: for every block of two stacks,
//! every attribute the registry lists is accepted, every required one is required, every
//! allowed value and every default is accepted, and the top-level keywords agree with the
//! parser's. The registry is what hover and completion show, so a wrong entry would be a lie
//! told in the editor.

use pmigc::registry::{self, Block};
use pmigc::syntax::ast::{Item, Span};

const STACKS: &[&str] = &[
    include_str!("../../stacks/payment.pmig"),
    include_str!("../cases/ok/minimal-service.pmig"),
];

/// A block's registry entry, its span, and its attributes' names and spans.
type Found = (&'static Block, Span, Vec<(String, Span)>);

/// Each block of a stack with its registry entry.
fn blocks(text: &str) -> Vec<Found> {
    let (file, _) = pmigc::syntax::parse(text);
    file.items
        .iter()
        .filter_map(|item| match item {
            Item::Block(b) => {
                let keyword = b.header.first()?.text.as_str();
                let sub = b.header.get(1).map(|i| i.text.as_str());
                let entry = registry::by_keyword(keyword, sub)?;
                let attrs = b
                    .attrs
                    .iter()
                    .map(|a| (a.key_text(), a.key_span.to(a.value.span)))
                    .collect();
                Some((entry, b.span, attrs))
            }
            _ => None,
        })
        .collect()
}

/// The stack with attribute `name` of the block at `block` set to `value` (replacing the
/// one written, or added before the closing brace).
fn with_attr(text: &str, block: Span, attrs: &[(String, Span)], name: &str, value: &str) -> String {
    match attrs.iter().find(|(n, _)| n == name) {
        Some((_, span)) => format!(
            "{}{name} = {value}{}",
            &text[..span.start],
            &text[span.end..]
        ),
        None => format!(
            "{}\n  {name} = {value}\n{}",
            &text[..block.end - 1],
            &text[block.end - 1..]
        ),
    }
}

fn errors(text: &str) -> Vec<String> {
    pmigc::check_source(text)
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect()
}

/// How a listed value is written in full where the word alone is not a value.
fn written(attr: &str, value: &str) -> String {
    match (attr, value) {
        ("encryption", "off") => "off because \"synthetic test data, never card data\"".into(),
        ("waf", "off") => {
            "off because \"an internal tool behind the corporate proxy's WAF\"".into()
        }
        ("engine", "aurora_postgresql") => "aurora_postgresql \"16\"".into(),
        ("engine", v) => format!("{v} \"8.0\""),
        ("from", v) => format!("{v} \"db.example.com\":3306 via onprem"),
        ("state", "s3") => "s3 \"bucket\" \"key\"".into(),
        ("two_way", "auto_increment") => "auto_increment 2 datacentre 1 aurora 2".into(),
        ("two_way", "keys_apart") => {
            "keys_apart because \"order ids are odd here and even there\"".into()
        }
        _ => value.into(),
    }
}

#[test]
fn every_listed_value_and_default_is_accepted() {
    let mut tried = 0;
    for text in STACKS {
        assert!(errors(text).is_empty(), "{:?}", errors(text));
        for (entry, span, attrs) in blocks(text) {
            for attr in entry.attrs {
                let mut values: Vec<String> = attr
                    .allowed()
                    .iter()
                    .map(|v| written(attr.name, v))
                    .collect();
                values.extend(attr.default.map(String::from));
                for value in values {
                    // `db.serverless` comes with its `capacity` (tests/cases/ok/serverless-graviton.pmig).
                    if value == "db.serverless" {
                        continue;
                    }
                    // A `from` needs the VPN the stack declares; only payment has `onprem`.
                    if attr.name == "from" && !text.contains("existing vpn onprem") {
                        continue;
                    }
                    let edited = with_attr(text, span, &attrs, attr.name, &value);
                    let found = errors(&edited);
                    let own: Vec<&String> = found
                        .iter()
                        // Rules across blocks (migration, addresses, apply-time constraints) may refuse
                        // a value the block itself accepts.
                        .filter(|e| {
                            ["PMG08", "PMG05", "PMG12", "PMG0307"]
                                .iter()
                                .all(|p| !e.starts_with(p))
                        })
                        .collect();
                    assert!(
                        own.is_empty(),
                        "{} {} = {value}: {own:?}",
                        entry.block,
                        attr.name
                    );
                    tried += 1;
                }
            }
        }
    }
    assert!(tried > 100, "only {tried} values tried");
}

#[test]
fn required_attributes_are_required_and_optional_ones_are_not() {
    for text in STACKS {
        for (entry, _, attrs) in blocks(text) {
            for (name, span) in &attrs {
                let Some(attr) = entry.attr(name) else {
                    continue;
                };
                // Required only when something reaches the service (a load balancer or
                // `allow`), which every service of these stacks is: left out, it is missed.
                if entry.block == "service" && *name == "port" {
                    let edited = format!("{}{}", &text[..span.start], &text[span.end..]);
                    assert!(errors(&edited).iter().any(|e| e.starts_with("PMG0204")));
                    continue;
                }
                let edited = format!("{}{}", &text[..span.start], &text[span.end..]);
                let missing = errors(&edited)
                    .into_iter()
                    .any(|e| e.starts_with("PMG0204") && e.contains(&format!("`{name}`")));
                assert_eq!(
                    missing,
                    attr.required,
                    "{} without `{name}`: {:?}",
                    entry.block,
                    errors(&edited)
                );
            }
        }
    }
}

#[test]
fn an_attribute_the_registry_does_not_list_is_refused() {
    for text in STACKS {
        for (entry, span, attrs) in blocks(text) {
            if entry.block == "workspace" {
                continue;
            }
            let edited = with_attr(text, span, &attrs, "colour", "blue");
            assert!(
                errors(&edited).iter().any(|e| e.contains("`colour`")),
                "{}: {:?}",
                entry.block,
                errors(&edited)
            );
        }
    }
}

#[test]
fn keywords_agree_with_the_parser_and_every_kind_has_an_entry() {
    let keywords: Vec<&str> = registry::KEYWORDS.iter().map(|(k, _)| *k).collect();
    assert_eq!(keywords, pmigc::syntax::split::TOP_LEVEL_KEYWORDS);
    for (sub, kind) in registry::EXISTING {
        let entry = registry::by_keyword("existing", Some(sub)).unwrap();
        assert_eq!(entry.kind, Some(*kind));
        assert_eq!(entry.block, format!("existing {sub}"));
    }
    for (keyword, doc) in registry::KEYWORDS {
        assert!(!doc.is_empty(), "{keyword}");
    }
}

/// The name a workspace override targets a block by: `stack` for the stack block, else the
/// block's name (`api`, or `pay` in `existing certificate pay`).
fn target(text: &str, entry: &Block, span: Span) -> String {
    if entry.block == "stack" {
        return "stack".into();
    }
    let (file, _) = pmigc::syntax::parse(text);
    file.items
        .iter()
        .find_map(|item| match item {
            Item::Block(b) if b.span == span => b.header.last().map(|i| i.text.clone()),
            _ => None,
        })
        .unwrap()
}

/// The stack with `line` added to every workspace block (to a new one when it has none).
fn in_every_workspace(text: &str, line: &str) -> String {
    let mut spans: Vec<Span> = blocks(text)
        .into_iter()
        .filter(|(entry, _, _)| entry.block == "workspace")
        .map(|(_, span, _)| span)
        .collect();
    if spans.is_empty() {
        return format!("{text}\nworkspace solo {{\n  {line}\n}}\n");
    }
    spans.sort_by_key(|s| std::cmp::Reverse(s.end));
    let mut out = text.to_string();
    for span in spans {
        out = format!("{}  {line}\n{}", &out[..span.end - 1], &out[span.end - 1..]);
    }
    out
}

/// The codes of the errors of a text, sorted.
fn codes(text: &str) -> Vec<String> {
    let mut codes: Vec<String> = pmigc::check_source(text)
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code.clone())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// What the registry says a workspace may override is what the checker lets it override, and
/// an override is checked exactly like the original: for every attribute written in a block,
/// overriding it in every workspace with the same value changes nothing (or is refused,
/// PMG1008, with the registry's reason), and with a wrong value gives the same errors as
/// writing that value in the block.
#[test]
fn a_workspace_overrides_exactly_what_the_registry_says_and_is_checked_like_the_block() {
    let mut overridden = 0;
    let mut refused = 0;
    for text in STACKS {
        let base = in_every_workspace(text, "");
        assert!(errors(&base).is_empty(), "{:?}", errors(&base));
        for (entry, span, attrs) in blocks(text) {
            if entry.block == "workspace" {
                continue;
            }
            let name = target(text, entry, span);
            for (attr_name, attr_span) in &attrs {
                let attr = entry.attr(attr_name).unwrap();
                assert_eq!(
                    attr.overridable,
                    attr.fixed_because.is_empty(),
                    "{} {attr_name}: a reason exactly when it is not overridable",
                    entry.block
                );
                let written = &text[attr_span.start..attr_span.end];
                let value = written.split_once('=').unwrap().1.trim();
                let same = in_every_workspace(text, &format!("{name}.{attr_name} = {value}"));
                let mut found = codes(&same);
                // One VPN gateway written into every workspace of a stack with several is
                // attached twice: PMG1009's business, not the override's.
                if attr_name == "gateway" {
                    found.retain(|c| c != "PMG1009");
                }
                // Written in a workspace that does not own the database's data cutover (the
                // payment stack's `legacy-sync`), a service may not write it.
                if attr_name == "reads" {
                    found.retain(|c| c != "PMG0830");
                }
                if attr.overridable {
                    assert!(found.is_empty(), "{name}.{attr_name} = {value}: {found:?}");
                    overridden += 1;
                    // A wrong value: the same problems as in the block itself.
                    for wrong in ["\"x y\"", "42", "blue", "[1]"] {
                        let in_block = with_attr(&base, span, &attrs, attr_name, wrong);
                        let by_workspace =
                            in_every_workspace(text, &format!("{name}.{attr_name} = {wrong}"));
                        assert_eq!(
                            codes(&by_workspace),
                            codes(&in_block),
                            "{name}.{attr_name} = {wrong}"
                        );
                    }
                } else {
                    assert_eq!(found, ["PMG1008"], "{name}.{attr_name} = {value}");
                    refused += 1;
                }
            }
        }
    }
    assert!(
        overridden > 40 && refused >= 3,
        "{overridden} overridden, {refused} refused"
    );
}
