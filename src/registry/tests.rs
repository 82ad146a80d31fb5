//! The block registry (`pmigc::registry`) against the checker (unit tests, moved from the test
//! binary: they read the parser's tree, `lower`'s JSON and `aws::names`, which are not public):
//! for every block of two stacks, every attribute the registry lists is accepted, every required one is required, every
//! allowed value and every default is accepted, and the top-level keywords agree with the
//! parser's. The registry is what hover and completion show, so a wrong entry would be a lie
//! told in the editor.

use crate::common;
use pmigc::diag::Code;
use pmigc::registry::{self, Block};
use pmigc::syntax::ast::{Item, Span};

const STACKS: &[&str] = &[
    include_str!("../../stacks/payment.pmig"),
    include_str!("../../tests/cases/ok/minimal-service.pmig"),
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

/// A stack's errors: each one's code, and `CODE: message` to read in a failure.
fn errors(text: &str) -> Vec<(Code, String)> {
    pmigc::check_source(text)
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code, format!("{}: {}", d.code, d.message)))
        .collect()
}

/// Whether `code` is of the family `prefix` names (`"PMG08"`: the migration's rules): a
/// family no registered code belongs to is a mistake of the test, not an empty filter.
fn in_family(code: Code, prefix: &str) -> bool {
    assert!(
        Code::ALL.iter().any(|c| c.as_str().starts_with(prefix)),
        "no registered code is of the family {prefix}"
    );
    code.as_str().starts_with(prefix)
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
                values.extend(
                    attr.default
                        .and_then(|d| default_written(d, text, &attrs))
                        .map(|d| d.to_string()),
                );
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
                        // Rules across blocks (migration, addresses, apply-time constraints,
                        // engine families) may refuse a value the block itself accepts.
                        .filter(|(code, _)| {
                            *code != Code::PMG0307
                                && ["PMG08", "PMG05", "PMG12"]
                                    .iter()
                                    .all(|family| !in_family(*code, family))
                        })
                        .map(|(_, e)| e)
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
                    assert!(errors(&edited).iter().any(|(c, _)| *c == Code::PMG0204));
                    continue;
                }
                let edited = format!("{}{}", &text[..span.start], &text[span.end..]);
                let missing = errors(&edited)
                    .into_iter()
                    .any(|(c, e)| c == Code::PMG0204 && e.contains(&format!("`{name}`")));
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
                errors(&edited)
                    .iter()
                    .any(|(c, e)| *c == Code::PMG0203 && e.contains("`colour`")),
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

/// The stack with `line` added to every workspace block (to a new one when it has none),
/// replacing the workspace's own line for the same setting (a setting given twice is PMG0205).
fn in_every_workspace(text: &str, line: &str) -> String {
    if let Some((key, _)) = line.split_once('=') {
        let key = key.trim();
        let kept: Vec<&str> = text
            .split_inclusive('\n')
            .filter(|l| {
                l.trim_start()
                    .split_once('=')
                    .is_none_or(|(k, _)| k.trim() != key)
            })
            .collect();
        let kept = kept.concat();
        if kept != text {
            return in_every_workspace(&kept, line);
        }
    }
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
fn codes(text: &str) -> Vec<Code> {
    let mut codes: Vec<Code> = pmigc::check_source(text)
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
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
                    found.retain(|c| *c != Code::PMG1009);
                }
                // Written in a workspace that does not own the database's data cutover (the
                // payment stack's `legacy-sync`), a service may not write it.
                if attr_name == "reads" {
                    found.retain(|c| *c != Code::PMG0830);
                }
                // Written in a workspace that does not manage a cutover (the payment stack's
                // `legacy-sync`), an override of the cutover changes nothing; the same for a
                // data cutover it does not own (PMG0845).
                found.retain(|c| *c != Code::PMG0834 && *c != Code::PMG0845);
                if attr.overridable {
                    assert!(found.is_empty(), "{name}.{attr_name} = {value}: {found:?}");
                    overridden += 1;
                    // A wrong value: the same problems as in the block itself.
                    for wrong in ["\"x y\"", "42", "blue", "[1]"] {
                        let in_block = with_attr(&base, span, &attrs, attr_name, wrong);
                        let by_workspace =
                            in_every_workspace(text, &format!("{name}.{attr_name} = {wrong}"));
                        let mut by_workspace = codes(&by_workspace);
                        by_workspace.retain(|c| *c != Code::PMG0834 && *c != Code::PMG0845);
                        assert_eq!(
                            by_workspace,
                            codes(&in_block),
                            "{name}.{attr_name} = {wrong}"
                        );
                    }
                } else {
                    assert_eq!(found, [Code::PMG1008], "{name}.{attr_name} = {value}");
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

// ---- the registry of derived names (`pmigc::derived`) against lowering ----

/// Every stack the derived-names registry is checked on: the shipped stacks, the golden
/// success cases, the payment stack with its other exposures, and a stack with enough services
/// for a second dashboard page. With the renames each is built with.
fn derived_stacks() -> Vec<(String, String, Vec<String>, std::path::PathBuf)> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for dir in ["stacks", "tests/cases/ok"] {
        let mut paths: Vec<_> = std::fs::read_dir(repo.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "pmig"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            all.push((path.display().to_string(), text, Vec::new(), repo.join(dir)));
        }
    }
    let payment = include_str!("../../stacks/payment.pmig");
    for (label, from, to) in [
        ("redirect", "with pay\n", "with pay, http = redirect\n"),
        ("forward", "with pay\n", "with pay, http = forward\n"),
        (
            "waf off",
            "with pay\n",
            "with pay, waf = off because \"a partner scanner fronts this API already\"\n",
        ),
    ] {
        let text = payment.replacen(from, to, 1);
        assert_ne!(text, payment, "{label}");
        all.push((label.into(), text, Vec::new(), repo.join("stacks")));
    }
    // A source only the data centre's DNS servers know: the network gets a DNS resolver.
    let resolved = payment
        .replacen(
            "  networks   = [192.168.0.0/16]\n",
            "  networks   = [192.168.0.0/16]\n  dns        = [\"192.168.0.2\", \"192.168.0.3\"]\n  domains    = [\"corp.example.com\"]\n",
            1,
        )
        .replacen("\"db.corp.example.com\"", "\"db1.shop.internal\"", 1);
    assert_eq!(resolved.matches("192.168.0.2").count(), 1);
    assert!(resolved.contains("db1.shop.internal"));
    all.push(("resolver".into(), resolved, Vec::new(), repo.join("stacks")));
    // Renamed blocks keep their names in AWS.
    let renamed = payment
        .replace("database ledger", "database books")
        .replace("= ledger\n", "= books\n")
        .replace("ledger.", "books.");
    all.push((
        "renamed".into(),
        renamed,
        vec!["ledger=books".into()],
        repo.join("stacks"),
    ));
    all.push((
        "500 services".into(),
        crate::synth::stack(500),
        Vec::new(),
        repo.join("stacks"),
    ));
    all
}

/// Every address of a root as Terraform spells it, the data sources inside checks included.
fn addresses(root: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let object = |v: &serde_json::Value| v.as_object().cloned().unwrap_or_default();
    for (section, prefix) in [
        ("resource", ""),
        ("data", "data."),
        ("ephemeral", "ephemeral."),
    ] {
        for (kind, blocks) in object(&root[section]) {
            for name in object(&blocks).keys() {
                out.push(format!("{prefix}{kind}.{name}"));
            }
        }
    }
    for name in object(&root["locals"]).keys() {
        out.push(format!("local.{name}"));
    }
    for name in object(&root["output"]).keys() {
        out.push(format!("output.{name}"));
    }
    for (name, check) in object(&root["check"]) {
        out.push(format!("check.{name}"));
        for (kind, blocks) in object(&check["data"]) {
            for inner in object(&blocks).keys() {
                out.push(format!("data.{kind}.{inner}"));
            }
        }
    }
    out.sort();
    out
}

/// The value at `argument` of a resource body: `tags.Name`, `access_logs.prefix`, and
/// `tag.KEY` for an Auto Scaling group's list of tags.
fn argument<'v>(body: &'v serde_json::Value, argument: &str) -> Option<&'v serde_json::Value> {
    if let Some(key) = argument.strip_prefix("tag.") {
        return body["tag"]
            .as_array()?
            .iter()
            .find(|t| t["key"] == key)
            .map(|t| &t["value"]);
    }
    argument.split('.').try_fold(body, |v, part| v.get(part))
}

/// Every string in a resource body that holds the stack's name, with its path.
fn named_strings(value: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) if s.contains("${local.name}") => out.push(path.into()),
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                named_strings(v, &p, out);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                named_strings(v, path, out);
            }
        }
        _ => {}
    }
}

/// The registry is everything a root holds: for every workspace of every stack, the addresses
/// the registry enumerates from the model alone are exactly the root's, no address is claimed
/// twice, every name the registry gives a resource is the one lowering wrote, and every string
/// of a resource built from the stack's name is one of the registry's names (or a policy,
/// which quotes them).
#[test]
fn the_derived_names_registry_is_exactly_what_lowering_writes() {
    let mut checked = 0;
    for (label, text, renamed, dir) in derived_stacks() {
        let mut reader = common::reader(dir);
        let compiled = pmigc::analyse(&text, &renamed, &mut reader, |_| {}).unwrap();
        assert!(
            !compiled.has_errors(),
            "{label}: {:#?}",
            compiled.diagnostics
        );
        for stack in &compiled.stacks {
            let ws = stack.workspace.name.as_str();
            let root = compiled.root(stack);
            assert!(
                root.conflicts().is_empty(),
                "{label}/{ws}: {:?}",
                root.conflicts()
            );
            let value = root.value();
            let derived = pmigc::derived::enumerate::all(stack, &compiled.renames);
            let mut enumerated: Vec<String> = derived.iter().map(|d| d.address.spelled()).collect();
            enumerated.sort();
            let mut unique = enumerated.clone();
            unique.dedup();
            assert_eq!(
                unique.len(),
                enumerated.len(),
                "{label}/{ws}: the registry enumerates an address twice"
            );
            assert_eq!(addresses(&value), enumerated, "{label}/{ws}");
            let mut covered: Vec<String> = Vec::new();
            for d in &derived {
                if d.address.section() != pmigc::derived::Section::Resource {
                    continue;
                }
                let body = &value["resource"][d.address.kind()][d.address.name()];
                let params: Vec<&str> = d.params.iter().map(String::as_str).collect();
                for named in d.row.names {
                    let expected = named.resolve(
                        &d.physical,
                        &params,
                        "${local.name}",
                        "${data.aws_caller_identity.current.account_id}",
                    );
                    let written = argument(body, named.argument);
                    assert_eq!(
                        written.and_then(|v| v.as_str()),
                        Some(expected.as_str()),
                        "{label}/{ws}: {} {}",
                        d.address.spelled(),
                        named.argument
                    );
                    covered.push(format!("{}:{}", d.address.spelled(), named.argument));
                    checked += 1;
                }
                let mut strings = Vec::new();
                named_strings(body, "", &mut strings);
                for path in strings {
                    let registered = covered.contains(&format!("{}:{path}", d.address.spelled()))
                        || d.row.names.iter().any(|n| {
                            n.argument.strip_prefix("tag.").is_some() && path == "tag.value"
                        });
                    // A boot parameter's value may be a database's writer or reader name,
                    // which that database's records derive (and the registry measures there).
                    let record_name = d.row.kind == "aws_ssm_parameter" && path == "insecure_value";
                    assert!(
                        registered
                            || record_name
                            || path == "policy"
                            || path.ends_with(".Resource"),
                        "{label}/{ws}: {} writes the stack's name in `{path}`, which the registry does not know",
                        d.address.spelled()
                    );
                }
            }
        }
    }
    assert!(checked > 1000, "{checked} names compared");
}

/// The tree a root is built in refuses a second claim of an address: the first stays, the
/// second is not written and is reported with both claimants (the CLI turns it into PMG0003,
/// and writes nothing).
#[test]
fn a_root_refuses_a_second_claim_of_an_address() {
    use pmigc::derived::table::service;
    use pmigc::lower::json::Json;
    let compiled = pmigc::analyse(
        include_str!("../../stacks/payment.pmig"),
        &[],
        &mut pmigc::no_files,
        |_| {},
    )
    .unwrap();
    let stack = &compiled.stacks[0];
    let mut root = compiled.root(stack);
    let api = &stack.services[0];
    let taken = service::ALB_GROUP.at(&api.name, &[]);
    let before = root.value()["resource"]["aws_security_group"]["api_alb"].clone();
    let intruder = pmigc::Origin {
        start: 1,
        end: 2,
        line: 1,
    };
    root.resource(&taken, Json::Text("intruder".into()), intruder);
    root.finish();
    let conflicts = root.conflicts();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].address, "aws_security_group.api_alb");
    assert_eq!(conflicts[0].first, api.origin);
    assert_eq!(conflicts[0].second, intruder);
    assert_eq!(
        root.value()["resource"]["aws_security_group"]["api_alb"],
        before
    );
}

/// The rows of `docs/names.md` between its markers: every row the stacks of `derived_stacks`
/// derive, by kind of block, and every rule of `aws::names`.
fn names_tables() -> String {
    use pmigc::aws::names as rules;
    use pmigc::derived::{Owner, Section};
    let mut rows: Vec<(String, String)> = Vec::new();
    for (_, text, renamed, dir) in derived_stacks() {
        let mut reader = common::reader(dir);
        let compiled = pmigc::analyse(&text, &renamed, &mut reader, |_| {}).unwrap();
        for stack in &compiled.stacks {
            for d in pmigc::derived::enumerate::all(stack, &compiled.renames) {
                let group = match d.owner {
                    Owner::Stack => "the `stack` block".to_string(),
                    Owner::Block(kind) => format!("{} blocks", kind.noun()),
                    Owner::Output => "outputs".to_string(),
                };
                let row = d.row;
                let prefix = match row.section {
                    Section::Resource => format!("{}.", row.kind),
                    Section::Data => format!("data.{}.", row.kind),
                    Section::Ephemeral => format!("ephemeral.{}.", row.kind),
                    Section::Local => "local.".into(),
                    Section::Check => "check.".into(),
                    Section::Output => "output.".into(),
                };
                let names: Vec<String> = row
                    .names
                    .iter()
                    .map(|n| {
                        format!(
                            "`{}` `{}` ({}, {})",
                            n.argument, n.pattern, n.rule.what, n.rule.max
                        )
                    })
                    .collect();
                let line = format!(
                    "| `{prefix}{}` | {} | {} |",
                    row.address,
                    if names.is_empty() {
                        "—".to_string()
                    } else {
                        names.join("<br>")
                    },
                    row.what.replace("{}", "the block")
                );
                if !rows.iter().any(|(_, l)| *l == line) {
                    rows.push((group, line));
                }
            }
        }
    }
    let mut out = String::new();
    let mut groups: Vec<&str> = Vec::new();
    for (group, _) in &rows {
        if !groups.contains(&group.as_str()) {
            groups.push(group);
        }
    }
    for group in groups {
        out.push_str(&format!(
            "\n### What {group} derive{}\n\n| Terraform address | names in AWS: argument, pattern (rule, at most) | what it is |\n|---|---|---|\n",
            if group.starts_with("the") { "s" } else { "" }
        ));
        for (_, line) in rows.iter().filter(|(g, _)| g == group) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("\n### AWS's rules\n\n| name | at most | unique within | case | takes | source |\n|---|---|---|---|---|---|\n");
    for rule in rules::ALL {
        let scope = match rule.scope {
            rules::Scope::None => "—",
            rules::Scope::Parent => "its resource",
            rules::Scope::Root => "a root (a VPC)",
            rules::Scope::Region => "a region of an account",
            rules::Scope::Account => "an account",
            rules::Scope::Global => "all of AWS",
        };
        out.push_str(&format!(
            "| {} | {} | {scope} | {} | {} | {} |\n",
            rule.what,
            rule.max,
            if rule.folds_case { "ignored" } else { "kept" },
            rule.rule,
            rule.source
        ));
    }
    out
}

/// `docs/names.md` lists what the registry derives: the tables between its markers are the
/// registry's rows and rules (`PMIGC_BLESS=1 cargo test registry::` rewrites them).
#[test]
fn docs_names_md_lists_every_derived_name_and_rule() {
    let path = common::repo("docs/names.md");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = (
        "<!-- BEGIN the registry -->\n",
        "<!-- END the registry -->\n",
    );
    let start = text.find(begin).unwrap() + begin.len();
    let stop = start + text[start..].find(end).unwrap();
    let wanted = names_tables();
    if text[start..stop] == wanted {
        return;
    }
    if std::env::var_os("PMIGC_BLESS").is_some_and(|v| v == "1") {
        text.replace_range(start..stop, &wanted);
        std::fs::write(&path, text).unwrap();
        return;
    }
    panic!(
        "docs/names.md's tables are not the registry's: `PMIGC_BLESS=1 cargo test registry::` rewrites them"
    );
}

/// One source of truth for AWS's name rules: every name the registry derives is an argument
/// the verifier measures (`aws::names::ARGUMENTS`), with the same rule (or a stricter one of
/// the same namespace: the WAF log group's), and every argument the verifier measures on a
/// resource type is one the registry derives.
#[test]
fn the_verifier_measures_every_derived_name_with_the_registrys_rule() {
    use pmigc::aws::names::ARGUMENTS;
    use pmigc::derived::Section;
    let mut used = std::collections::BTreeSet::new();
    for (label, text, renamed, dir) in derived_stacks() {
        let mut reader = common::reader(dir);
        let compiled = pmigc::analyse(&text, &renamed, &mut reader, |_| {}).unwrap();
        assert!(!compiled.stacks.is_empty(), "{label}");
        for stack in &compiled.stacks {
            for d in pmigc::derived::enumerate::all(stack, &compiled.renames) {
                if d.row.section != Section::Resource {
                    continue;
                }
                for n in d.row.names {
                    let Some(argument) = ARGUMENTS
                        .iter()
                        .find(|a| (a.kind == d.row.kind || a.kind == "*") && a.path == n.argument)
                    else {
                        panic!(
                            "{label}: the verifier does not measure `{}` of {}",
                            n.argument, d.row.kind
                        );
                    };
                    assert_eq!(
                        argument.rule.id, n.rule.id,
                        "{label}: `{}` of {} follows {} in the registry, {} in the verifier",
                        n.argument, d.row.kind, n.rule.what, argument.rule.what
                    );
                    used.insert((argument.kind, argument.path));
                }
            }
        }
    }
    for argument in ARGUMENTS {
        assert!(
            used.contains(&(argument.kind, argument.path)),
            "`{}` of {} is measured by the verifier but no block derives it",
            argument.path,
            argument.kind
        );
    }
}

/// The names a variant of a stack derives, as the checker refuses them (PMG1101, PMG1102,
/// each with what its message quotes) and as the verifier finds them in the roots lowered from the
/// same stack with the derived-name check left out (`names` findings, with what their
/// messages quote: the name, and the part refused, such as a DNS label).
fn refused_both_ways(text: &str) -> Option<(Vec<Vec<String>>, Vec<String>)> {
    let quoted = |message: &str| -> Vec<String> {
        message
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let (file, syntax) = pmigc::syntax::parse(text);
    assert!(syntax.is_empty(), "{syntax:?}");
    let full = pmigc::check::check_with(&file, text, &Default::default());
    let relaxed = pmigc::check::check_with(
        &file,
        text,
        &pmigc::check::Options {
            derived_names_unchecked: true,
            ..Default::default()
        },
    );
    // A variant refused for something else (the input's own type) says nothing of names.
    if relaxed.has_errors() {
        return None;
    }
    let checker: Vec<Vec<String>> = full
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .inspect(|d| {
            assert!(
                [Code::PMG1101, Code::PMG1102].contains(&d.code),
                "{}: {}",
                d.code,
                d.message
            )
        })
        .map(|d| quoted(&d.message))
        .collect();
    let verifier: Vec<String> = pmigc::verify::verify_stacks(&relaxed.stacks, &[])
        .into_iter()
        .filter(|(_, f)| f.rule == "names")
        .flat_map(|(_, f)| quoted(&f.message))
        .collect();
    Some((checker, verifier))
}

/// The checker refuses exactly the stacks whose roots the verifier would find a name AWS
/// refuses in, on the shipped stacks with generated names: a workspace suffix of every length
/// an input of type `name` takes, suffixes AWS's character rules refuse somewhere, longer
/// name patterns, and long block names. Each
/// name the checker shows is one the verifier finds (the checker shows the worst per block).
#[test]
fn the_checker_refuses_exactly_the_names_the_verifier_finds() {
    let mut variants: Vec<(String, String)> = Vec::new();
    for (stack, text, suffix) in [
        (
            "payment",
            include_str!("../../stacks/payment.pmig"),
            "environment_suffix = \"prod\"",
        ),
        (
            "orders",
            include_str!("../../stacks/orders.pmig"),
            "env             = \"prod\"",
        ),
    ] {
        assert!(text.contains(suffix), "{stack}");
        // An input of type `name` takes up to 24 characters (PMG1102 at the input otherwise).
        let mut suffixes: Vec<String> = (1..=24)
            .map(|n| "abcdefghij".repeat(3).get(..n).unwrap().to_string())
            .collect();
        suffixes.extend(["p-", "p--q", "P", "9p", "p_q", "p.q"].map(String::from));
        for s in suffixes {
            let variant = text.replacen(suffix, &suffix.replace("prod", &s), 1);
            variants.push((format!("{stack} with suffix {s:?}"), variant));
        }
        // The name pattern's own text, longer: `"orders-{env}"` → `"orders-zzzz-{env}"`.
        let pattern = format!("\"{stack}-");
        assert_eq!(
            text.matches(&format!("{pattern}{{")).count()
                + text.matches(&format!("{pattern}migration-{{")).count(),
            1,
            "{stack}"
        );
        for n in (4..=48).step_by(4) {
            let variant = text.replacen(&pattern, &format!("{pattern}{}-", "z".repeat(n)), 1);
            variants.push((format!("{stack} with its pattern {n} longer"), variant));
        }
    }
    let payment = include_str!("../../stacks/payment.pmig");
    for n in [10, 20, 30, 40, 45, 50, 55, 60] {
        let long = format!("ledger{}", "x".repeat(n));
        let variant = payment
            .replace("database ledger", &format!("database {long}"))
            .replace("= ledger", &format!("= {long}"))
            .replace("ledger.", &format!("{long}."));
        variants.push((format!("payment with database {long}"), variant));
        let long = format!("api{}", "y".repeat(n));
        let variant = payment
            .replace("service api", &format!("service {long}"))
            .replace("= api", &format!("= {long}"))
            .replace("api.", &format!("{long}."));
        variants.push((format!("payment with service {long}"), variant));
    }
    let (mut refused, mut accepted) = (0, 0);
    for (label, text) in &variants {
        let Some((checker, verifier)) = refused_both_ways(text) else {
            continue;
        };
        assert_eq!(
            checker.is_empty(),
            verifier.is_empty(),
            "{label}: the checker refuses {checker:?}, the verifier finds {verifier:?}"
        );
        for names in &checker {
            assert!(
                names.iter().any(|n| verifier.contains(n)),
                "{label}: the checker refuses {names:?}, the verifier finds {verifier:?}"
            );
        }
        if checker.is_empty() {
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    assert!(
        refused >= 40 && accepted >= 20,
        "refused {refused}, accepted {accepted}"
    );
}

/// Every stack of `stacks/` and `tests/cases/ok/`, with the directory its files are read in.
fn every_stack() -> Vec<(String, String, std::path::PathBuf)> {
    let mut found = Vec::new();
    for dir in ["stacks", "tests/cases/ok"] {
        let dir = common::repo(dir);
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "pmig"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            found.push((path.display().to_string(), text, dir.clone()));
        }
    }
    found
}

/// What a stack compiles to: its errors, and every file of every workspace's root. (Warnings
/// may differ: writing `http = off` where it has no effect is PMG0617, leaving it out is not.)
fn compiled(text: &str, dir: &std::path::Path) -> (Vec<String>, Vec<(String, String)>) {
    let checked = pmigc::check_source_with(text, &mut common::reader(dir.to_path_buf()));
    let diagnostics = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    let mut files = Vec::new();
    if !checked.has_errors() {
        for stack in &checked.stacks {
            for (file, text) in pmigc::emit::render_files(&pmigc::root_of(stack, &[]).unwrap()) {
                files.push((format!("{}/{file}", stack.workspace.name), text));
            }
        }
    }
    (diagnostics, files)
}

/// The default written as a value of this block (the master user name is its engine's).
fn default_written(
    default: registry::Default,
    text: &str,
    attrs: &[(String, Span)],
) -> Option<String> {
    match default {
        registry::Default::EngineUsername => {
            let (_, span) = attrs.iter().find(|(n, _)| n == "engine")?;
            let written = &text[span.start..span.end];
            let profile = pmigc::engine::ENGINES
                .iter()
                .find(|p| written.contains(&format!("{} ", p.keyword)))?;
            Some(format!("\"{}\"", profile.default_username))
        }
        // Only a service's own internet-facing load balancer has the default.
        registry::Default::InternetFacing(word) => {
            let (_, span) = attrs.iter().find(|(n, _)| n == "exposed")?;
            let exposed = &text[span.start..span.end];
            let own_internet_facing =
                !exposed.contains("= internal") && !exposed.contains("= path");
            own_internet_facing.then(|| word.to_string())
        }
        other => Some(other.to_string()),
    }
}

/// A default is the default: for every attribute with one, in every block of every shipped
/// stack and success case, the stack without the attribute and the stack with the default
/// written compile to the same errors and byte-identical roots.
#[test]
fn every_default_is_what_leaving_the_attribute_out_builds() {
    let mut proven: std::collections::BTreeSet<(&str, &str)> = Default::default();
    for (path, text, dir) in every_stack() {
        for (entry, span, attrs) in blocks(&text) {
            for attr in entry.attrs {
                let Some(default) = attr.default else {
                    continue;
                };
                let without = match attrs.iter().find(|(n, _)| n == attr.name) {
                    Some((_, at)) => format!("{}{}", &text[..at.start], &text[at.end..]),
                    None => text.clone(),
                };
                let Some(value) = default_written(default, &text, &attrs) else {
                    continue;
                };
                let (_, block_span, block_attrs) = blocks(&without)
                    .into_iter()
                    .find(|(_, s, _)| s.start == span.start)
                    .unwrap();
                let with = with_attr(&without, block_span, &block_attrs, attr.name, &value);
                let left_out = compiled(&without, &dir);
                let written = compiled(&with, &dir);
                assert!(
                    left_out == written,
                    "{path}: {} `{}` left out is not `{} = {value}`:\n{:?}\n{:?}",
                    entry.block,
                    attr.name,
                    attr.name,
                    left_out.0,
                    written.0,
                );
                if !left_out.1.is_empty() {
                    proven.insert((entry.block, attr.name));
                }
            }
        }
    }
    // Every default the registry lists was compared on a stack that builds, at least once.
    let every_block = [
        &registry::STACK,
        &registry::VPN,
        &registry::SECRET,
        &registry::CERTIFICATE,
        &registry::NETWORK,
        &registry::DATABASE,
        &registry::SERVICE,
        &registry::REPLICATION,
        &registry::CUTOVER,
        &registry::DATA_CUTOVER,
        &registry::DASHBOARD,
        &registry::WORKSPACE,
    ];
    for entry in every_block {
        for attr in entry.attrs.iter().filter(|a| a.default.is_some()) {
            assert!(
                proven.contains(&(entry.block, attr.name)),
                "no stack builds with {} `{}` left out and written: add one",
                entry.block,
                attr.name
            );
        }
    }
}
