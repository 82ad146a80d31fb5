//! The verifier: a second, independent reading of the emitted roots (DESIGN.md §7).
//!
//! It reads `main.tf.json` as JSON — never the model the checker approved — with the intent
//! `sourcemap.json` carries beside it ([`intent`]), builds the root's network and permission
//! picture ([`net`], `rules::iam`) and proves, rule by rule, that what AWS would do with the
//! root is what the stack means: every meant flow has a path there and back, nothing else
//! reaches a database or an instance, every API call is reachable and allowed and no role is
//! broader than its calls, every name and value is one AWS accepts ([`crate::aws`]), and over
//! the workspaces of one account nothing AWS allows once is created twice.
//!
//! Each rule is a function in `rules/` with a stable id and its doc ([`RULES`],
//! [`ACCOUNT_RULES`]); adding a rule is one entry there. Every rule is linear in the size of
//! the root: the picture is indexed once ([`Input`]).
//!
//! A finding on a root pmigc built from a stack its checker accepted is pmigc's bug: `build`
//! reports it as the internal error PMG0002 and writes nothing. `pmigc verify DIR` reports
//! findings on roots as they are on disk (edited by hand, say) by rule id.

pub mod intent;
pub mod net;
pub mod root;
mod rules;

use crate::check::internal::Unverified;
use serde_json::Value;
use std::collections::HashMap;

pub use intent::Intent;

/// Something AWS would do differently from what the stack means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's stable id (`reach.flow`).
    pub rule: &'static str,
    pub message: String,
    /// The resources involved, the one to point at first.
    pub resources: Vec<String>,
}

/// What a rule reads: one root, its network picture and its intent.
pub struct Input<'r, 'a> {
    pub root: &'r root::Root<'a>,
    pub net: &'r net::Net,
    pub intent: &'r Intent,
    /// The roles' uses and policies, read once for the two IAM rules.
    pub(crate) roles: std::cell::OnceCell<rules::Roles>,
}

/// A rule over one root.
pub struct Rule {
    pub id: &'static str,
    /// What it proves, for `docs/verify.md` and `pmigc verify --rules`.
    pub doc: &'static str,
    pub check: fn(&Input, &mut Vec<Finding>),
}

/// A rule over every root of one build, grouped by account: it reads what each root holds
/// that matters across roots ([`Facts`]), so a root need not be kept once verified.
pub struct AccountRule {
    pub id: &'static str,
    pub doc: &'static str,
    pub check: fn(&[Facts], &mut Vec<(usize, Finding)>),
}

pub use rules::{ACCOUNT_RULES, Facts, RULES};

/// One workspace's root as read from its bytes (which it borrows), with its intent.
pub struct Workspace<'a> {
    pub name: String,
    pub root: root::Root<'a>,
    pub net: net::Net,
    pub intent: Intent,
}

impl<'a> Workspace<'a> {
    /// Reads a workspace from the bytes of its `main.tf.json` and its intent; a file that is
    /// not JSON reads as an empty root (which then fails the rules that look for what it
    /// should hold).
    pub fn read(name: &str, main: &'a [u8], intent: Intent) -> Workspace<'a> {
        Workspace::of(name, root::Root::read(main), intent)
    }

    /// A workspace of a root already read.
    pub fn of(name: &str, root: root::Root<'a>, intent: Intent) -> Workspace<'a> {
        let net = net::Net::read(&root);
        Workspace {
            name: name.to_string(),
            root,
            net,
            intent,
        }
    }

    /// What the account rules need of this root.
    pub fn facts(&self) -> Facts {
        Facts::of(self)
    }
}

/// The intent `sourcemap.json` carries (none when it carries none, or is not JSON).
pub fn read_intent(sourcemap: &[u8]) -> Intent {
    member(sourcemap, "intent")
        .map(|intent| Intent::read(&intent))
        .unwrap_or_default()
}

/// One member of a JSON object's bytes, read alone (the others are only scanned).
pub fn member(bytes: &[u8], key: &str) -> Option<Value> {
    let text = std::str::from_utf8(bytes).ok()?;
    root::members(text)?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.value())
}

/// Where the addresses of a root came from in the stack: `sourcemap.json`'s `addresses`,
/// address → (start, end, line).
#[derive(Debug, Default)]
pub struct Origins(HashMap<String, (usize, usize, usize)>);

impl Origins {
    /// Reads them from `sourcemap.json`'s bytes (none when it is not JSON).
    pub fn read(sourcemap: &[u8]) -> Origins {
        let Some(Value::Object(addresses)) = member(sourcemap, "addresses") else {
            return Origins::default();
        };
        Origins(
            addresses
                .iter()
                .filter_map(|(address, at)| {
                    let n = |k: &str| {
                        at.get(k)
                            .and_then(Value::as_u64)
                            .and_then(|v| usize::try_from(v).ok())
                    };
                    Some((address.clone(), (n("start")?, n("end")?, n("line")?)))
                })
                .collect(),
        )
    }

    /// Where in the stack the first of `resources` that the source map knows came from.
    pub fn of(&self, resources: &[String]) -> Option<(usize, usize, usize)> {
        resources
            .iter()
            .find_map(|r| self.0.get(r.as_str()).copied())
    }
}

/// Every finding on one root.
pub fn check_root(workspace: &Workspace) -> Vec<Finding> {
    let input = Input {
        root: &workspace.root,
        net: &workspace.net,
        intent: &workspace.intent,
        roles: std::cell::OnceCell::new(),
    };
    let mut findings = Vec::new();
    for rule in RULES {
        (rule.check)(&input, &mut findings);
    }
    findings
}

/// Every finding across the roots of one build, from each root's [`Facts`], as (index of the
/// workspace, finding), in a stable order.
pub fn check_accounts(facts: &[Facts]) -> Vec<(usize, Finding)> {
    let mut all = Vec::new();
    for rule in ACCOUNT_RULES {
        (rule.check)(facts, &mut all);
    }
    all
}

/// Every finding on the roots of one build: each root's, then those across the roots of one
/// account, as (index of the workspace, finding), in a stable order.
pub fn check_all(workspaces: &[Workspace]) -> Vec<(usize, Finding)> {
    let mut all: Vec<(usize, Finding)> = Vec::new();
    for (i, workspace) in workspaces.iter().enumerate() {
        all.extend(check_root(workspace).into_iter().map(|f| (i, f)));
    }
    let facts: Vec<Facts> = workspaces.iter().map(Workspace::facts).collect();
    all.extend(check_accounts(&facts));
    all
}

/// Verifies the roots of a compiled stack's workspaces as pmigc emits them (the bytes of
/// `main.tf.json`, with the intent `sourcemap.json` carries): every finding, by workspace
/// index. `build` does the same from the staged files.
pub fn verify_stacks(
    stacks: &[crate::model::Stack],
    renames: &[(crate::model::Name, crate::model::Name)],
) -> Vec<(usize, Finding)> {
    let emitted: Vec<(Vec<u8>, Intent)> = stacks
        .iter()
        .map(|stack| {
            let root = crate::lower::lower_renamed(stack, renames);
            let mut main = Vec::new();
            // Writing into memory cannot fail.
            let _ = crate::emit::write_main(&root, &mut main);
            let intent = intent::of(stack);
            let sources = crate::emit::render_sources_with(&root, "", Some(&intent));
            (main, read_intent(sources.as_bytes()))
        })
        .collect();
    let workspaces: Vec<Workspace> = stacks
        .iter()
        .zip(&emitted)
        .map(|(stack, (main, intent))| {
            Workspace::read(stack.workspace.name.as_str(), main, intent.clone())
        })
        .collect();
    check_all(&workspaces)
}

/// A finding as a diagnostic of the stack: pmigc's own bug (PMG0002), labelled at the block
/// the first resource named came from.
pub fn internal_diagnostic(
    workspace: &str,
    origins: &Origins,
    finding: &Finding,
) -> crate::diag::Diagnostic {
    let (start, end, _) = origins.of(&finding.resources).unwrap_or((0, 0, 0));
    crate::diag::Diagnostic::from_report(&Unverified {
        workspace: workspace.to_string(),
        rule: finding.rule.to_string(),
        message: finding.message.clone(),
        at: miette::SourceSpan::from(start..end),
        resources: finding.resources.join(", "),
    })
}

#[cfg(test)]
mod tests;
