//! Check: AST to one checked `model::Stack` per workspace, or diagnostics.
//!
//! `check` collects the declarations once (`names`), then checks the whole stack once per
//! workspace with that workspace's overrides applied (`context`), block by block (`stack`,
//! `infra`, `migration`, `workspace`), then across blocks (`rules`: address overlaps, the
//! safety of the cutover, AWS naming limits). Errors accumulate; a block with an error yields
//! no model, and the rules run only on blocks that checked, so one mistake is reported once.
//! Names are checked as names too (`identifiers`: two names that become one Terraform address,
//! AWS name or directory; secret-looking names); `renames` validates `--renamed OLD=NEW`.
//! Across workspaces, `account` refuses two workspaces of one AWS account that would create the
//! same account-wide name. A problem in a value a workspace gives an input is labelled at both
//! ends, the setting and the use (`provenance`).
//!
//! A workspace never vanishes silently: one that yields no model while no error was reported
//! (and the file has no syntax error, which may excuse a quiet checker) is an internal error,
//! PMG0001.

pub(crate) mod account;
pub(crate) mod apply;

pub(crate) mod boot;
pub(crate) mod context;
pub(crate) mod database;
mod defaults;
pub(crate) mod derived;
pub(crate) mod dns;
pub(crate) mod error;
pub(crate) mod exposure;
pub(crate) mod files;
pub(crate) mod gates;
pub(crate) mod hardening;
pub(crate) mod identifiers;
pub(crate) mod idle;
pub(crate) mod infra;
pub(crate) mod internal;
pub(crate) mod migration;
pub(crate) mod mismatch;
pub(crate) mod misspelt;
pub(crate) mod names;
pub(crate) mod network;
pub(crate) mod owners;
pub(crate) mod placeholders;
mod provenance;
pub(crate) mod references;
mod renames;
pub(crate) mod resolver;
pub(crate) mod rules;
pub(crate) mod serverless;
mod spans;
pub(crate) mod stack;
pub(crate) mod tables;
pub(crate) mod unread;
pub(crate) mod values;
pub(crate) mod workspace;
pub(crate) mod writes;

use crate::check::internal::Internal;
use crate::check::names::{StackBlock, Unused};
use crate::diag::{Diagnostic, at, normalize};
use crate::model::{self, Backend, Stack, Workspace};
use crate::syntax::ast::{File, Item, Span};
use context::{Ctx, Schema};
use error::CheckError;
use names::{Declarations, Declared, Kind};

#[cfg(feature = "lsp")]
pub(crate) use renames::is_name;
pub(crate) use renames::renames;

/// What the stack is checked for beyond its text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// `--renamed OLD=NEW` pairs, validated by `renames`: a renamed block keeps its old name in
    /// AWS, so AWS's limits are checked on that name.
    pub renames: Vec<(model::Name, model::Name)>,
    /// The files the stack names (`boot = file "…"`), read by the caller (`boot::read`).
    pub files: boot::Files,
    /// Run the migration-plan check (`crate::plan`) even while `plan::ENFORCE` is off: for
    /// the tests of its own diagnostics.
    pub plan: bool,
    /// Leave the names the workspaces derive unchecked (`derived`): for the test that the
    /// checker refuses exactly the names the verifier finds in the lowered roots.
    pub derived_names_unchecked: bool,
}

/// The result of checking: a model per workspace when there are no errors, every diagnostic
/// (errors and warnings) in source order, and every name with the uses the checker resolved to
/// it.
#[derive(Debug, Default)]
pub struct Checked {
    pub stacks: Vec<Stack>,
    pub diagnostics: Vec<Diagnostic>,
    pub references: references::References,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

fn schema_of(kind: Kind) -> Option<&'static Schema> {
    crate::registry::overridable(kind)
}

/// Checks a parsed file with `options` (renamed blocks).
pub(crate) fn check_with(file: &File, text: &str, options: &Options) -> Checked {
    let mut errors = Vec::new();
    let decls = Declarations::collect(file, &mut errors);
    // Errors in the declarations (a duplicate name, an unknown block kind) may leave a block
    // quiet in every workspace.
    let declared = errors.len();
    identifiers::check(&decls, &mut errors);
    placeholders::check(file, &decls, &mut errors);
    let excused = has_syntax_errors(file);
    let mut stacks = Vec::new();
    let Some((stack_name, stack_block)) = decls.stack else {
        if !file.items.iter().any(|i| matches!(i, Item::Broken(_))) {
            errors.push(StackBlock {
                problem: "this file has no `stack` block".into(),
                at: at(Span::new(0, 0)),
                label: "expected `stack NAME { region = \"...\", name = \"...\" }`".into(),
                help: Some("every stack starts with its settings: `stack payment { region = \"us-east-1\", name = \"payment-{environment_suffix}\" }`".into()),
            }.into());
        }
        return finish(errors, stacks, &decls, false, &Default::default());
    };
    let region = stack_region(stack_block);
    let lines = crate::syntax::line_index::LineIndex::new(text);
    let mut states: Vec<(String, Backend, Span)> = Vec::new();
    let mut provenance = provenance::Provenance::default();
    let workspaces: Vec<_> = if decls.workspaces.is_empty() {
        vec![None]
    } else {
        decls.workspaces.iter().map(Some).collect()
    };
    for workspace in workspaces {
        let mut ctx = Ctx::new(&lines, &decls).with_files(&options.files);
        if options.derived_names_unchecked {
            ctx = ctx.without_derived_names();
        }
        let (ws_name, backend, origin) = match workspace {
            Some((name, block)) => {
                let state = ctx.enter_workspace(name, block, &region, schema_of);
                let origin = ctx.origin(block.header_span);
                match state {
                    Some(state) => {
                        states.push((name.text.clone(), state.backend.clone(), state.span));
                        (
                            name.text.clone(),
                            Some((state.backend, state.account)),
                            origin,
                        )
                    }
                    None => (name.text.clone(), None, origin),
                }
            }
            None => (
                "default".to_string(),
                Some((Backend::Local, workspace::DEFAULT_ACCOUNT.to_string())),
                model::Origin::default(),
            ),
        };
        let stack = build(&mut ctx, stack_name, stack_block, file, &ws_name, options);
        let reported = excused
            || errors
                .iter()
                .take(declared)
                .chain(&ctx.errors)
                .any(is_error);
        provenance.note(&ctx.errors, &ctx.substitutions, &ws_name);
        errors.append(&mut ctx.errors);
        let at = workspace.map_or(stack_block.header_span, |(_, b)| b.header_span);
        match (stack, backend) {
            (Some(mut stack), Some((backend, account))) => {
                stack.workspace = Workspace {
                    name: model::Name::checked(ws_name),
                    backend,
                    account,
                    origin,
                };
                stacks.push(stack);
            }
            _ => errors.extend(vanished(&ws_name, at, reported)),
        }
    }
    rules::shared_state(&states, &mut errors);
    if !errors.iter().any(is_error) {
        account::check(&stacks, &options.renames, &mut errors);
        account::gateways(&stacks, &mut errors);
        writes::one_owner_per_primary(&stacks, &mut errors);
        unread::check(file, &stacks, &mut errors);
    }
    // The migration plan, model-checked once per distinct workspace plan, on complete models.
    if (crate::plan::ENFORCE || options.plan) && !errors.iter().any(is_error) {
        errors.extend(crate::plan::diagnostics(&stacks, file, text));
    }
    let hidden = defaults::check(
        &decls,
        &errors,
        &mut provenance,
        // Names are blamed on blocks and the name pattern, never inside a default.
        Ctx::new(&lines, &decls)
            .with_files(&options.files)
            .without_derived_names(),
        |ctx| {
            drop(build(
                ctx,
                stack_name,
                stack_block,
                file,
                "default",
                options,
            ));
        },
    );
    errors.extend(hidden);
    finish(errors, stacks, &decls, true, &provenance)
}

/// A workspace that yielded no model: fine when a problem was reported (or the file has a
/// syntax error), an internal error otherwise. Never a silent "ok".
fn vanished(workspace: &str, span: Span, reported: bool) -> Option<CheckError> {
    (!reported).then(|| {
        Internal {
            workspace: workspace.to_string(),
            at: at(span),
        }
        .into()
    })
}

fn is_error(error: &CheckError) -> bool {
    use miette::Diagnostic as _;
    !matches!(
        error.severity(),
        Some(miette::Severity::Warning | miette::Severity::Advice)
    )
}

/// Whether any item or value failed to parse: its syntax error is reported by the parser, and
/// the checker stays quiet about what it cannot read.
fn has_syntax_errors(file: &File) -> bool {
    use crate::syntax::ast::Block;
    let block_invalid = |b: &Block| b.attrs.iter().any(|a| a.value.has_invalid());
    file.items.iter().any(|item| match item {
        Item::Broken(_) => true,
        Item::Block(b) => block_invalid(b),
        Item::Input(i) => i.default.as_ref().is_some_and(|v| v.has_invalid()),
        Item::Output(o) => o.value.has_invalid(),
    })
}

fn stack_region(block: &crate::syntax::ast::Block) -> String {
    context::written(block, &crate::registry::stack::REGION)
        .and_then(|a| match a.value.single().map(|t| &t.kind) {
            Some(crate::syntax::ast::TermKind::String(s)) => Some(s.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// Adds the unused-declaration warnings and turns errors into diagnostics.
/// Unused declarations are only reported when the blocks that could use them were checked.
fn finish(
    mut errors: Vec<CheckError>,
    stacks: Vec<Stack>,
    decls: &Declarations,
    report_unused: bool,
    provenance: &provenance::Provenance,
) -> Checked {
    let folded = misspelt::fold(&mut errors, decls);
    // A service that something needs exposed (PMG0607) has its port and health for that load
    // balancer: "nothing uses them" (PMG0609) would be the same root cause said twice more.
    let needed: Vec<String> = errors
        .iter()
        .filter_map(|e| e.get::<rules::NotExposed>().map(|e| e.service.clone()))
        .collect();
    errors.retain(|e| {
        e.get::<infra::UnusedServiceSetting>()
            .is_none_or(|e| !needed.contains(&e.service))
    });
    for decl in decls
        .decls
        .iter()
        .filter(|d| !folded.contains(&d.name.text))
    {
        let reported = matches!(
            decl.kind,
            Kind::Input
                | Kind::Vpn
                | Kind::Secret
                | Kind::Certificate
                | Kind::Network
                | Kind::Database
        );
        if report_unused && reported && !decls.is_used(&decl.name.text) {
            errors.push(
                Unused {
                    name: decl.name.text.clone(),
                    kind: decl.kind.noun().to_string(),
                    at: at(decl.name.span),
                    help: Some(format!(
                        "remove it, or refer to it by name (`{}`)",
                        decl.name.text
                    )),
                }
                .into(),
            );
        }
    }
    let mut diagnostics: Vec<Diagnostic> = errors.iter().map(Diagnostic::from_report).collect();
    provenance.apply(&mut diagnostics);
    let diagnostics = normalize(diagnostics);
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    Checked {
        stacks: if failed { Vec::new() } else { stacks },
        diagnostics,
        references: decls.references(),
    }
}

/// Checks every block for the workspace whose overrides are in `ctx`.
fn build<'a>(
    ctx: &mut Ctx<'a>,
    stack_name: &'a crate::syntax::ast::Ident,
    stack_block: &'a crate::syntax::ast::Block,
    file: &'a File,
    workspace: &str,
    options: &Options,
) -> Option<Stack> {
    let settings = ctx.settings(stack_name, stack_block);
    let region = settings
        .as_ref()
        .map(|s| (s.region.as_str(), s.region_span));
    let mut stack = Stack {
        name: model::Name::checked(stack_name.text.clone()),
        region: String::new(),
        name_pattern: Vec::new(),
        resolved_name: String::new(),
        tags: Default::default(),
        inputs: Vec::new(),
        vpns: Vec::new(),
        secrets: Vec::new(),
        certificates: Vec::new(),
        networks: Vec::new(),
        databases: Vec::new(),
        services: Vec::new(),
        replications: Vec::new(),
        cutovers: Vec::new(),
        data_cutovers: Vec::new(),
        dashboards: Vec::new(),
        outputs: Vec::new(),
        workspace: Workspace {
            name: model::Name::checked(workspace.to_string()),
            backend: Backend::Local,
            account: workspace::DEFAULT_ACCOUNT.to_string(),
            origin: model::Origin::default(),
        },
        dms_roles: model::DmsRoles::Create,
        origin: ctx.origin(stack_block.header_span),
    };
    let mut complete = true;
    let mut facts = rules::Facts::default();
    let mut pending = Vec::new();
    let decls = ctx.decls;
    for decl in &decls.decls {
        let Declared::Block(block) = decl.item else {
            if let Declared::Input(input) = decl.item {
                match ctx.input(input) {
                    Some(i) => stack.inputs.push(i),
                    None => complete = false,
                }
            }
            continue;
        };
        let name = decl.name;
        let ok = match decl.kind {
            Kind::Vpn => ctx.vpn(name, block).map(|(v, spans)| {
                facts.onprem.push((v.name.clone(), spans));
                stack.vpns.push(v)
            }),
            Kind::Secret => ctx.secret(name, block).map(|s| stack.secrets.push(s)),
            Kind::Certificate => ctx
                .certificate(name, block)
                .map(|c| stack.certificates.push(c)),
            Kind::Network => ctx.network(name, block, region).map(|(n, f)| {
                facts.networks.push((n.name.clone(), f));
                stack.networks.push(n)
            }),
            Kind::Database => ctx.database(name, block).map(|d| stack.databases.push(d)),
            Kind::Service => ctx.service(name, block).map(|s| stack.services.push(s)),
            Kind::Replication => ctx.replication(name, block).map(|(r, f)| {
                facts.replications.push((r.name.clone(), f));
                stack.replications.push(r)
            }),
            Kind::Cutover => ctx.cutover(name, block).map(|(c, f)| {
                facts.cutovers.push((c.name.clone(), f));
                stack.cutovers.push(c)
            }),
            Kind::DataCutover => ctx.data_cutover(name, block).map(|p| pending.push(p)),
            Kind::Dashboard => {
                // A dashboard has no attributes: reading them reports any written.
                ctx.attrs::<crate::registry::dashboard::Of>(name, block);
                stack.dashboards.push(model::Dashboard {
                    name: model::Name::checked(name.text.clone()),
                    origin: ctx.origin(block.header_span),
                });
                Some(())
            }
            Kind::Input | Kind::Unknown => Some(()),
        };
        complete &= ok.is_some();
    }
    for item in &file.items {
        if let Item::Output(output) = item {
            match ctx.output(output) {
                Some(o) => stack.outputs.push(o),
                None => complete = false,
            }
        }
    }
    let settings = settings?;
    stack.region = settings.region;
    stack.dms_roles = match &settings.dms_roles {
        Some(Some(owner)) if owner.as_str() == workspace => model::DmsRoles::Create,
        Some(owner) => model::DmsRoles::Use(owner.as_ref().map(|o| o.as_str().to_string())),
        None => model::DmsRoles::Create,
    };
    stack.tags = settings.tags;
    stack.resolved_name = rules::resolve_name(&settings.name_pattern, &stack.inputs);
    stack.name_pattern = settings.name_pattern;
    facts.name_span = settings.name_span;
    facts.data_cutovers = pending
        .iter()
        .map(|(p, f)| {
            (
                p.name.clone(),
                writes::DataCutoverFacts {
                    database: f.database.clone(),
                    header_span: f.header_span,
                    database_span: f.database_span,
                    state_span: f.state_span,
                    two_way_span: f.two_way_span,
                },
            )
        })
        .collect();
    let (data_cutovers, resolved) = writes::resolve(
        ctx,
        &stack,
        pending,
        &facts.replications,
        complete && !ctx.errors.iter().any(is_error),
    );
    stack.data_cutovers = data_cutovers;
    complete &= resolved;
    rules::check_stack(ctx, &stack, &facts, complete, &options.renames);
    (complete && !ctx.errors.iter().any(is_error)).then_some(stack)
}

#[cfg(test)]
mod tests;
