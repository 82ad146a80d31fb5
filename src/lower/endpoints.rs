//! VPC endpoints: a replication instance in private subnets reads its endpoints' credentials
//! from Secrets Manager itself (DMS 3.4.7 and later), so each network that runs a replication
//! gets an interface endpoint for Secrets Manager in its private subnets, with private DNS
//! (the API's usual name resolves to the endpoint inside the VPC), and a security group that
//! admits HTTPS only from the components that call it: the replications (and the fallbacks of
//! data cutovers), and the services that read a database's secret (private DNS sends them
//! there too). The replication's own
//! group lets HTTPS out to the endpoint's group and nowhere else ("Configuring VPC endpoints
//! for AWS DMS", AWS DMS User Guide; `docs/verify.md` says why an endpoint rather than the NAT
//! gateway).

use super::json::json;
use super::security::{self, Peer, Rule};
use super::{Root, attr, network, row_tag};
use crate::derived::Address;
use crate::derived::table::{network as row, replication, service};
use crate::model::{Origin, Placement, Stack, Tier};

/// The API every endpoint here serves.
const API: &str = "secretsmanager";

pub(super) fn lower(root: &mut Root, stack: &Stack) {
    for net in &stack.networks {
        let replications: Vec<_> = stack
            .replications
            .iter()
            .filter(|r| stack[&r.target].placement.network.name() == &net.name)
            .collect();
        let Some(first) = replications.first() else {
            continue;
        };
        // A data cutover's fallback runs in its forward replication's subnets and reads its
        // endpoints' credentials the same way.
        let instances: Vec<(&crate::model::Name, &str, Origin)> = replications
            .iter()
            .map(|r| (&r.name, "replication", r.origin))
            .chain(
                stack
                    .owned_data_cutovers()
                    .filter(|d| replications.iter().any(|r| r.name == *d.replication.name()))
                    .map(|d| (&d.name, "the fallback of data cutover", d.origin)),
            )
            .collect();
        let n = &net.name;
        let origin = first.origin;
        let placement = Placement {
            network: stack[&first.target].placement.network.clone(),
            tier: Tier::Private,
        };
        let group = security::group(
            root,
            &row::ENDPOINT_GROUP,
            n,
            &placement.network,
            &format!("Secrets Manager endpoint of network {n}: HTTPS from its callers only"),
            origin,
        );
        // Its callers: the replications (whose own group lets HTTPS out to it only), and the
        // services that read a database's secret.
        let mut callers: Vec<(Address, String, String, Origin)> = Vec::new();
        for (block, kind, block_origin) in instances {
            let own = replication::GROUP.at(block, &[]);
            security::egress(
                root,
                Rule {
                    name: replication::TO_SECRETS_MANAGER.at(block, &[]),
                    group: &own,
                    port: 443,
                    peer: Peer::Group(group.clone()),
                    description:
                        "HTTPS to the Secrets Manager endpoint, to read the DMS endpoint credentials"
                            .into(),
                },
                block_origin,
            );
            callers.push((
                own,
                block.address(),
                format!("{kind} {block}"),
                block_origin,
            ));
        }
        callers.extend(
            stack
                .services
                .iter()
                .filter(|s| s.placement.network.name() == n && !s.reads.is_empty())
                .map(|s| {
                    (
                        service::GROUP.at(&s.name, &[]),
                        s.name.address(),
                        format!("service {}", s.name),
                        s.origin,
                    )
                }),
        );
        for (caller, address, label, origin) in callers {
            security::ingress(
                root,
                Rule {
                    name: row::ENDPOINT_FROM.at(n, &[&address]),
                    group: &group,
                    port: 443,
                    peer: Peer::Group(caller),
                    description: format!("HTTPS from {label}"),
                },
                origin,
            );
        }
        root.resource(
            &row::ENDPOINT.at(n, &[]),
            json!({
                "vpc_id": attr(&row::VPC.at(n, &[]), "id"),
                "service_name": format!("com.amazonaws.{}.{API}", stack.region),
                "vpc_endpoint_type": "Interface",
                "private_dns_enabled": true,
                "subnet_ids": network::subnet_ids(stack, &placement),
                "security_group_ids": [attr(&group, "id")],
                "tags": row_tag(root, &row::ENDPOINT, n, &[]),
            }),
            origin,
        );
    }
}
