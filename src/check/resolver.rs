//! The data centre's DNS as an `existing vpn` declares it (`dns`, `domains`) is used by one
//! thing only: the Route 53 Resolver outbound endpoint and forwarding rules of a network that
//! replicates from a name only those servers know (`crate::lower::resolver`). A VPN whose `dns`
//! no such replication needs, or a `domains` entry no replication's source host lies under,
//! builds nothing: PMG0847, a warning (the setting is idle, not harmful). It runs only once
//! every block checks: a replication that failed to check would look absent.

mod diagnostics;
pub(crate) use diagnostics::IdleVpnDns;

use super::context::Ctx;
use super::spans::value_span;
use crate::derived::enumerate::resolver_zones;
use crate::diag::at;
use crate::model::Stack;
use crate::registry::{Key, vpn};

pub(crate) fn check(ctx: &mut Ctx, stack: &Stack) {
    for vpn in &stack.vpns {
        let name = vpn.name.as_str();
        // The zones forwarded to the VPN's servers, over every network that attaches it.
        let mut used: Vec<String> = stack
            .networks
            .iter()
            .filter(|n| n.vpn.as_ref().is_some_and(|v| v.name() == &vpn.name))
            .flat_map(|n| resolver_zones(stack, n, vpn))
            .collect();
        used.sort();
        used.dedup();
        let mut idle: Vec<(&Key<vpn::Of>, String)> = Vec::new();
        if !vpn.dns.is_empty() && used.is_empty() {
            idle.push((
                &vpn::DNS,
                "no replication into a network it is attached to reads from a name only the data centre's DNS servers know (under `internal`, `local`, `corp`… or its `domains`)".into(),
            ));
        }
        let unused: Vec<&String> = vpn
            .domains
            .iter()
            .filter(|d| {
                let d = d.trim_end_matches('.').to_ascii_lowercase();
                !used.contains(&d)
            })
            .collect();
        if !unused.is_empty() {
            let list: Vec<String> = unused.iter().map(|d| format!("`{d}`")).collect();
            idle.push((
                &vpn::DOMAINS,
                format!(
                    "no replication into a network it is attached to reads from a host under {}",
                    list.join(", ")
                ),
            ));
        }
        for (key, why) in idle {
            let setting = key.name();
            let Some(span) = value_span(ctx, name, key) else {
                continue;
            };
            ctx.error(IdleVpnDns {
                vpn: name.to_string(),
                setting,
                why,
                at: at(span),
                help: Some(format!(
                    "the VPC forwards to the data centre's DNS servers only the names a replication's source needs; remove `{setting}` from VPN `{name}` (or from the workspace that sets it), or name the source by a host under it"
                )),
            });
        }
    }
}
