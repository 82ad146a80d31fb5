//! Rules on the names themselves, checked once per file on the declarations:
//!
//! - two block names that become one Terraform address (`-` is written `_`) or one AWS name
//!   (`_` is written `-`, and RDS and DMS keep identifiers in lowercase), or two workspace names
//!   that become one directory on a case-insensitive file system (PMG0608), never a silent merge;
//! - workspace names that cannot be a directory everywhere: too long, or a name Windows
//!   reserves (PMG1003);
//! - inputs and tags named like secrets (PMG0703): their values land in plain text in the
//!   Terraform variables, the plan and the state, so a secret belongs in an `existing secret`;
//! - inputs named like a workspace setting (`state`, `account`, PMG1009), which no workspace
//!   could set.

mod diagnostics;
pub(crate) use diagnostics::{InputNamedLikeSetting, NameClash, SecretLookingName, WorkspaceName};

use super::error::CheckError;
use super::names::{Decl, Declarations, Kind};
use crate::diag::at;
use crate::syntax::ast::{Ident, TermKind};
use std::collections::BTreeMap;

/// What a workspace sets by keyword, and what each is: an input of one of these names could
/// never be set by a workspace (PMG1009).
pub(crate) const SETTINGS: &[(&str, &str)] = &[
    ("state", "where the workspace keeps its state"),
    ("account", "the AWS account the workspace is applied to"),
];

/// The longest workspace name: far below the 255 bytes a file name may have, so that the
/// directory, and the paths under it, stay usable everywhere.
pub(crate) const MAX_WORKSPACE_NAME: usize = 64;

/// Names Windows reserves for devices, in any case and with any extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// What is wrong with `name` as an SQL identifier AWS takes (a master user name, a database
/// name): 1 to `max` ASCII letters, digits and `_`, starting with a letter, none of `reserved`
/// (compared in lowercase); `what` names the engine in the length message.
pub(crate) fn sql_identifier_problem(
    name: &str,
    max: usize,
    what: &str,
    reserved: &[&str],
    reserved_why: &str,
) -> Option<String> {
    if name.is_empty() || name.len() > max {
        Some(format!(
            "is {} characters; {what} allows 1 to {max}",
            name.len()
        ))
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("does not start with a letter".to_string())
    } else if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        Some(format!("holds `{c}`"))
    } else if reserved.contains(&name.to_ascii_lowercase().as_str()) {
        Some(reserved_why.to_string())
    } else {
        None
    }
}

/// A name as it appears in Terraform addresses.
pub(crate) fn address_key(name: &str) -> String {
    name.replace('-', "_")
}

/// A name as it appears in AWS names (compared as AWS compares them, ignoring case).
pub(crate) fn aws_key(name: &str) -> String {
    name.to_ascii_lowercase().replace('_', "-")
}

pub(crate) fn check(decls: &Declarations, errors: &mut Vec<CheckError>) {
    block_clashes(decls, errors);
    workspaces(decls, errors);
    secret_names(decls, errors);
    settings(decls, errors);
}

/// An input named like what a workspace sets by keyword (`state`, `account`): a workspace's
/// `state = …` sets its state, so the input could never be given a value there (PMG1009).
fn settings(decls: &Declarations, errors: &mut Vec<CheckError>) {
    for decl in decls.of_kind(&[Kind::Input]) {
        let name = decl.name.text.as_str();
        if let Some((_, what)) = SETTINGS.iter().find(|(s, _)| *s == name) {
            errors.push(InputNamedLikeSetting {
                name: name.to_string(),
                at: at(decl.name.span),
                what: what.to_string(),
                help: Some(format!(
                    "rename the input (`{name}_name`, say) and its uses: no workspace could give it a value"
                )),
            }.into());
        }
    }
}

fn block_clashes(decls: &Declarations, errors: &mut Vec<CheckError>) {
    // The first block with each key, so that a stack with thousands of blocks is checked in
    // one pass. The same name twice is PMG0604, not a clash.
    let mut by_address: BTreeMap<String, &Decl> = BTreeMap::new();
    let mut by_aws: BTreeMap<String, &Decl> = BTreeMap::new();
    let blocks = decls
        .decls
        .iter()
        .filter(|d| !matches!(d.kind, Kind::Input | Kind::Unknown));
    for later in blocks {
        let b = later.name.text.as_str();
        let (address, aws) = (address_key(b), aws_key(b));
        let clash = match (by_address.get(&address), by_aws.get(&aws)) {
            (Some(earlier), _) if earlier.name.text != b => Some((
                *earlier,
                "the Terraform name",
                address.clone(),
                "Terraform addresses write `-` as `_`, so one block's resources would take the place of the other's",
            )),
            (_, Some(earlier)) if earlier.name.text != b => Some((
                *earlier,
                "the AWS name part",
                aws.clone(),
                "AWS names write `_` as `-` and many ignore case (RDS and DMS keep identifiers in lowercase), so the two would clash in AWS",
            )),
            _ => None,
        };
        by_address.entry(address).or_insert(later);
        by_aws.entry(aws).or_insert(later);
        if let Some((earlier, what, common, why)) = clash {
            errors.push(
                NameClash {
                    kind_a: earlier.kind.noun().into(),
                    a: earlier.name.text.clone(),
                    kind_b: later.kind.noun().into(),
                    b: b.to_string(),
                    what: what.into(),
                    common,
                    at: at(later.name.span),
                    other: at(earlier.name.span),
                    help: Some(format!("{why}; rename one of them")),
                }
                .into(),
            );
        }
    }
}

fn workspaces(decls: &Declarations, errors: &mut Vec<CheckError>) {
    let mut by_folded: BTreeMap<String, &Ident> = BTreeMap::new();
    for (name, _) in &decls.workspaces {
        let text = name.text.as_str();
        let folded = text.to_ascii_lowercase();
        match by_folded.get(&folded) {
            // The same name twice is PMG0604.
            Some(first) if first.text != text => errors.push(NameClash {
                kind_a: "workspace".into(),
                a: first.text.clone(),
                kind_b: "workspace".into(),
                b: text.to_string(),
                what: "the directory".into(),
                common: folded.clone(),
                at: at(name.span),
                other: at(first.span),
                help: Some("macOS and Windows ignore case in file names, so both workspaces would be built into one directory; rename one of them".into()),
            }.into()),
            Some(_) => {}
            None => {
                by_folded.insert(folded, name);
            }
        }
        workspace_name(name, errors);
    }
}

/// A workspace is built into a directory of its name.
fn workspace_name(name: &Ident, errors: &mut Vec<CheckError>) {
    let text = name.text.as_str();
    let stem = text.split('.').next().unwrap_or(text).to_ascii_lowercase();
    let (problem, label, help) = if text.len() > MAX_WORKSPACE_NAME {
        (
            format!("is {} characters long", text.len()),
            format!("a workspace name has at most {MAX_WORKSPACE_NAME} characters"),
            "it names the directory the workspace is built into; use a short name such as `aws-production`",
        )
    } else if RESERVED.contains(&stem.as_str()) {
        (
            "is a device name on Windows".to_string(),
            "Windows cannot create a directory of this name".to_string(),
            "it names the directory the workspace is built into; add a word, e.g. `aux-site`",
        )
    } else {
        return;
    };
    // Never echo a huge name whole: the message shows its start.
    let shown: String = text.chars().take(MAX_WORKSPACE_NAME).collect();
    let shown = if shown.len() < text.len() {
        format!("{shown}…")
    } else {
        shown
    };
    errors.push(
        WorkspaceName {
            name: shown,
            problem,
            at: at(name.span),
            label,
            help: Some(help.into()),
        }
        .into(),
    );
}

/// The secret a name seems to hold (`password`, `private key`, ...), judged on its words:
/// `db_password`, `dbPassword`, `DB-PASSWORD` and `api_key` do; `passenger` does not.
pub(crate) fn secret_word(name: &str) -> Option<&'static str> {
    const WORDS: &[(&str, &str)] = &[
        ("password", "password"),
        ("passwords", "password"),
        ("passwd", "password"),
        ("pwd", "password"),
        ("passphrase", "passphrase"),
        ("secret", "secret"),
        ("secrets", "secret"),
        ("token", "token"),
        ("tokens", "token"),
        ("credential", "credential"),
        ("credentials", "credential"),
        ("creds", "credential"),
        ("apikey", "API key"),
        ("privatekey", "private key"),
        ("accesskey", "access key"),
    ];
    const PAIRS: &[(&str, &str, &str)] = &[
        ("private", "key", "private key"),
        ("api", "key", "API key"),
        ("access", "key", "access key"),
    ];
    let words = words(name);
    for word in &words {
        if let Some((_, what)) = WORDS.iter().find(|(w, _)| w == word) {
            return Some(what);
        }
    }
    for pair in words.windows(2) {
        if let [a, b] = pair
            && let Some((_, _, what)) = PAIRS.iter().find(|(x, y, _)| x == a && y == b)
        {
            return Some(what);
        }
    }
    None
}

/// The lowercase words of a name: split at anything but a letter or digit, and where a
/// lowercase letter or digit meets an uppercase one (`dbPassword`).
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn secret_names(decls: &Declarations, errors: &mut Vec<CheckError>) {
    let help = "keep secrets in AWS Secrets Manager: declare `existing secret NAME { name = \"...\", keys = [...] }` and refer to `NAME.KEY` where a password is needed; if this is no secret, choose a name that does not say it is";
    for decl in decls.of_kind(&[Kind::Input]) {
        if let Some(what) = secret_word(&decl.name.text) {
            errors.push(SecretLookingName {
                what: "input".into(),
                name: decl.name.text.clone(),
                at: at(decl.name.span),
                reason: format!(
                    "named like a {what}: an input's value is written in plain text into the Terraform variables, the plan and the state"
                ),
                help: Some(help.into()),
            }.into());
        }
    }
    let Some((_, stack)) = decls.stack else {
        return;
    };
    // The stack's tags, and those a workspace gives it instead (`stack.tags = {…}`).
    let overrides = decls
        .workspaces
        .iter()
        .flat_map(|(_, w)| &w.attrs)
        .filter(|a| {
            a.key.len() == 2 && a.key_text() == format!("{}.tags", super::names::STACK_TARGET)
        });
    let tags = stack
        .attrs
        .iter()
        .filter(|a| a.key_text() == crate::registry::stack::TAGS.name())
        .chain(overrides)
        .filter_map(|a| a.value.single());
    for term in tags {
        let TermKind::Map(entries) = &term.kind else {
            continue;
        };
        for entry in entries {
            let key = entry.key_text();
            if let Some(what) = secret_word(&key) {
                errors.push(SecretLookingName {
                    what: "tag".into(),
                    name: key,
                    at: at(entry.key_span),
                    reason: format!(
                        "named like a {what}: tags are readable by anyone who can list the resources"
                    ),
                    help: Some(help.into()),
                }.into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_words_are_found_on_word_parts_in_any_case() {
        for name in [
            "db_password",
            "dbPassword",
            "DB-PASSWORD",
            "passwd",
            "api_key",
            "apiKey",
            "ApiKey",
            "private-key",
            "privateKey",
            "PRIVATE_KEY",
            "github_token",
            "aws-credentials",
            "client_secret",
            "SECRET",
        ] {
            assert!(secret_word(name).is_some(), "{name} passed");
        }
        for name in [
            "passenger",
            "environment_suffix",
            "traffic_weight",
            "keyboard",
            "secretary",
            "tokenizer",
            "cost-center",
            "key",
            "private",
        ] {
            assert_eq!(secret_word(name), None, "{name} refused");
        }
    }

    #[test]
    fn the_keys_are_what_terraform_and_aws_write() {
        assert_eq!(address_key("api-v2"), address_key("api_v2"));
        assert_eq!(aws_key("Api_V2"), "api-v2");
    }
}
