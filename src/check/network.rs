//! The `network` block: a VPC range, zones, subnet sizes per tier, NAT and the VPN. The
//! subnets are carved here (aligned, disjoint, inside the VPC), so lowering never does address
//! arithmetic; placements like `main.private` are resolved here too.

mod diagnostics;
pub(crate) use diagnostics::{BadSubnetSize, SubnetsDoNotFit, TooManyZones};

use super::context::Ctx;
use super::error::replace;
use super::names::Kind;
use crate::aws;
use crate::check::mismatch::TypeMismatch;
use crate::check::names::UnknownMember;
use crate::diag::{at, did_you_mean};
use crate::model::{self, Id, NatMode, Network, Placement, Tier};
use crate::syntax::ast::{Block, Ident, Span, TermKind, Value, dotted};
use ipnet::Ipv4Net;

use crate::registry::network::{self as key, CIDR, NAT, PRIVATE, PUBLIC, VPN, ZONES};
/// A checked network and the spans the cross-block rules need.
pub(crate) struct NetworkFacts {
    pub cidr_span: Span,
}

impl<'a> Ctx<'a> {
    pub(crate) fn network(
        &mut self,
        name: &'a Ident,
        block: &'a Block,
        region: Option<(&str, Span)>,
    ) -> Option<(Network, NetworkFacts)> {
        let attrs = self.attrs::<key::Of>(name, block);
        let cidr = attrs.get(&CIDR).and_then(|v| self.cidr(v));
        let (least, most) = ZONES.bounds();
        let zones = attrs.get(&ZONES).and_then(|v| {
            self.count_as::<u8>(v, "the number of zones", least, most)
                .map(|z| (u64::from(z), z, v.span))
        });
        if let (Some((zones, _, span)), Some((region, region_span))) = (zones, region)
            && let Some(available) = aws::zones_in(region)
            && zones > u64::from(available)
        {
            self.error(TooManyZones {
                region: region.to_string(),
                available,
                zones,
                at: at(span),
                region_at: at(region_span),
            });
        }
        let public = attrs.get(&PUBLIC).and_then(|v| self.subnet_size(v));
        let private = attrs.get(&PRIVATE).and_then(|v| self.subnet_size(v));
        // Every attribute is read before any error ends the block: a bad `nat` must not hide
        // a bad `vpn`.
        let nat = self
            .word_or_default(&attrs, &NAT, "NAT mode")
            .map(|word| match word {
                "single" => NatMode::Single,
                _ => NatMode::PerZone,
            });
        let vpn = match attrs.get(&VPN) {
            Some(v) => self.reference(v, &[Kind::Vpn], "an existing VPN").map(Some),
            None => Some(None),
        };
        let (nat, vpn) = (nat?, vpn?);
        let (cidr, cidr_span) = cidr?;
        let (zones, zones_u8, _) = zones?;
        let ((public, public_span), (private, private_span)) = (public?, private?);
        for (size, span) in [(public, public_span), (private, private_span)] {
            if size <= cidr.prefix_len() {
                self.error(BadSubnetSize {
                    size: u64::from(size),
                    problem: format!("not smaller than the network's /{}", cidr.prefix_len()),
                    at: at(span),
                    label: format!("a /{size} subnet cannot sit inside {cidr}"),
                    help: Some(format!(
                        "subnets need a longer prefix than /{}, e.g. /{}",
                        cidr.prefix_len(),
                        (cidr.prefix_len() + 4).min(28)
                    )),
                });
                return None;
            }
        }
        let requests: Vec<u8> = std::iter::repeat_n(public, usize::from(zones_u8))
            .chain(std::iter::repeat_n(private, usize::from(zones_u8)))
            .collect();
        let Some(carved) = carve(cidr, &requests) else {
            let addresses = |prefix: u8| 1u64 << (32 - u32::from(prefix));
            let (needed, room) = if public == private {
                (
                    format!("{} /{public} subnets", zones * 2),
                    format!("{} /{}", 1u64 << (public - cidr.prefix_len()), public),
                )
            } else {
                let taken = zones * (addresses(public) + addresses(private));
                (
                    format!("{zones} /{public} and {zones} /{private} subnets"),
                    format!(
                        "{} addresses; they take {taken}",
                        addresses(cidr.prefix_len())
                    ),
                )
            };
            self.error(SubnetsDoNotFit {
                network: format!("network `{}`", name.text),
                needed,
                at: at(public_span.to(private_span)),
                cidr_at: at(cidr_span),
                cidr: cidr.to_string(),
                room,
                help: Some(
                    "use a larger network (a shorter prefix) or smaller subnets (a longer prefix)"
                        .into(),
                ),
            });
            return None;
        };
        let (public_subnets, private_subnets) = carved.split_at(usize::from(zones_u8));
        Some((
            Network {
                name: model::Name::checked(name.text.clone()),
                cidr,
                zones: zones_u8,
                public_subnets: public_subnets.to_vec(),
                private_subnets: private_subnets.to_vec(),
                nat,
                vpn: vpn.and_then(|i| self.decls.id(&i.text)),
                origin: self.origin(block.header_span),
            },
            NetworkFacts { cidr_span },
        ))
    }

    /// `/24 per zone` (or just `/24`): the prefix length of one subnet per zone.
    fn subnet_size(&mut self, value: &'a Value) -> Option<(u8, Span)> {
        let (value, _) = self.follow(value)?;
        if value.has_invalid() {
            return None;
        }
        let mut terms = value.terms.iter();
        let Some(first) = terms.next() else {
            self.mismatch(value, "a subnet size like `/24 per zone`", None);
            return None;
        };
        let TermKind::Prefix(size) = &first.kind else {
            let help = match &first.kind {
                TermKind::Quantity { number, unit: None } => {
                    Some(format!("write `/{number} per zone`"))
                }
                _ => Some("write a prefix length like `/24 per zone`".into()),
            };
            self.error(TypeMismatch {
                expected: "a subnet size like `/24 per zone`".into(),
                found: first.kind.describe().into(),
                at: at(first.span),
                help,
            });
            return None;
        };
        let rest: Vec<&str> = terms
            .map(|t| match &t.kind {
                TermKind::Path(p) => dotted(p),
                _ => String::new(),
            })
            .map(|s| if s == "per" || s == "zone" { "" } else { "?" })
            .collect();
        if !(rest.is_empty() || rest == ["", ""]) {
            self.mismatch(value, "a subnet size like `/24 per zone`", None);
            return None;
        }
        match size.parse::<u8>() {
            Ok(n) if (16..=28).contains(&n) => Some((n, first.span)),
            _ => {
                self.error(BadSubnetSize {
                    size: size.parse().unwrap_or(u64::MAX),
                    problem: "outside what AWS allows for a subnet".into(),
                    at: at(first.span),
                    label: "subnets are /16 to /28".into(),
                    help: None,
                });
                None
            }
        }
    }

    /// `main.private`: a network and one of its tiers.
    pub(crate) fn placement(&mut self, value: &'a Value) -> Option<Placement> {
        let (value, _) = self.follow(value)?;
        self.placement_of(value)
    }

    pub(crate) fn placement_of(&mut self, value: &Value) -> Option<Placement> {
        let shape = "a network tier like `main.private`";
        let term = match value.single() {
            Some(term) if !value.has_invalid() => term,
            _ => {
                self.mismatch(value, shape, None);
                return None;
            }
        };
        let TermKind::Path(path) = &term.kind else {
            self.mismatch(value, shape, None);
            return None;
        };
        let decls = self.decls;
        match path.as_slice() {
            [network_name, tier] => {
                let network = decls.resolve(network_name, &[Kind::Network], &mut self.errors);
                if network.is_some() {
                    decls.refer_member(&network_name.text, tier);
                }
                let tier = match tier.text.as_str() {
                    "public" => Some(Tier::Public),
                    "private" => Some(Tier::Private),
                    other => {
                        let suggestion = did_you_mean(other, ["public", "private"]);
                        self.error(UnknownMember {
                            name: other.to_string(),
                            owner: "a network".into(),
                            at: at(tier.span),
                            options: "public, private".into(),
                            help: suggestion.map(|s| format!("did you mean `{s}`?")),
                            fix: suggestion.and_then(|s| replace(tier.span, s)),
                        });
                        None
                    }
                };
                Some(Placement {
                    network: Id::new(
                        network?.ordinal,
                        model::Name::checked(network?.name.text.clone()),
                    ),
                    tier: tier?,
                })
            }
            [network] => {
                decls.resolve(network, &[Kind::Network], &mut self.errors);
                self.error(TypeMismatch {
                    expected: "a network tier".into(),
                    found: "a network".into(),
                    at: at(term.span),
                    help: Some(format!(
                        "say which half of the network: `{0}.private` or `{0}.public`",
                        network.text
                    )),
                });
                None
            }
            _ => {
                self.mismatch(value, shape, None);
                None
            }
        }
    }
}

/// Carves aligned, disjoint subnets of the requested prefix lengths out of `cidr`, in order.
pub(crate) fn carve(cidr: Ipv4Net, prefixes: &[u8]) -> Option<Vec<Ipv4Net>> {
    let mut next = u64::from(u32::from(cidr.network()));
    let end = u64::from(u32::from(cidr.broadcast())) + 1;
    let mut subnets = Vec::with_capacity(prefixes.len());
    for &prefix in prefixes {
        let size = 1u64.checked_shl(32 - u32::from(prefix))?;
        let start = next.div_ceil(size) * size;
        if start + size > end {
            return None;
        }
        subnets.push(Ipv4Net::new(u32::try_from(start).ok()?.into(), prefix).ok()?);
        next = start + size;
    }
    Some(subnets)
}
