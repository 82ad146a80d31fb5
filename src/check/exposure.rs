//! A service's `exposed`: `https via NET.public with CERT` (an internet-facing load balancer),
//! `internal https|http via NET.private [with CERT]` (an internal one), or `path "/x/*" on
//! SERVICE` (a path on another service's), with the settings that only mean something for some
//! of them (`http`, `waf`).

mod diagnostics;
pub(crate) use diagnostics::{HttpForwarded, LoadBalancerTier, NoEffectOnInternal};

use super::context::Ctx;
use super::error::replace;
use super::names::Kind;
use crate::check::mismatch::{TypeMismatch, UnknownValue};
use crate::diag::at;
use crate::model::{self, Facing, HttpMode, Listener, Placement, Tier};
use crate::registry::service::HTTP;
use crate::syntax::ast::{Ident, TermKind, Value, dotted};

impl<'a> Ctx<'a> {
    /// `https via main.public with pay`, `internal https via main.private with pay`,
    /// `internal http via main.private` or `path "/orders/*" on api`.
    pub(super) fn exposure(&mut self, value: &'a Value, service: &Ident) -> Option<Exposed> {
        if value.has_invalid() {
            return None;
        }
        if let [first, path, on, service] = value.terms.as_slice()
            && word(first).as_deref() == Some("path")
        {
            return self.route(value, path, on, service);
        }
        let (facing, rest) = match value.terms.split_first() {
            Some((first, rest)) if word(first).as_deref() == Some("internal") => {
                (Facing::Internal, rest)
            }
            _ => (Facing::Internet, value.terms.as_slice()),
        };
        let (protocol, placement, certificate) = match (facing, rest) {
            (_, [protocol, via, placement, with, certificate])
                if word(via).as_deref() == Some("via") && word(with).as_deref() == Some("with") =>
            {
                (protocol, placement, Some(certificate))
            }
            (Facing::Internal, [protocol, via, placement])
                if word(via).as_deref() == Some("via") =>
            {
                (protocol, placement, None)
            }
            _ => {
                let placement = match rest {
                    [via, placement] if word(via).as_deref() == Some("via") => {
                        super::mismatch::value_text(&Value {
                            terms: vec![placement.clone()],
                            span: placement.span,
                        })
                    }
                    _ => "NETWORK.private".into(),
                };
                let help = match facing {
                    Facing::Internal => Some(format!(
                        "name the protocol: `internal https via {placement} with CERTIFICATE` (TLS with an existing certificate) or `internal http via {placement}` (plain HTTP, only inside the VPC and from its VPN)"
                    )),
                    Facing::Internet => None,
                };
                self.mismatch(value, EXPOSED_SHAPE, help);
                return None;
            }
        };
        // The placement and the certificate are read even when the protocol is wrong, so
        // their own mistakes are reported and the certificate counts as used.
        let protocol_ok = self.protocol(protocol, facing, certificate.is_some());
        let placement_value = Value {
            terms: vec![placement.clone()],
            span: placement.span,
        };
        let tier = self.placement_of(&placement_value);
        let certificate = certificate.map(|term| self.exposure_certificate(term));
        let tier = tier?;
        if !protocol_ok {
            return None;
        }
        let wanted = match facing {
            Facing::Internet => Tier::Public,
            Facing::Internal => Tier::Private,
        };
        if tier.tier != wanted {
            self.error(LoadBalancerTier {
                service: service.text.clone(),
                facing: match facing {
                    Facing::Internet => "internet-facing",
                    Facing::Internal => "internal",
                },
                tier: tier.tier.as_str(),
                wanted: wanted.as_str(),
                network: tier.network.to_string(),
                at: at(placement.span),
                help: Some(match facing {
                    Facing::Internet => format!(
                        "an internet-facing load balancer sits in public subnets: `via {}.public`; one reached only from the VPC and its VPN is internal: `exposed = internal https via {}.private with CERTIFICATE`",
                        tier.network, tier.network
                    ),
                    Facing::Internal => format!(
                        "an internal load balancer sits in private subnets, where only the VPC and its VPN reach it: `via {}.private`",
                        tier.network
                    ),
                }),
                fix: match facing {
                    // `internal` says what was meant; `https via X.private` might mean either.
                    Facing::Internal => replace(placement.span, format!("{}.private", tier.network)),
                    Facing::Internet => None,
                },
            });
            return None;
        }
        let listener = match certificate {
            Some(certificate) => Listener::Https(certificate?),
            None => Listener::Http,
        };
        Some(Exposed::Own(tier, facing, listener))
    }

    /// `path "/orders/*" on api`.
    fn route(
        &mut self,
        value: &'a Value,
        path: &'a crate::syntax::ast::Term,
        on: &'a crate::syntax::ast::Term,
        service: &'a crate::syntax::ast::Term,
    ) -> Option<Exposed> {
        let TermKind::String(path) = &path.kind else {
            self.mismatch(
                value,
                EXPOSED_SHAPE,
                Some("the path is quoted: `path \"/orders/*\" on api`".into()),
            );
            return None;
        };
        if !path.starts_with('/') || word(on).as_deref() != Some("on") {
            self.mismatch(
                value,
                EXPOSED_SHAPE,
                Some("write `path \"/orders/*\" on api`".into()),
            );
            return None;
        }
        let TermKind::Path(p) = &service.kind else {
            self.mismatch(value, EXPOSED_SHAPE, None);
            return None;
        };
        let [via] = p.as_slice() else {
            self.mismatch(value, EXPOSED_SHAPE, None);
            return None;
        };
        let decls = self.decls;
        let via = decls.resolve(via, &[Kind::Service], &mut self.errors)?;
        let path = self.fill(path, value.terms.get(1).map_or(0, |t| t.span.start + 1))?;
        Some(Exposed::Route(decls.id(&via.name.text)?, path))
    }

    /// The protocol word of an exposure: `https`, or for an internal one without a
    /// certificate, `http`.
    fn protocol(
        &mut self,
        protocol: &crate::syntax::ast::Term,
        facing: Facing,
        with_certificate: bool,
    ) -> bool {
        let expected = if with_certificate { "https" } else { "http" };
        match word(protocol).as_deref() {
            Some(w) if w == expected => true,
            Some("http") => {
                let (what, help) = match facing {
                    Facing::Internet => (
                        "protocol for an exposed service",
                        "payment traffic is served over TLS only; add `http = redirect` to also answer port 80 with a redirect",
                    ),
                    Facing::Internal => (
                        "protocol for a load balancer with a certificate",
                        "a certificate serves HTTPS: `internal https via NETWORK.private with CERTIFICATE`; plain HTTP takes none: `internal http via NETWORK.private`",
                    ),
                };
                self.error(UnknownValue {
                    what: what.into(),
                    value: "http".into(),
                    at: at(protocol.span),
                    options: "https".into(),
                    help: Some(help.into()),
                    fix: replace(protocol.span, "https"),
                });
                false
            }
            Some("https") => {
                self.error(TypeMismatch {
                    expected: "a certificate for HTTPS".into(),
                    found: "none".into(),
                    at: at(protocol.span),
                    help: Some("HTTPS needs an existing certificate: `internal https via NETWORK.private with CERTIFICATE`; plain HTTP inside the VPC is `internal http via NETWORK.private`".into()),
                });
                false
            }
            _ => {
                let text = super::mismatch::value_text(&Value {
                    terms: vec![protocol.clone()],
                    span: protocol.span,
                });
                self.unknown_word(&text, protocol.span, "protocol", &[expected]);
                false
            }
        }
    }

    /// The certificate named after `with`.
    fn exposure_certificate(
        &mut self,
        term: &'a crate::syntax::ast::Term,
    ) -> Option<model::Id<model::Certificate>> {
        let TermKind::Path(p) = &term.kind else {
            self.certificate_mismatch(term);
            return None;
        };
        let [name] = p.as_slice() else {
            self.certificate_mismatch(term);
            return None;
        };
        let decls = self.decls;
        decls
            .resolve(name, &[Kind::Certificate], &mut self.errors)
            .and_then(|d| decls.id(&d.name.text))
    }

    /// A certificate in `exposed = ... with CERTIFICATE` that is not a one-word name.
    fn certificate_mismatch(&mut self, term: &crate::syntax::ast::Term) {
        self.error(TypeMismatch {
            expected: "the name of an existing certificate".into(),
            found: term.kind.describe().into(),
            at: at(term.span),
            help: Some("write the name of an `existing certificate` block: `with pay`".into()),
        });
    }

    /// `http` on an internal plain-HTTP load balancer, whose one listener is port 80: a
    /// redirect has no HTTPS to go to; `off` or `forward` change nothing.
    pub(super) fn http_on_plain(&mut self, value: &'a Value, service: &Ident) -> Option<HttpMode> {
        let mode = self.word(value, "HTTP handling", HTTP.values())?;
        if mode == "redirect" {
            self.error(TypeMismatch {
                expected: "no `http` on a plain-HTTP internal load balancer".into(),
                found: "`redirect`".into(),
                at: at(value.span),
                help: Some("its only listener is port 80, and there is no HTTPS to redirect to; serve HTTPS (`exposed = internal https via NETWORK.private with CERTIFICATE`) or remove `http`".into()),
            });
            return None;
        }
        self.error(NoEffectOnInternal {
            setting: format!("http = {mode}"),
            service: service.text.clone(),
            at: at(value.span),
            help: Some("a plain-HTTP internal load balancer's only listener is port 80, which forwards to the service; remove `http`".into()),
        });
        Some(HttpMode::Off)
    }

    /// `waf` on an internal load balancer: `on` puts the web ACL in front of it; `off` is
    /// what it is already.
    pub(super) fn waf_internal(
        &mut self,
        value: &'a Value,
        service: &Ident,
    ) -> Option<Option<(Option<String>, crate::syntax::ast::Span)>> {
        let off = match super::hardening::with_reason(value) {
            Some((off, _)) => matches!(&off.kind, TermKind::Path(p) if dotted(p) == "off"),
            None => {
                self.word(
                    value,
                    "web application firewall",
                    crate::registry::service::WAF.values(),
                )? == "off"
            }
        };
        if !off {
            return Some(Some((None, value.span)));
        }
        self.error(NoEffectOnInternal {
            setting: "waf = off".into(),
            service: service.text.clone(),
            at: at(value.span),
            help: Some("an internal load balancer is reached only from the VPC and its VPN's networks and has no web application firewall unless it says `waf = on`; remove `waf`".into()),
        });
        Some(None)
    }

    /// `http = redirect | off | forward`; forwarding plain HTTP is allowed with a warning.
    pub(super) fn http_mode(&mut self, value: &'a Value, service: &Ident) -> Option<HttpMode> {
        match self.word(value, "HTTP handling", HTTP.values())? {
            "forward" => {
                self.error(HttpForwarded {
                    service: service.text.clone(),
                    at: at(value.span),
                    help: Some(
                        "answer port 80 with a redirect to HTTPS instead: `http = redirect`".into(),
                    ),
                    fix: replace(value.span, "redirect"),
                });
                Some(HttpMode::Forward)
            }
            word => http_mode_of(word),
        }
    }
}

/// What an `http` word other than `forward` (which is warned about) asks for; also what the
/// registry's default word means.
pub(super) fn http_mode_of(word: &str) -> Option<HttpMode> {
    match word {
        "redirect" => Some(HttpMode::Redirect),
        "off" => Some(HttpMode::Off),
        "forward" => Some(HttpMode::Forward),
        _ => None,
    }
}

/// How a service is exposed: its own load balancer, or a path on another's.
pub(super) enum Exposed {
    Own(Placement, Facing, Listener),
    Route(model::Id<model::Service>, String),
}

/// The forms of `exposed`, for type mismatches.
const EXPOSED_SHAPE: &str = "`https via NETWORK.public with CERTIFICATE`, `internal https via NETWORK.private with CERTIFICATE`, `internal http via NETWORK.private` or `path \"/orders/*\" on SERVICE`";

/// A one-word term's word.
fn word(t: &crate::syntax::ast::Term) -> Option<String> {
    match &t.kind {
        TermKind::Path(p) if p.len() == 1 => p.first().map(|i| i.text.clone()),
        _ => None,
    }
}
