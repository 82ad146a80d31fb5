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

use serde_json::Value;

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
pub struct Input<'a> {
    pub root: &'a root::Root,
    pub net: &'a net::Net,
    pub intent: &'a Intent,
}

/// A rule over one root.
pub struct Rule {
    pub id: &'static str,
    /// What it proves, for `docs/verify.md` and `pmigc verify --rules`.
    pub doc: &'static str,
    pub check: fn(&Input, &mut Vec<Finding>),
}

/// A rule over every root of one build, grouped by account.
pub struct AccountRule {
    pub id: &'static str,
    pub doc: &'static str,
    pub check: fn(&[Workspace], &mut Vec<(usize, Finding)>),
}

pub use rules::{ACCOUNT_RULES, RULES};

/// One workspace's root as read from its files.
pub struct Workspace {
    pub name: String,
    pub root: root::Root,
    pub net: net::Net,
    pub intent: Intent,
    /// `sourcemap.json`'s `addresses`: address → (start, end, line) in the stack.
    pub sources: std::collections::HashMap<String, (usize, usize, usize)>,
}

impl Workspace {
    /// Reads a workspace from its `main.tf.json` and `sourcemap.json` values.
    pub fn read(name: &str, main: &Value, sourcemap: &Value) -> Workspace {
        Workspace::read_owned(name, main.clone(), sourcemap)
    }

    /// [`Workspace::read`], taking the root's value.
    pub fn read_owned(name: &str, main: Value, sourcemap: &Value) -> Workspace {
        let root = root::Root::read(main);
        let net = net::Net::read(&root);
        let intent = sourcemap
            .get("intent")
            .map(Intent::read)
            .unwrap_or_default();
        let sources = sourcemap
            .get("addresses")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(address, at)| {
                        let n = |k: &str| {
                            at.get(k)
                                .and_then(Value::as_u64)
                                .and_then(|v| usize::try_from(v).ok())
                        };
                        Some((address.clone(), (n("start")?, n("end")?, n("line")?)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Workspace {
            name: name.to_string(),
            root,
            net,
            intent,
            sources,
        }
    }

    /// Where in the stack the first of `resources` that the source map knows came from.
    pub fn origin(&self, resources: &[String]) -> Option<(usize, usize, usize)> {
        resources
            .iter()
            .find_map(|r| self.sources.get(r.as_str()).copied())
    }
}

/// Every finding on one root.
pub fn check_root(workspace: &Workspace) -> Vec<Finding> {
    let input = Input {
        root: &workspace.root,
        net: &workspace.net,
        intent: &workspace.intent,
    };
    let mut findings = Vec::new();
    for rule in RULES {
        (rule.check)(&input, &mut findings);
    }
    findings
}

/// Every finding on the roots of one build: each root's, then those across the roots of one
/// account, as (index of the workspace, finding), in a stable order.
pub fn check_all(workspaces: &[Workspace]) -> Vec<(usize, Finding)> {
    let mut all: Vec<(usize, Finding)> = Vec::new();
    for (i, workspace) in workspaces.iter().enumerate() {
        all.extend(check_root(workspace).into_iter().map(|f| (i, f)));
    }
    for rule in ACCOUNT_RULES {
        (rule.check)(workspaces, &mut all);
    }
    all
}

/// Verifies the roots of a compiled stack's workspaces as pmigc emits them (the bytes of
/// `main.tf.json` and `sourcemap.json`, read back as JSON): every finding, by workspace
/// index. `build` does the same from the staged files.
pub fn verify_stacks(
    stacks: &[crate::model::Stack],
    renames: &[(crate::model::Name, crate::model::Name)],
) -> Vec<(usize, Finding)> {
    let workspaces: Vec<Workspace> = stacks
        .iter()
        .map(|stack| {
            let root = crate::lower::lower_renamed(stack, renames);
            let mut main = Vec::new();
            // Writing into memory cannot fail.
            let _ = crate::emit::write_main(&root, &mut main);
            let intent = intent::of(stack);
            let sources = crate::emit::render_sources_with(&root, "", Some(&intent));
            read_workspace(stack.workspace.name.as_str(), &main, sources.as_bytes())
        })
        .collect();
    check_all(&workspaces)
}

/// A workspace from the bytes of its two files; a file that is not JSON reads as empty (and
/// its root then fails the rules that look for what it should hold).
pub fn read_workspace(name: &str, main: &[u8], sourcemap: &[u8]) -> Workspace {
    let main: Value = serde_json::from_slice(main).unwrap_or(Value::Null);
    let sourcemap: Value = serde_json::from_slice(sourcemap).unwrap_or(Value::Null);
    Workspace::read_owned(name, main, &sourcemap)
}

/// A finding as a diagnostic of the stack: pmigc's own bug (PMG0002), labelled at the block
/// the first resource named came from.
pub fn internal_diagnostic(workspace: &Workspace, finding: &Finding) -> crate::diag::Diagnostic {
    let (start, end, _) = workspace.origin(&finding.resources).unwrap_or((0, 0, 0));
    crate::diag::Diagnostic::from_report(&crate::check::error::CheckError::Unverified {
        workspace: workspace.name.clone(),
        rule: finding.rule.to_string(),
        message: finding.message.clone(),
        at: miette::SourceSpan::from(start..end),
        resources: finding.resources.join(", "),
    })
}

#[cfg(test)]
mod tests;
