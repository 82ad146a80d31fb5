//! Migration safety of the cutover and its DNS (PMG1201–PMG1211): what Route 53, ACM and DMS
//! accept but what takes a real cutover down. The certificate must cover the record the
//! cutover moves (wildcards and alternative names count); the legacy target must be a host
//! name other than the record (a CNAME to itself or to an address resolves nowhere); the TTL
//! bounds how long a rollback or a closed gate takes to reach clients; a `full_load`
//! replication never carries the writes made after the load, so it cannot back a cutover;
//! DMS must not read from the name the cutover moves; a lag threshold of zero never opens.
//! These rules run on the checked model of each workspace (`rules::check_stack`); each points
//! at the attribute as the workspace sees it (an override, or the block's own line).

mod diagnostics;
pub(crate) use diagnostics::{
    BadDnsName, CertificateDoesNotCover, CnameLoop, FullLoadCannotGate, LegacyIsAddress,
    MisplacedWildcard, OneStepCutover, SourceIsCutoverRecord, TtlDefeatsGate, TtlTooLong,
    UnmanagedCutoverInput, UnmanagedCutoverOverride, ZeroLag,
};

use super::context::Ctx;
use super::error::replace;
use super::spans::{source_term, span_of, term_span, value_span};
use crate::diag::at;
use crate::model::{Certificate, Cutover, Lookup, MigrationMode, Service, Stack};
use crate::registry::{certificate, cutover, replication};
use std::net::Ipv4Addr;

/// A TTL above this makes a rollback take longer than an hour: an error.
const TTL_ROLLBACK_MAX: u32 = 3600;
/// A TTL above this keeps clients on a side long after the weights or the gate changed.
const TTL_GATE_MAX: u32 = 300;

pub(crate) fn check(ctx: &mut Ctx, stack: &Stack) {
    for cutover in &stack.cutovers {
        unmanaged(ctx, stack, cutover);
        names(ctx, cutover);
        certificate(ctx, stack, cutover);
        legacy(ctx, cutover);
        ttl(ctx, cutover);
        replication(ctx, stack, cutover);
        if cutover
            .phases
            .iter()
            .all(|p| p.get() == 0 || p.get() == 100)
        {
            ctx.error(OneStepCutover {
                cutover: cutover.name.to_string(),
                phases: cutover.phase_list(),
                at: at(span_of(ctx, cutover.name.as_str(), &cutover::PHASES)),
            });
        }
    }
    unmanaged_inputs(ctx, stack);
    for certificate in &stack.certificates {
        let block = certificate.name.as_str();
        let span = span_of(ctx, block, &certificate::DOMAIN);
        dns_name(
            ctx,
            &certificate.domain,
            span,
            "the certificate's domain",
            true,
        );
        for (i, name) in certificate.names.iter().enumerate() {
            let span = super::spans::value_of(ctx, block, &certificate::NAMES)
                .and_then(|v| v.single())
                .and_then(|t| match &t.kind {
                    crate::syntax::ast::TermKind::List(items) => items.get(i).map(|v| v.span),
                    _ => None,
                })
                .unwrap_or(span);
            dns_name(ctx, name, span, "one of the certificate's names", true);
        }
    }
    for replication in &stack.replications {
        if replication.max_lag.0 == 0 {
            ctx.error(ZeroLag {
                what: "a lag budget".into(),
                at: at(span_of(
                    ctx,
                    replication.name.as_str(),
                    &replication::MAX_LAG,
                )),
            });
        }
    }
}

/// A DNS name in lowercase without its trailing dot, for comparisons.
fn canonical(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Whether `pattern` (a certificate name, maybe `*.example.com`) covers `host`.
fn covers(pattern: &str, host: &str) -> bool {
    let (pattern, host) = (canonical(pattern), canonical(host));
    match pattern.strip_prefix("*.") {
        Some(parent) => host
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == parent),
        None => pattern == host,
    }
}

fn names(ctx: &mut Ctx, cutover: &Cutover) {
    let block = cutover.name.as_str();
    let record = term_span(ctx, block, &cutover::RECORD, 0);
    let zone = term_span(ctx, block, &cutover::RECORD, 3);
    dns_name(
        ctx,
        &cutover.record,
        record,
        "the record the cutover moves",
        true,
    );
    dns_name(ctx, &cutover.zone, zone, "the hosted zone", false);
}

/// Route 53's and ACM's rules for a name: labels of 1 to 63 letters, digits, `-` and `_`, not
/// starting or ending with `-`, at most 253 characters; `*` only as the whole first label.
fn dns_name(ctx: &mut Ctx, name: &str, span: crate::syntax::ast::Span, what: &str, wild: bool) {
    let bad = |problem: String, help: Option<String>| BadDnsName {
        name: name.to_string(),
        problem,
        at: at(span),
        what: what.to_string(),
        help,
    };
    match name_problem(name, wild) {
        None => {}
        Some(NameProblem::Wildcard) => ctx.error(MisplacedWildcard {
            name: name.to_string(),
            where_: if wild { "" } else { ", and not at all here" }.into(),
            at: at(span),
            what: what.to_string(),
            help: Some(if wild {
                "write `*.example.com` to cover every name one level below `example.com`".into()
            } else {
                "write the name itself, without `*`".into()
            }),
        }),
        Some(NameProblem::Other(problem, help)) => ctx.error(bad(problem, help)),
    }
}

/// What is wrong with a DNS name.
enum NameProblem {
    /// A `*` anywhere but as the whole first label of a name that may have one.
    Wildcard,
    Other(String, Option<String>),
}

/// Route 53's and ACM's rules for a name (see `dns_name`).
fn name_problem(name: &str, wild: bool) -> Option<NameProblem> {
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    if trimmed.len() > 253 {
        return Some(NameProblem::Other(
            format!("{} characters, DNS allows at most 253", trimmed.len()),
            None,
        ));
    }
    for (i, label) in trimmed.split('.').enumerate() {
        if label.contains('*') {
            if label != "*" || i != 0 || !wild {
                return Some(NameProblem::Wildcard);
            }
            continue;
        }
        let problem = if label.is_empty() {
            Some("it has an empty label (two dots in a row, or a leading dot)".to_string())
        } else if label.len() > 63 {
            Some(format!(
                "the label `{label}` is {} characters, DNS allows at most 63",
                label.len()
            ))
        } else if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            Some(format!("`{c}` is not allowed in a DNS name"))
        } else if label.starts_with('-') || label.ends_with('-') {
            Some(format!("the label `{label}` starts or ends with `-`"))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Some(NameProblem::Other(
                problem,
                Some("DNS names are labels of letters, digits and `-`, separated by dots".into()),
            ));
        }
    }
    None
}

/// What is wrong with the host a DMS endpoint connects to (its `server_name`): a host name or
/// an IPv4 address, as AWS's DMS `CreateEndpoint` takes (`ServerName`: "The name of the server
/// where the endpoint database resides"), reached through the VPN. With a help for what is
/// typed there by mistake: a URL, a `host:port`, an IPv6 address, four numbers that are no
/// IPv4 address. `None` when it is fine.
/// https://docs.aws.amazon.com/dms/latest/APIReference/API_CreateEndpoint.html
pub(crate) fn host_problem(host: &str) -> Option<(String, String)> {
    if host.parse::<Ipv4Addr>().is_ok() {
        return None;
    }
    let port_help = |name: &str, port: &str| {
        format!("write the host alone in the quotes and the port after them: `\"{name}\":{port}`")
    };
    if let Some((scheme, rest)) = host.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        let (name, port) = authority.split_once(':').unwrap_or((authority, "PORT"));
        return Some((format!("it is a `{scheme}://` URL"), port_help(name, port)));
    }
    if let Some((name, port)) = host.rsplit_once(':')
        && !name.contains(':')
        && !port.is_empty()
        && port.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(("it holds a port".into(), port_help(name, port)));
    }
    if host.contains(':') {
        return Some((
            "it is an IPv6 address".into(),
            "DMS reaches the source through the VPN by a host name or an IPv4 address; pmigc's networks are IPv4".into(),
        ));
    }
    if host.contains('/') {
        return Some((
            "it holds a path".into(),
            "write the host name alone, like `db.corp.example.com`".into(),
        ));
    }
    let dotted = host.split('.').collect::<Vec<_>>();
    if !host.is_empty() && dotted.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return Some((
            "it is not an IPv4 address".into(),
            "an IPv4 address is four numbers from 0 to 255, like `10.20.30.40`".into(),
        ));
    }
    match name_problem(host, false) {
        None => None,
        Some(NameProblem::Wildcard) => Some((
            "`*` is not allowed in a host name".into(),
            "write the host DMS connects to, like `db.corp.example.com`".into(),
        )),
        Some(NameProblem::Other(problem, help)) => Some((
            problem,
            help.unwrap_or_else(|| "write a host name or an IPv4 address".into()),
        )),
    }
}

/// The service whose load balancer answers for the cutover: the service itself, or the one
/// it is routed behind.
fn load_balancer<'s>(stack: &'s Stack, service: &'s Service) -> Option<&'s Service> {
    match &service.route {
        Some(route) => stack.find(&route.via),
        None => Some(service),
    }
}

fn certificate(ctx: &mut Ctx, stack: &Stack, cutover: &Cutover) {
    let Some(service) = stack.find(&cutover.service) else {
        return;
    };
    let Some(exposure) = load_balancer(stack, service).and_then(|s| s.exposure.as_ref()) else {
        return;
    };
    let Some(cert): Option<&Certificate> = exposure.certificate().and_then(|c| stack.find(c))
    else {
        return;
    };
    let mut patterns = vec![cert.domain.as_str()];
    patterns.extend(cert.names.iter().map(String::as_str));
    // A misplaced wildcard is its own mistake (PMG1207): what it covers is anyone's guess.
    let misplaced = |p: &&str| p.trim_start_matches("*.").contains('*');
    if patterns.iter().any(misplaced) || patterns.iter().any(|p| covers(p, &cutover.record)) {
        return;
    }
    let listed: Vec<String> = patterns.iter().map(|p| format!("`{p}`")).collect();
    ctx.error(CertificateDoesNotCover {
        certificate: cert.name.to_string(),
        record: cutover.record.clone(),
        service: service.name.to_string(),
        at: at(term_span(ctx, cutover.name.as_str(), &cutover::RECORD, 0)),
        certificate_at: at(span_of(ctx, cert.name.as_str(), &certificate::DOMAIN)),
        covers: listed.join(", "),
        help: Some(format!(
            "every client sent to AWS would get a TLS error: use a certificate for `{}` (or `*.{}`), or add it to the certificate's `names`",
            cutover.record,
            cutover.record.split_once('.').map_or("", |(_, rest)| rest)
        )),
    });
}

fn legacy(ctx: &mut Ctx, cutover: &Cutover) {
    let block = cutover.name.as_str();
    let span = span_of(ctx, block, &cutover::LEGACY);
    if canonical(&cutover.legacy_host) == canonical(&cutover.record) {
        ctx.error(CnameLoop {
            cutover: cutover.name.to_string(),
            record: cutover.record.clone(),
            at: at(span),
            record_at: at(term_span(ctx, block, &cutover::RECORD, 0)),
        });
    } else if cutover.legacy_host.parse::<Ipv4Addr>().is_ok() {
        ctx.error(LegacyIsAddress {
            address: cutover.legacy_host.clone(),
            at: at(span),
        });
    } else {
        dns_name(ctx, &cutover.legacy_host, span, "the legacy host", false);
    }
}

fn duration(seconds: u32) -> String {
    match seconds {
        86400 => "1 day".to_string(),
        s if s % 86400 == 0 => format!("{} days", s / 86400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

fn ttl(ctx: &mut Ctx, cutover: &Cutover) {
    if cutover.ttl <= TTL_GATE_MAX {
        return;
    }
    let span = span_of(ctx, cutover.name.as_str(), &cutover::TTL);
    let cutover_name = cutover.name.to_string();
    let ttl = duration(cutover.ttl);
    let help = Some(
        "weighted records are looked up again only when the TTL runs out; 60s keeps rollback and the gate within a minute".to_string(),
    );
    if cutover.ttl > TTL_ROLLBACK_MAX {
        ctx.error(TtlTooLong {
            cutover: cutover_name,
            ttl,
            at: at(span),
            help,
            fix: replace(span, "60s"),
        });
    } else {
        ctx.error(TtlDefeatsGate {
            cutover: cutover_name,
            ttl,
            at: at(span),
            help,
            fix: replace(span, "60s"),
        });
    }
}

/// A full load copies once: the cutover's gate would watch a lag that is never measured, and
/// without a gate, writes made in the data centre after the load never reach AWS.
fn replication(ctx: &mut Ctx, stack: &Stack, cutover: &Cutover) {
    let block = cutover.name.as_str();
    for replication in &stack.replications {
        if canonical(&replication.source.host) == canonical(&cutover.record) {
            ctx.error(SourceIsCutoverRecord {
                replication: replication.name.to_string(),
                host: replication.source.host.clone(),
                cutover: cutover.name.to_string(),
                at: at(source_term(ctx, replication, 0)),
                record_at: at(term_span(ctx, block, &cutover::RECORD, 0)),
            });
        }
    }
    if let Some(gate) = &cutover.gate {
        if gate.conditions.iter().any(|c| c.threshold.0 == 0) {
            ctx.error(ZeroLag {
                what: "a gate on a lag".into(),
                at: at(span_of(ctx, block, &cutover::GATE)),
            });
        }
        for condition in &gate.conditions {
            let Some(replication) = stack.find(&condition.replication) else {
                continue;
            };
            if replication.mode == MigrationMode::FullLoad {
                full_load(
                    ctx,
                    replication.name.as_str(),
                    format!(
                        "the gate of cutover `{block}` waits on its change-data-capture lag, which a full load never reports"
                    ),
                    span_of(ctx, block, &cutover::GATE),
                    "the gate watches a lag that is never measured".into(),
                );
            }
        }
        return;
    }
    let Some(service) = stack.find(&cutover.service) else {
        return;
    };
    for replication in &stack.replications {
        if replication.mode == MigrationMode::FullLoad
            && service.reads.contains(&replication.target)
        {
            full_load(
                ctx,
                replication.name.as_str(),
                format!(
                    "cutover `{block}` moves traffic to `{}`, which reads `{}`: writes made in the data centre after the load never reach it",
                    service.name, replication.target
                ),
                span_of(ctx, block, &cutover::AWS),
                "traffic moves to a copy that stops at the load".into(),
            );
        }
    }
}

fn full_load(
    ctx: &mut Ctx,
    replication: &str,
    why: String,
    other: crate::syntax::ast::Span,
    other_label: String,
) {
    let mode = value_span(ctx, replication, &replication::MODE);
    ctx.error(FullLoadCannotGate {
        replication: replication.to_string(),
        why,
        at: at(mode.unwrap_or_else(|| span_of(ctx, replication, &replication::MODE))),
        other: at(other),
        other_label,
        help: Some("write `mode = full_load_and_cdc`: the load, then every change until the cutover is done".into()),
        fix: mode.and_then(|m| replace(m, "full_load_and_cdc")),
    });
}

/// PMG0834: a cutover's records and gate are in its `owner`'s root only; an override of the
/// cutover in any other workspace would be accepted and change nothing.
fn unmanaged(ctx: &mut Ctx, stack: &Stack, cutover: &Cutover) {
    let Some(owner) = cutover.owner.as_ref().filter(|_| !stack.manages(cutover)) else {
        return;
    };
    let name = cutover.name.as_str();
    for (key, span) in overrides_of(ctx, name) {
        let workspace = stack.workspace.name.to_string();
        let whose = if owner.several() {
            "each of which manages its own record of the cutover"
        } else {
            "whose root holds the cutover's records"
        };
        ctx.error(UnmanagedCutoverOverride {
            help: Some(format!(
                "remove `{name}.{key}` from workspace `{workspace}`, or override it in {}, {whose}",
                owner.any()
            )),
            workspace,
            cutover: name.to_string(),
            key,
            managers: owner.manage(),
            at: at(span),
        });
    }
}

/// The overrides this workspace writes of block `name`: (attribute, where its key is).
pub(super) fn overrides_of(ctx: &Ctx, name: &str) -> Vec<(String, crate::syntax::ast::Span)> {
    ctx.overrides_of(name)
        .map(|(key, attr)| (key.to_string(), attr.key_span))
        .collect()
}

/// PMG0835: an input set by a workspace that does not manage a cutover, whose every use there
/// is an attribute of that cutover (its `weight`, its `record` or `legacy` name), changes
/// nothing in that workspace's root: only the owner's root holds the cutover's records.
fn unmanaged_inputs(ctx: &mut Ctx, stack: &Stack) {
    let unmanaged: Vec<&Cutover> = stack
        .cutovers
        .iter()
        .filter(|c| c.owner.is_some() && !stack.manages(c))
        .collect();
    if unmanaged.is_empty() {
        return;
    }
    // Where each unmanaged cutover's attributes are written, as this workspace sees them.
    let mut places: Vec<(&Cutover, &str, crate::syntax::ast::Span)> = Vec::new();
    for cutover in &unmanaged {
        for attr in crate::registry::CUTOVER.attrs {
            if let Some(span) = value_span(ctx, cutover.name.as_str(), attr) {
                places.push((cutover, attr.name, span));
            }
        }
    }
    let place = |used: crate::syntax::ast::Span| {
        places
            .iter()
            .find(|(_, _, s)| s.start <= used.start && used.end <= s.end)
            .copied()
    };
    let set: Vec<(String, crate::syntax::ast::Span)> = ctx
        .input_overrides
        .iter()
        .map(|(input, value)| (input.to_string(), value.span))
        .collect();
    for (input, span) in set {
        // The stack's name pattern is filled in outside `substitutions`: a use that counts.
        let names_things = stack.name_pattern.iter().any(
            |part| matches!(part, crate::model::NamePart::Input(i) if i.name().as_str() == input),
        );
        if names_things {
            continue;
        }
        let uses: Vec<_> = ctx
            .substitutions
            .iter()
            .filter(|s| s.input == input)
            .map(|s| place(s.used))
            .collect();
        // Used nowhere else here (another input's default, a block the root builds).
        let Some(Some((cutover, attr, _))) = uses.first().copied() else {
            continue;
        };
        if uses.iter().any(Option::is_none) {
            continue;
        }
        let Some(owner) = &cutover.owner else {
            continue;
        };
        let workspace = stack.workspace.name.to_string();
        let name = cutover.name.as_str();
        let first = owner
            .names()
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        let elsewhere = match (attr == cutover::WEIGHT.name(), owner.several()) {
            (true, false) => format!(
                "the weight that moves `{name}`'s traffic is the one set in workspace `{first}` (`pmigc move {name} PERCENT --workspace {first}`)"
            ),
            (true, true) => format!(
                "the weights that move `{name}`'s traffic are the ones set in workspaces {} (`pmigc move {name} PERCENT --workspace {first}`)",
                owner.join("and")
            ),
            (false, false) => format!(
                "`{name}`'s `{attr}` is the one workspace `{first}` builds: set `{input}` there"
            ),
            (false, true) => format!(
                "each of workspaces {} builds its own `{name}`.`{attr}`: set `{input}` there",
                owner.join("and")
            ),
        };
        ctx.error(UnmanagedCutoverInput {
            help: Some(format!(
                "remove `{input} = …` from workspace `{workspace}`; {elsewhere}"
            )),
            workspace,
            input,
            attr: attr.to_string(),
            cutover: name.to_string(),
            managers: owner.manage(),
            at: at(span),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::{covers, host_problem};

    #[test]
    fn a_dms_host_is_a_host_name_or_an_ipv4_address() {
        for fine in [
            "db.corp.example.com",
            "10.20.30.40",
            "db-1",
            "db.corp.example.com.",
        ] {
            assert_eq!(host_problem(fine), None, "{fine}");
        }
        for (bad, says, fixed) in [
            ("mysql://db.corp:3306/x", "URL", "`\"db.corp\":3306`"),
            ("postgresql://u@db.corp/x", "URL", "`\"db.corp\":PORT`"),
            ("db.corp:5432", "port", "`\"db.corp\":5432`"),
            ("10.0.0.300", "not an IPv4", "four numbers"),
            ("10.0.0", "not an IPv4", "four numbers"),
            ("fe80::1", "IPv6", "IPv4"),
            ("db/x", "path", "host name"),
            ("db corp", "not allowed", "labels"),
            ("-db.corp", "starts or ends", "labels"),
            ("*.corp", "`*`", "host"),
        ] {
            let (problem, help) = host_problem(bad).unwrap_or_else(|| panic!("{bad} accepted"));
            assert!(problem.contains(says), "{bad}: {problem}");
            assert!(help.contains(fixed), "{bad}: {help}");
        }
    }

    #[test]
    fn wildcards_cover_one_label_only() {
        assert!(covers("pay.example.com", "PAY.example.com."));
        assert!(covers("*.example.com", "pay.example.com"));
        assert!(!covers("*.example.com", "example.com"));
        assert!(!covers("*.example.com", "a.pay.example.com"));
        assert!(!covers("pay.example.com", "shop.example.com"));
    }
}
