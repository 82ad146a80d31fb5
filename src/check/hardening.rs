//! Security judgements that look at a value as a whole: an `allow` list is judged by the union
//! of its networks (`[0.0.0.0/1, 128.0.0.0/1]` is the whole internet, however it is split), and
//! public addresses on a database or service port need a reason written in the stack
//! (`allow = [203.0.113.0/24] because "..."`); the load balancer's web application firewall is
//! on unless the stack turns it off with a reason (`waf = off because "..."`).

mod diagnostics;
pub(crate) use diagnostics::{OpenToInternet, PublicAllowWithoutReason, WafOffWithoutReason};

use super::context::Ctx;
use super::error::{CheckError, replace};
use crate::diag::at;
use crate::syntax::ast::{Term, TermKind, Value, dotted};
use ipnet::Ipv4Net;

/// The shortest reason pmigc accepts: a few words, which is what an auditor reads.
const MIN_REASON: usize = 10;

/// Address space that is not on the public internet: RFC 1918 private ranges and the shared
/// address space of carrier-grade NAT (RFC 6598), which on-premises networks use.
const NOT_PUBLIC: [(u32, u8); 4] = [
    (0x0A00_0000, 8),  // 10.0.0.0/8
    (0xAC10_0000, 12), // 172.16.0.0/12
    (0xC0A8_0000, 16), // 192.168.0.0/16
    (0x6440_0000, 10), // 100.64.0.0/10
];

/// Whether every address of `net` is outside the public internet.
fn is_private(net: &Ipv4Net) -> bool {
    NOT_PUBLIC.iter().any(|&(base, len)| {
        Ipv4Net::new(base.into(), len).is_ok_and(|private| private.contains(net))
    })
}

/// A checked allow list: the networks and, when some are public, the stack's reason.
pub(crate) struct Allow {
    pub networks: Vec<Ipv4Net>,
    pub public_because: Option<String>,
}

/// `X because "reason"`: the value's first term and the reason's term, when written so.
pub(super) fn with_reason(value: &Value) -> Option<(&Term, &Term)> {
    match value.terms.as_slice() {
        [first, because, reason] if matches!(&because.kind, TermKind::Path(p) if dotted(p) == "because") => {
            Some((first, reason))
        }
        _ => None,
    }
}

impl<'a> Ctx<'a> {
    /// A reason in quotes of at least a few words, or `None` after reporting `error(span)`.
    pub(super) fn reason_text(
        &mut self,
        reason: &Term,
        error: impl FnOnce(crate::syntax::ast::Span) -> CheckError,
    ) -> Option<String> {
        match &reason.kind {
            TermKind::String(text) if text.trim().len() >= MIN_REASON => self.fill(
                text.trim(),
                reason.span.start + 1 + (text.len() - text.trim_start().len()),
            ),
            _ => {
                self.error(error(reason.span));
                None
            }
        }
    }

    /// `allow = [CIDR, ...]` or `allow = [CIDR, ...] because "reason"`: extra networks that
    /// may connect to `what`'s port. Never the whole internet (judged on the union); public
    /// addresses only with a reason.
    pub(crate) fn allow(&mut self, value: &'a Value, what: &str) -> Option<Allow> {
        let (items, reason) = match with_reason(value) {
            Some((list, reason)) => match &list.kind {
                TermKind::List(items) => (items.as_slice(), Some(reason)),
                _ => (self.list(value, "a list of IP address blocks")?, None),
            },
            None => (self.list(value, "a list of IP address blocks")?, None),
        };
        let mut networks = Vec::new();
        let mut public = Vec::new();
        let mut ok = true;
        for item in items {
            match self.cidr(item) {
                Some((net, span)) if net.prefix_len() == 0 => {
                    self.error(OpenToInternet {
                        what: what.to_string(),
                        at: at(span),
                        cidr: net.to_string(),
                        help: Some("only the load balancer's HTTPS listener faces the internet; list the networks that really need access, e.g. the on-premises ranges".into()),
                    });
                    ok = false;
                }
                Some((net, span)) => {
                    if !is_private(&net) {
                        public.push((net, span));
                    }
                    networks.push(net);
                }
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        // The union: blocks that together are every address are the whole internet too.
        if networks.len() > 1
            && Ipv4Net::aggregate(&networks)
                .iter()
                .any(|n| n.prefix_len() == 0)
        {
            self.error(OpenToInternet {
                what: what.to_string(),
                at: at(value.span),
                cidr: "the union of these blocks".into(),
                help: Some(format!(
                    "together, {} are 0.0.0.0/0; list only the networks that really need access, e.g. the on-premises ranges",
                    networks.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
                )),
            });
            return None;
        }
        let public_list = public
            .iter()
            .map(|(n, _)| n.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let public_because = match (public.first(), reason) {
            (None, _) => None,
            (Some(_), Some(reason)) => Some(self.reason_text(reason, |span| {
                PublicAllowWithoutReason {
                    what: what.to_string(),
                    cidr: public_list.clone(),
                    at: at(span),
                    help: Some("give a real reason in quotes, at least a few words: it is what an auditor reads".into()),
                }.into()
            })?),
            (Some((_, span)), None) => {
                self.error(PublicAllowWithoutReason {
                    what: what.to_string(),
                    cidr: public_list.clone(),
                    at: at(*span),
                    help: Some("list private or on-premises ranges only; if these public addresses really must reach it (a partner's office, say), write why after the list: `allow = [...] because \"...\"`".into()),
                });
                return None;
            }
        };
        Some(Allow {
            networks,
            public_because,
        })
    }

    /// `waf = on` (the default) or `waf = off because "reason"`: the reason travels into the
    /// load balancer's scan waiver. `None` after an error.
    pub(crate) fn waf(&mut self, value: &'a Value) -> Option<Option<String>> {
        if let Some((off, reason)) = with_reason(value)
            && matches!(&off.kind, TermKind::Path(p) if dotted(p) == "off")
        {
            return self
                .reason_text(reason, |span| WafOffWithoutReason {
                    at: at(span),
                    help: Some("give a real reason in quotes, at least a few words: it is what an auditor reads".into()),
                    fix: None,
                }.into())
                .map(Some);
        }
        match self.word(
            value,
            "web application firewall",
            crate::registry::service::WAF.values(),
        )? {
            "off" => {
                self.error(WafOffWithoutReason {
                    at: at(value.span),
                    help: Some("pmigc puts AWS's managed rules (common, known bad inputs, SQL injection, IP reputation) in front of every internet-facing load balancer; remove `waf = off`, or, if another firewall already filters this traffic, say so: `waf = off because \"...\"`".into()),
                    fix: replace(value.span, "on"),
                });
                None
            }
            _ => Some(None),
        }
    }
}
