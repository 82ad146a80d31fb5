//! Services: a launch template (IMDSv2, encrypted root volume, an instance profile that may
//! read only the secrets of the databases the service reads) and an Auto Scaling group in the
//! service's subnets, and its security group; its load balancer or route is `balancer`'s.

use super::expr::Expr;
use super::json::json;
use super::security::{self, Peer, Rule};
use super::{Root, attr, network, row_tag};
use crate::derived::table::{database, existing, service as row, stack as st};
use crate::model::{Arch, Image, Service, Stack, WritePath};

pub(super) fn lower(root: &mut Root, stack: &Stack) {
    if stack.services.is_empty() {
        return;
    }
    // The latest Amazon Linux 2023 of each architecture a service boots without `image`,
    // from the public SSM parameter AWS keeps current.
    for arch in [Arch::X86_64, Arch::Arm64] {
        if stack
            .services
            .iter()
            .any(|s| s.image == Image::AmazonLinux(arch))
        {
            root.data(
                &amazon_linux(stack, arch),
                json!({
                    "name": format!(
                        "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{}",
                        arch.as_str()
                    ),
                }),
                stack.origin,
            );
        }
    }
    for certificate in &stack.certificates {
        root.data(
            &existing::CERTIFICATE.at(&certificate.name, &[]),
            json!({ "domain": certificate.domain.clone(), "statuses": ["ISSUED"], "most_recent": true }),
            certificate.origin,
        );
    }
    for service in &stack.services {
        lower_service(root, stack, service);
    }
}

/// What the service's security group admits, as it is: from its own load balancer, from the
/// load balancer its route is on, from the networks the stack allows, or nothing at all.
fn group_description(service: &Service) -> String {
    let from = match (&service.exposure, &service.route, service.allow.is_empty()) {
        (Some(_), _, true) => "its port from its load balancer only".to_string(),
        (Some(_), _, false) => {
            "its port from its load balancer and the networks the stack allows".to_string()
        }
        (None, Some(r), true) => {
            format!("its port from the load balancer of service {} only", r.via)
        }
        (None, Some(r), false) => format!(
            "its port from the load balancer of service {} and the networks the stack allows",
            r.via
        ),
        (None, None, false) => "its port from the networks the stack allows only".to_string(),
        (None, None, true) => "no inbound traffic".to_string(),
    };
    format!("Service {}: {from}", service.name)
}

/// The lookup of the SSM parameter of Amazon Linux 2023 for `arch`.
fn amazon_linux(stack: &Stack, arch: Arch) -> crate::derived::Address {
    st::AMAZON_LINUX.at(&stack.name, &[arch.as_str()])
}

fn lower_service(root: &mut Root, stack: &Stack, service: &Service) {
    let name = &service.name;
    let origin = service.origin;
    let group = security::group(
        root,
        &row::GROUP,
        name,
        &service.placement.network,
        &group_description(service),
        origin,
    );
    for db in &service.reads {
        security::egress(
            root,
            Rule {
                name: row::TO_DATABASE.at(name, &[&db.address()]),
                group: &group,
                port: stack[db].port.get(),
                peer: Peer::Group(database::GROUP.at(db.name(), &[])),
                description: format!("{} to database {db}", stack[db].profile().family.label()),
            },
            origin,
        );
    }
    to_datacentre(root, stack, service);
    security::egress(
        root,
        Rule {
            name: row::HTTPS_OUT.at(name, &[]),
            group: &group,
            port: 443,
            peer: Peer::Cidr("0.0.0.0/0".into()),
            description: "HTTPS to AWS APIs through the NAT gateways".into(),
        },
        origin,
    );
    if let Some(exposure) = &service.exposure {
        super::balancer::load_balancer(root, stack, service, exposure);
    }
    if let Some(r) = &service.route {
        super::balancer::route(root, stack, service, r);
    }
    // The checker proves a service with `allow` has a port. A service routed by path is
    // reached through the load balancer, whose listener rule applies its list (`balancer`).
    let allowed = match (service.port, &service.route) {
        (Some(_), None) => service.allow.as_slice(),
        _ => &[][..],
    };
    for (i, cidr) in allowed.iter().enumerate() {
        security::ingress(
            root,
            Rule {
                name: row::ALLOW.at(name, &[&(i + 1).to_string()]),
                group: &group,
                port: service.port.map_or(0, |p| p.get()),
                peer: Peer::Cidr(cidr.to_string()),
                description: format!("From {cidr}, allowed by the stack"),
            },
            origin,
        );
    }
    identity(root, stack, service);
    super::boot::parameters(root, stack, service);
    let mut metadata = json!({ "http_endpoint": "enabled", "http_tokens": "required", "http_put_response_hop_limit": 1 });
    if super::boot::metadata_tags(service) {
        metadata.insert("instance_metadata_tags", json!("enabled"));
    }
    let mut template = json!({
            "name": root.aws(&row::LAUNCH_TEMPLATE, "name", name, &[]),
            "description": security::description(&format!("Instances of service {}", service.name)),
            "image_id": match &service.image {
                // A public AMI id, not a secret: read as the plain `insecure_value`.
                Image::AmazonLinux(arch) => json!(attr(
                    &amazon_linux(stack, *arch),
                    "insecure_value"
                )),
                Image::Ami(id) => json!(id.clone()),
            },
            "instance_type": service.instance_type.clone(),
            "vpc_security_group_ids": [attr(&group, "id")],
            "update_default_version": true,
            "iam_instance_profile": { "arn": attr(&row::PROFILE.at(name, &[]), "arn") },
            "metadata_options": metadata,
            "block_device_mappings": [{
                "device_name": "/dev/xvda",
                // Encrypted with the account's EBS key: a customer key would need a grant to the
                // Auto Scaling service-linked role, which may not exist before the first apply.
                "ebs": { "encrypted": "true", "volume_size": 20, "volume_type": "gp3", "delete_on_termination": "true" }
            }],
            "monitoring": { "enabled": true },
            "tags": row_tag(root, &row::LAUNCH_TEMPLATE, name, &[]),
    });
    super::boot::launch_template(service, &mut template);
    let launch_template = row::LAUNCH_TEMPLATE.at(name, &[]);
    root.resource(&launch_template, template, origin);
    let mut tags = vec![
        json!({ "key": "Name", "value": root.aws(&row::GROUP_OF_INSTANCES, "tag.Name", name, &[]), "propagate_at_launch": true }),
    ];
    tags.extend(super::boot::path_tag(root, service));
    let mut instances = json!({
        "name": root.aws(&row::GROUP_OF_INSTANCES, "name", name, &[]),
        "min_size": service.min,
        "max_size": service.max,
        "desired_capacity": service.min,
        "vpc_zone_identifier": network::subnet_ids(stack, &service.placement),
        "health_check_type": "EC2",
        "health_check_grace_period": 300,
        "launch_template": { "id": attr(&launch_template, "id"), "version": "$Latest" },
        "tag": tags,
    });
    // Instances that write a replicated database start after its writer name is where this
    // apply puts it. (That alone does not outlast resolvers' caches: the data rollback's
    // runbook switches the record in a targeted apply with the services at zero, and restores
    // their capacity in a later apply, once the record's TTL has passed.)
    let writers: Vec<String> = service
        .writes()
        .filter(|db| super::writer::has_names(stack, db.name()))
        .map(|db| super::writer::writer_record(db.name()).spelled())
        .collect();
    if !writers.is_empty() {
        instances.insert("depends_on", json!(writers));
    }
    if service.exposure.is_some() || service.route.is_some() {
        instances.insert(
            "target_group_arns",
            json!([attr(&row::TARGET_GROUP.at(name, &[]), "arn")]),
        );
        instances.insert("health_check_type", json!("ELB"));
    }
    let instances_at = row::GROUP_OF_INSTANCES.at(name, &[]);
    root.resource(&instances_at, instances, origin);
    root.resource(
        &row::CPU_POLICY.at(name, &[]),
        json!({
            "name": root.aws(&row::CPU_POLICY, "name", name, &[]),
            "autoscaling_group_name": attr(&instances_at, "name"),
            "policy_type": "TargetTrackingScaling",
            "target_tracking_configuration": {
                "predefined_metric_specification": { "predefined_metric_type": "ASGAverageCPUUtilization" },
                "target_value": 60
            },
        }),
        origin,
    );
}

/// Before a database's data cutover its writes go to the data centre's primary: egress from
/// a service that writes it to the networks behind the replication's VPN, on the source's port,
/// for as long as the writer is there (the checker proves the service's network has that VPN
/// and the service sits in its private tier, where the VPN's routes are propagated).
fn to_datacentre(root: &mut Root, stack: &Stack, service: &Service) {
    let group = row::GROUP.at(&service.name, &[]);
    for db in service.writes() {
        let WritePath::Replicated {
            replication,
            writer,
            ..
        } = stack.write_path(db)
        else {
            continue;
        };
        if writer.aws_writes_aurora() {
            continue;
        }
        let source = &replication.source;
        let vpn = &stack[&source.vpn];
        for (i, cidr) in vpn.networks.iter().enumerate() {
            security::egress(
                root,
                Rule {
                    name: super::writer::datacentre_rule(&service.name, db.name(), i),
                    group: &group,
                    port: source.port.get(),
                    peer: Peer::Cidr(cidr.to_string()),
                    description: format!(
                        "{} to the data centre primary of database {db} through VPN {}, until its data cutover",
                        source.engine.profile().family.label(),
                        vpn.name
                    ),
                },
                service.origin,
            );
        }
    }
}

/// The instance role: it may read only the secrets of the databases the service reads.
fn identity(root: &mut Root, stack: &Stack, service: &Service) {
    let name = &service.name;
    let origin = service.origin;
    let role = security::role(root, &row::ROLE, name, "ec2.amazonaws.com", origin);
    let mut secrets: Vec<Expr> = service
        .reads
        .iter()
        .map(|db| security::secret_arn(&stack.login_for(service, db).password.secret))
        .collect();
    secrets.sort();
    secrets.dedup();
    if !secrets.is_empty() {
        let policy = json!({
            "Version": "2012-10-17",
            "Statement": [{ "Sid": "ReadDatabaseCredentials", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secrets }]
        });
        root.resource(
            &row::SECRETS_POLICY.at(name, &[]),
            json!({ "name": root.aws(&row::SECRETS_POLICY, "name", name, &[]), "role": attr(&role, "id"), "policy": policy.compact() }),
            origin,
        );
    }
    root.resource(
        &row::PROFILE.at(name, &[]),
        json!({ "name": root.aws(&row::PROFILE, "name", name, &[]), "role": attr(&role, "name") }),
        origin,
    );
}
