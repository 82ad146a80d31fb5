//! Workspaces and outputs. A workspace may set inputs (`traffic_weight = 0%`), override a
//! block's attribute (`api.capacity = 2..4`, `pay.domain = "…"`, the stack block's by its
//! keyword: `stack.tags = {…}`) and choose where its state lives (`state = s3 "bucket" "key"`)
//! and which AWS account it is applied to (`account = "…"`, shared by every workspace that does
//! not say); every override is checked exactly like the original. What a workspace may
//! override is the registry's `overridable`; anything else is PMG1008, with the registry's
//! reason.

mod diagnostics;
pub(crate) use diagnostics::{BadStateLocation, NotOverridable, UnknownOverride};

use super::context::{Ctx, Schema};
use super::error::replace;
use super::names::{Declarations, Declared, Kind, STACK_TARGET};
use crate::check::context::DuplicateAttribute;
use crate::check::mismatch::TypeMismatch;
use crate::check::names::UnknownMember;
use crate::diag::{at, did_you_mean};
use crate::model::{self, Backend, Output, OutputValue};
use crate::registry::{STACK, workspace};
use crate::syntax::ast::{Attr, Block, Ident, OutputDecl, Span, TermKind};

/// What the S3 backend's native locking (`use_lockfile`) appends to a state's key for its lock
/// file (Terraform, "Backend Type: s3", State Locking).
pub(crate) const LOCK_SUFFIX: &str = ".tflock";

/// A value from the stack shown in a message: its start when it is long, control characters
/// as `?`.
fn shown(text: &str) -> String {
    let start: String = text
        .chars()
        .take(80)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if start.len() < text.len() {
        format!("{start}…")
    } else {
        start
    }
}

/// What each kind of block exposes to outputs.
/// What an output may read: a kind of block, its member, and the typed value it becomes (one
/// table, so a member cannot be accepted and then fall through to another's value).
type Member = fn(&Declarations, &str) -> Option<OutputValue>;
const MEMBERS: &[(Kind, &str, Member)] = &[
    (Kind::Service, "dns_name", |d, n| {
        d.id(n).map(OutputValue::LoadBalancerDns)
    }),
    (Kind::Database, "endpoint", |d, n| {
        d.id(n).map(OutputValue::DatabaseEndpoint)
    }),
    (Kind::Database, "reader_endpoint", |d, n| {
        d.id(n).map(OutputValue::DatabaseReaderEndpoint)
    }),
    (Kind::Replication, "status", |d, n| {
        d.id(n).map(OutputValue::ReplicationStatus)
    }),
    (Kind::Network, "id", |d, n| {
        d.id(n).map(OutputValue::NetworkId)
    }),
    (Kind::Vpn, "connection", |d, n| {
        d.id(n).map(OutputValue::VpnConnectionId)
    }),
];

/// The account of workspaces that do not name one: they all share it.
pub(crate) use crate::registry::workspace::DEFAULT_ACCOUNT;

/// The workspace's backend and where it was declared.
pub(crate) struct WorkspaceState {
    pub backend: Backend,
    pub span: Span,
    /// `account = "…"`, `default` when not written.
    pub account: String,
}

impl<'a> Ctx<'a> {
    /// Reads a workspace's overrides into the context; returns its state backend.
    pub(crate) fn enter_workspace(
        &mut self,
        name: &'a Ident,
        block: &'a Block,
        region: &str,
        schema_of: impl Fn(Kind) -> Option<&'static Schema>,
    ) -> Option<WorkspaceState> {
        let mut state = Some(WorkspaceState {
            backend: Backend::Local,
            span: block.header_span,
            account: DEFAULT_ACCOUNT.into(),
        });
        let mut account = Some(DEFAULT_ACCOUNT.to_string());
        let decls: &'a Declarations<'a> = self.decls;
        // A workspace sets each thing once: a second `state = …` would otherwise win silently.
        let mut set: std::collections::BTreeMap<String, Span> = std::collections::BTreeMap::new();
        for attr in &block.attrs {
            let key = attr.key_text();
            if let Some(first) = set.get(&key) {
                self.error(DuplicateAttribute {
                    name: key,
                    at: at(attr.key_span),
                    first: at(*first),
                });
                continue;
            }
            set.insert(key, attr.key_span);
            match attr.key.as_slice() {
                [key] if key.text == workspace::STATE.name() => {
                    state = self.backend(attr.value.span, &attr.value.terms, region)
                }
                [key] if key.text == workspace::ACCOUNT.name() => {
                    account =
                        self.literal_string(&attr.value, "an account name like \"production\"")
                }
                [key] => {
                    decls.refer(&key.text, key.span);
                    match decls.get(&key.text).map(|d| (d.kind, d.item)) {
                        Some((Kind::Input, Declared::Input(input))) => {
                            self.input_overrides
                                .insert(input.name.text.as_str(), &attr.value);
                        }
                        _ => {
                            let inputs: Vec<&str> = decls
                                .of_kind(&[Kind::Input])
                                .map(|d| d.name.text.as_str())
                                .chain(["state", "account"])
                                .collect();
                            let suggestion = did_you_mean(&key.text, inputs.iter().copied());
                            self.error(UnknownOverride {
                            workspace: name.text.clone(),
                            key: key.text.clone(),
                            problem: "neither an input nor `state`".into(),
                            at: at(attr.key_span),
                            help: Some(match suggestion {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => format!("a workspace sets inputs ({}), `state`, or `BLOCK.ATTRIBUTE`", inputs.join(", ")),
                            }),
                            fix: suggestion.and_then(|s| replace(attr.key_span, s)),
                        });
                        }
                    }
                }
                [target, field] if target.text == STACK_TARGET => {
                    let Some((_, stack)) = decls.stack else {
                        continue;
                    };
                    self.override_attr(name, attr, STACK_TARGET, "the stack", stack, &STACK, field);
                }
                [target, field] => {
                    decls.refer(&target.text, target.span);
                    let schema = decls
                        .get(&target.text)
                        .and_then(|d| schema_of(d.kind).map(|s| (d, s)));
                    let Some((decl, schema)) = schema else {
                        let blocks: Vec<&str> = decls
                            .decls
                            .iter()
                            .filter(|d| schema_of(d.kind).is_some())
                            .map(|d| d.name.text.as_str())
                            .chain(decls.stack.map(|_| STACK_TARGET))
                            .collect();
                        // A block that exists but whose attributes a workspace may not set
                        // (an `existing` block, a dashboard, an input) is not a misspelling.
                        if let Some(existing) = decls.get(&target.text) {
                            self.error(UnknownOverride {
                                workspace: name.text.clone(),
                                key: attr.key_text(),
                                problem: format!(
                                    "an attribute of {} `{}`; a workspace cannot override it",
                                    existing.kind.noun(),
                                    target.text
                                ),
                                at: at(target.span),
                                help: Some(format!(
                                    "a workspace overrides attributes of {}; set `{}` in the block itself, or make it an input",
                                    blocks.iter().map(|b| format!("`{b}`")).collect::<Vec<_>>().join(", "),
                                    field.text
                                )),
                                fix: None,
                            });
                            continue;
                        }
                        let suggestion = did_you_mean(&target.text, blocks.iter().copied());
                        self.error(UnknownOverride {
                            workspace: name.text.clone(),
                            key: attr.key_text(),
                            problem: format!(
                                "not an attribute of any block: there is no block `{}`",
                                target.text
                            ),
                            at: at(target.span),
                            help: suggestion.map(|s| format!("did you mean `{s}`?")),
                            fix: suggestion.and_then(|s| replace(target.span, s)),
                        });
                        continue;
                    };
                    let Declared::Block(block) = decl.item else {
                        continue;
                    };
                    let what = format!("{} `{}`", schema.block, decl.name.text);
                    self.override_attr(name, attr, &decl.name.text, &what, block, schema, field);
                }
                _ => self.error(UnknownOverride {
                    workspace: name.text.clone(),
                    key: attr.key_text(),
                    problem: "not something a workspace can set".into(),
                    at: at(attr.key_span),
                    help: Some("a workspace sets an input, `state`, or `BLOCK.ATTRIBUTE`".into()),
                    fix: None,
                }),
            }
        }
        let mut state = match account {
            Some(account) => state.map(|s| WorkspaceState { account, ..s }),
            None => None,
        };
        if let Some(s) = state.as_mut() {
            s.span = super::context::written(block, &workspace::STATE)
                .map(|a| a.value.span)
                .unwrap_or(block.header_span);
        }
        state
    }

    /// `TARGET.FIELD = value` in workspace `workspace`: recorded when `schema` has the
    /// attribute and a workspace may set it (the registry says), reported otherwise. `target`
    /// is the block's name (`stack` for the stack block), `block` the block itself.
    #[allow(clippy::too_many_arguments)]
    fn override_attr(
        &mut self,
        workspace: &Ident,
        attr: &'a Attr,
        target: &'a str,
        what: &str,
        block: &Block,
        schema: &'static Schema,
        field: &'a Ident,
    ) {
        let Some(entry) = schema.attr(&field.text) else {
            let (help, suggestion) = schema.help_for(&field.text);
            self.error(UnknownOverride {
                workspace: workspace.text.clone(),
                key: attr.key_text(),
                problem: format!("not an attribute of {what}"),
                at: at(field.span),
                help: Some(help),
                fix: suggestion.and_then(|s| replace(field.span, s)),
            });
            return;
        };
        if !entry.overridable {
            let original = block
                .attrs
                .iter()
                .find(|a| a.key_text() == field.text)
                .map_or(block.header_span, |a| a.value.span);
            let others: Vec<String> = schema
                .attrs
                .iter()
                .filter(|a| a.overridable)
                .map(|a| format!("`{}`", a.name))
                .collect();
            self.error(NotOverridable {
                workspace: workspace.text.clone(),
                key: attr.key_text(),
                why: entry.fixed_because.to_string(),
                at: at(attr.key_span),
                original: at(original),
                help: Some(if others.is_empty() {
                    format!("set `{}` in {what} itself", field.text)
                } else {
                    format!(
                        "set `{}` in {what} itself; a workspace may override {}",
                        field.text,
                        others.join(", ")
                    )
                }),
            });
            return;
        }
        self.attr_overrides
            .insert((target, field.text.as_str()), attr);
    }

    /// `local` or `s3 "bucket" "key"`.
    fn backend(
        &mut self,
        span: Span,
        terms: &[crate::syntax::ast::Term],
        region: &str,
    ) -> Option<WorkspaceState> {
        let help = Some("write `state = local` or `state = s3 \"BUCKET\" \"KEY\"`".to_string());
        let word = |t: &crate::syntax::ast::Term| match &t.kind {
            TermKind::Path(p) if p.len() == 1 => p.first().map(|i| i.text.clone()),
            _ => None,
        };
        match terms {
            [kind] if word(kind).as_deref() == Some("local") => Some(WorkspaceState {
                backend: Backend::Local,
                span,
                account: DEFAULT_ACCOUNT.into(),
            }),
            [kind, bucket, key] if word(kind).as_deref() == Some("s3") => {
                match (&bucket.kind, &key.kind) {
                    (TermKind::String(bucket_text), TermKind::String(key_text))
                        if !bucket_text.is_empty() && !key_text.is_empty() =>
                    {
                        let bucket_ok = self.state_bucket(bucket_text, bucket.span);
                        let key_ok = self.state_key(key_text, key.span);
                        if !(bucket_ok && key_ok) {
                            return None;
                        }
                        let (bucket, key) = (bucket_text, key_text);
                        Some(WorkspaceState {
                            backend: Backend::S3 {
                                bucket: bucket.clone(),
                                key: key.clone(),
                                region: region.to_string(),
                            },
                            span,
                            account: DEFAULT_ACCOUNT.into(),
                        })
                    }
                    _ => {
                        self.error(TypeMismatch {
                            expected: "a bucket and a key in quotes".into(),
                            found: format!(
                                "{} and {}",
                                bucket.kind.describe(),
                                key.kind.describe()
                            ),
                            at: at(bucket.span.to(key.span)),
                            help,
                        });
                        None
                    }
                }
            }
            [kind, ..] => {
                let text = word(kind).unwrap_or_default();
                if text == "local" || text == "s3" {
                    self.error(TypeMismatch {
                        expected: "a state location".into(),
                        found: format!("{} words", terms.len()),
                        at: at(span),
                        help,
                    });
                } else {
                    self.unknown_word(&text, kind.span, "state backend", workspace::STATE.values());
                }
                None
            }
            [] => {
                self.error(TypeMismatch {
                    expected: "a state location".into(),
                    found: "nothing".into(),
                    at: at(span),
                    help,
                });
                None
            }
        }
    }

    /// Whether an S3 bucket's name is one S3 takes (`aws::names::BUCKET`), reporting it
    /// when not (PMG1010).
    fn state_bucket(&mut self, bucket: &str, span: Span) -> bool {
        let rule = &crate::aws::names::BUCKET;
        let problem = match rule.problem(bucket) {
            None => return true,
            Some(crate::aws::names::Problem::TooLong { len, max }) => {
                format!("is {len} characters; S3 allows at most {max}")
            }
            Some(crate::aws::names::Problem::Refused(why)) => why,
        };
        self.error(BadStateLocation {
            what: "bucket",
            value: shown(bucket),
            problem,
            at: at(span),
            rule: rule.rule.into(),
            help: Some(format!(
                "write the name of the bucket as S3 has it (S3's rules: {})",
                rule.source
            )),
        });
        false
    }

    /// Whether a state key is one the S3 backend takes: at most 1024 bytes with its lock file's
    /// `.tflock` (S3's object keys, "Naming Amazon S3 objects"), not starting or ending with `/`
    /// nor holding `//` (Terraform's S3 backend refuses those), no control characters (S3's
    /// XML responses cannot carry them) (PMG1010).
    fn state_key(&mut self, key: &str, span: Span) -> bool {
        const MAX: usize = 1024;
        let lock = key.len() + LOCK_SUFFIX.len();
        let problem = if lock > MAX {
            format!(
                "is {} bytes, and its lock file `….tflock` {lock}; S3 keys are at most {MAX} bytes",
                key.len()
            )
        } else if key.starts_with('/') || key.ends_with('/') {
            "starts or ends with `/`; Terraform's S3 backend refuses it".to_string()
        } else if key.contains("//") {
            "holds `//`; Terraform's S3 backend refuses it".to_string()
        } else if let Some(c) = key.chars().find(|c| c.is_control()) {
            format!("holds the control character U+{:04X}", u32::from(c))
        } else {
            return true;
        };
        self.error(BadStateLocation {
            what: "key",
            value: shown(key),
            problem,
            at: at(span),
            rule: "a path in the bucket like `payment/aws-production.tfstate`".into(),
            help: Some("write the key as a path of words separated by single `/`, at most 1017 bytes (the lock file adds `.tflock`)".into()),
        });
        false
    }

    /// `output NAME = BLOCK.MEMBER`.
    pub(crate) fn output(&mut self, decl: &'a OutputDecl) -> Option<Output> {
        let term = self.single(&decl.value, "a block's attribute like `api.dns_name`")?;
        let TermKind::Path(path) = &term.kind else {
            self.mismatch(&decl.value, "a block's attribute like `api.dns_name`", None);
            return None;
        };
        let [block, member] = path.as_slice() else {
            self.mismatch(&decl.value, "a block's attribute like `api.dns_name`", None);
            return None;
        };
        let kinds = [
            Kind::Service,
            Kind::Database,
            Kind::Replication,
            Kind::Network,
            Kind::Vpn,
        ];
        let decls = self.decls;
        let target = decls.resolve(block, &kinds, &mut self.errors)?;
        let members: Vec<&str> = MEMBERS
            .iter()
            .filter(|(k, _, _)| *k == target.kind)
            .map(|(_, m, _)| *m)
            .collect();
        let Some((_, _, read)) = MEMBERS
            .iter()
            .find(|(k, m, _)| *k == target.kind && *m == member.text)
        else {
            let suggestion = did_you_mean(&member.text, members.iter().copied());
            self.error(UnknownMember {
                name: member.text.clone(),
                owner: format!("{} `{}`", target.kind.noun(), block.text),
                at: at(member.span),
                options: members.join(", "),
                help: suggestion.map(|s| format!("did you mean `{s}`?")),
                fix: suggestion.and_then(|s| replace(member.span, s)),
            });
            return None;
        };
        let value = read(self.decls, &block.text)?;
        Some(Output {
            name: model::Name::checked(decl.name.text.clone()),
            value,
            origin: self.origin(decl.span),
        })
    }
}
