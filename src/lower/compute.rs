//! Services: a launch template (IMDSv2, encrypted root volume, an instance profile that may
//! read only the secrets of the databases the service reads) and an Auto Scaling group in the
//! service's subnets; when exposed, an internet-facing ALB in the public subnets with an HTTPS
//! listener (TLS 1.2+, the existing ACM certificate), an optional HTTP listener that only
//! redirects, and security groups that open exactly internet → ALB:443 → service:port.

use super::expr::Expr;
use super::json::json;
use super::security::{self, Peer, Rule};
use super::{Root, attr, name_tag, network};
use crate::model::{Arch, Exposure, HttpMode, Image, Route, Service, Stack};

/// Port 80 open to the internet on a listener that only redirects: the accepted practice.
const REDIRECT_WAIVERS: [security::Waiver; 1] = [security::Waiver {
    check: "CKV_AWS_260",
    reason: "port 80 only answers with a permanent redirect to HTTPS (http = redirect); no request reaches the service unencrypted, and clients typing the bare host name still arrive",
}];

/// The TLS policy of every HTTPS listener: TLS 1.3 and 1.2 only.
pub const TLS_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

pub fn lower(root: &mut Root, stack: &Stack) {
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
                "aws_ssm_parameter",
                &amazon_linux(arch),
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
            "aws_acm_certificate",
            &certificate.name.address(),
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
        (None, Some(r), true) => format!("its port from service {}'s load balancer only", r.via),
        (None, Some(r), false) => format!(
            "its port from service {}'s load balancer and the networks the stack allows",
            r.via
        ),
        (None, None, false) => "its port from the networks the stack allows only".to_string(),
        (None, None, true) => "no inbound traffic".to_string(),
    };
    format!("Service {}: {from}", service.name)
}

/// The address of the SSM parameter of Amazon Linux 2023 for `arch`.
fn amazon_linux(arch: Arch) -> String {
    format!("amazon_linux_{}", arch.as_str())
}

fn lower_service(root: &mut Root, stack: &Stack, service: &Service) {
    let s = service.name.address();
    let origin = service.origin;
    security::group(
        root,
        &s,
        &service.name,
        "svc",
        &service.placement.network,
        &group_description(service),
        origin,
    );
    for db in &service.reads {
        security::egress(
            root,
            Rule {
                name: format!("{s}_to_{}", db.address()),
                group: &s,
                port: stack[db].port.get(),
                peer: Peer::Group(db.address()),
                description: format!("{} to database {db}", stack[db].profile().family.label()),
            },
            origin,
        );
    }
    security::egress(
        root,
        Rule {
            name: format!("{s}_https_out"),
            group: &s,
            port: 443,
            peer: Peer::Cidr("0.0.0.0/0".into()),
            description: "HTTPS to AWS APIs through the NAT gateways".into(),
        },
        origin,
    );
    if let Some(exposure) = &service.exposure {
        load_balancer(root, stack, service, exposure);
    }
    if let Some(r) = &service.route {
        route(root, service, r);
    }
    // The checker proves a service with `allow` has a port.
    let allowed = service.port.map_or(&[][..], |_| service.allow.as_slice());
    for (i, cidr) in allowed.iter().enumerate() {
        security::ingress(
            root,
            Rule {
                name: format!("{s}_allow_{}", i + 1),
                group: &s,
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
            "name": root.aws_name(&service.name, ""),
            "description": format!("Instances of service {}", service.name),
            "image_id": match &service.image {
                // A public AMI id, not a secret: read as the plain `insecure_value`.
                Image::AmazonLinux(arch) => json!(Expr::data(
                    "aws_ssm_parameter",
                    &amazon_linux(*arch),
                    "insecure_value"
                )),
                Image::Ami(id) => json!(id.clone()),
            },
            "instance_type": service.instance_type.clone(),
            "vpc_security_group_ids": [attr("aws_security_group", &s, "id")],
            "update_default_version": true,
            "iam_instance_profile": { "arn": attr("aws_iam_instance_profile", &s, "arn") },
            "metadata_options": metadata,
            "block_device_mappings": [{
                "device_name": "/dev/xvda",
                // Encrypted with the account's EBS key: a customer key would need a grant to the
                // Auto Scaling service-linked role, which may not exist before the first apply.
                "ebs": { "encrypted": "true", "volume_size": 20, "volume_type": "gp3", "delete_on_termination": "true" }
            }],
            "monitoring": { "enabled": true },
            "tags": name_tag(root.aws_name(&service.name, "")),
    });
    super::boot::launch_template(service, &mut template);
    root.resource("aws_launch_template", &s, template, origin);
    let mut tags = vec![
        json!({ "key": "Name", "value": root.aws_name(&service.name, ""), "propagate_at_launch": true }),
    ];
    tags.extend(super::boot::path_tag(root, service));
    let mut group = json!({
        "name": root.aws_name(&service.name, ""),
        "min_size": service.min,
        "max_size": service.max,
        "desired_capacity": service.min,
        "vpc_zone_identifier": network::subnet_ids(stack, &service.placement),
        "health_check_type": "EC2",
        "health_check_grace_period": 300,
        "launch_template": { "id": attr("aws_launch_template", &s, "id"), "version": "$Latest" },
        "tag": tags,
    });
    if service.exposure.is_some() || service.route.is_some() {
        group.insert(
            "target_group_arns",
            json!([attr("aws_lb_target_group", &s, "arn")]),
        );
        group.insert("health_check_type", json!("ELB"));
    }
    root.resource("aws_autoscaling_group", &s, group, origin);
    root.resource(
        "aws_autoscaling_policy",
        &format!("{s}_cpu"),
        json!({
            "name": root.aws_name(&service.name, "cpu"),
            "autoscaling_group_name": attr("aws_autoscaling_group", &s, "name"),
            "policy_type": "TargetTrackingScaling",
            "target_tracking_configuration": {
                "predefined_metric_specification": { "predefined_metric_type": "ASGAverageCPUUtilization" },
                "target_value": 60
            },
        }),
        origin,
    );
}

/// The instance role: it may read only the secrets of the databases the service reads.
fn identity(root: &mut Root, stack: &Stack, service: &Service) {
    let s = service.name.address();
    let origin = service.origin;
    let aws = root.aws_name(&service.name, "");
    security::role(root, &s, &aws, "ec2.amazonaws.com", origin);
    let mut secrets: Vec<Expr> = service
        .reads
        .iter()
        .map(|db| security::secret_arn(&stack[db].password.secret))
        .collect();
    secrets.sort();
    secrets.dedup();
    if !secrets.is_empty() {
        let policy = json!({
            "Version": "2012-10-17",
            "Statement": [{ "Sid": "ReadDatabaseCredentials", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secrets }]
        });
        root.resource(
            "aws_iam_role_policy",
            &format!("{s}_secrets"),
            json!({ "name": "read-database-credentials", "role": attr("aws_iam_role", &s, "id"), "policy": policy.compact() }),
            origin,
        );
    }
    root.resource(
        "aws_iam_instance_profile",
        &s,
        json!({ "name": aws, "role": attr("aws_iam_role", &s, "name") }),
        origin,
    );
}

/// The service's target group and the two rules that let `alb` (a load balancer's security
/// group) reach the service port and nothing else.
fn target(root: &mut Root, service: &Service, alb: &str) {
    let s = service.name.address();
    let origin = service.origin;
    // The checker proves a service behind a load balancer has a port.
    let Some(port) = service.port.map(|p| p.get()) else {
        return;
    };
    security::egress(
        root,
        Rule {
            name: format!("{alb}_to_{s}"),
            group: alb,
            port,
            peer: Peer::Group(s.clone()),
            description: format!("To service {} on its port", service.name),
        },
        origin,
    );
    security::ingress(
        root,
        Rule {
            name: format!("{s}_from_{alb}"),
            group: &s,
            port,
            peer: Peer::Group(alb.to_string()),
            description: "From its load balancer".into(),
        },
        origin,
    );
    root.resource(
        "aws_lb_target_group",
        &s,
        json!({
            "name": root.aws_name(&service.name, ""),
            "port": port,
            "protocol": "HTTP",
            "target_type": "instance",
            "vpc_id": attr("aws_vpc", &service.placement.network.address(), "id"),
            "deregistration_delay": "30",
            "health_check": {
                "enabled": true,
                "path": service.health_path.clone(),
                "port": port.to_string(),
                "protocol": "HTTP",
                "matcher": "200",
                "interval": 15,
                "timeout": 5,
                "healthy_threshold": 3,
                "unhealthy_threshold": 3
            },
            "tags": name_tag(root.aws_name(&service.name, "")),
        }),
        origin,
    );
}

/// `exposed = path "/orders/*" on api`: a rule on the HTTPS listener of `api`'s load balancer.
fn route(root: &mut Root, service: &Service, route: &Route) {
    let s = service.name.address();
    let via = route.via.address();
    target(root, service, &format!("{via}_alb"));
    root.resource(
        "aws_lb_listener_rule",
        &s,
        json!({
            "listener_arn": attr("aws_lb_listener", &format!("{via}_https"), "arn"),
            "condition": [{ "path_pattern": { "values": [route.path.clone()] } }],
            "action": [{ "type": "forward", "target_group_arn": attr("aws_lb_target_group", &s, "arn") }],
            "tags": name_tag(root.aws_name(&service.name, "")),
        }),
        service.origin,
    );
}

fn load_balancer(root: &mut Root, stack: &Stack, service: &Service, exposure: &Exposure) {
    let s = service.name.address();
    let alb = format!("{s}_alb");
    let origin = service.origin;
    security::group(
        root,
        &alb,
        &service.name,
        "alb",
        &exposure.placement.network,
        &format!(
            "Load balancer of service {}: HTTPS from the internet",
            service.name
        ),
        origin,
    );
    let mut listeners = vec![("https", 443, "HTTPS from the internet")];
    match exposure.http {
        HttpMode::Off => {}
        HttpMode::Redirect => listeners.push((
            "http",
            80,
            "HTTP from the internet, answered with a redirect to HTTPS",
        )),
        HttpMode::Forward => {
            listeners.push(("http", 80, "HTTP from the internet, forwarded unencrypted"))
        }
    }
    for (suffix, port, description) in listeners {
        let rule = Rule {
            name: format!("{alb}_{suffix}"),
            group: &alb,
            port,
            peer: Peer::Cidr("0.0.0.0/0".into()),
            description: description.into(),
        };
        match (port, exposure.http) {
            (80, HttpMode::Redirect) => {
                security::ingress_waived(root, rule, origin, &REDIRECT_WAIVERS)
            }
            _ => security::ingress(root, rule, origin),
        }
    }
    target(root, service, &alb);
    let mut balancer = json!({
        "name": root.aws_name(&service.name, ""),
        "internal": false,
        "load_balancer_type": "application",
        "security_groups": [attr("aws_security_group", &alb, "id")],
        "subnets": network::subnet_ids(stack, &exposure.placement),
        "drop_invalid_header_fields": true,
        "enable_deletion_protection": true,
        "tags": name_tag(root.aws_name(&service.name, "")),
    });
    if let Some(waivers) = super::waf::load_balancer_waivers(service) {
        balancer.insert("//", waivers);
    }
    super::edge::attach_access_logs(stack, &service.name, &mut balancer);
    root.resource("aws_lb", &s, balancer, origin);
    let forward =
        json!([{ "type": "forward", "target_group_arn": attr("aws_lb_target_group", &s, "arn") }]);
    root.resource(
        "aws_lb_listener",
        &format!("{s}_https"),
        json!({
            "load_balancer_arn": attr("aws_lb", &s, "arn"),
            "port": 443,
            "protocol": "HTTPS",
            "ssl_policy": TLS_POLICY,
            "certificate_arn": Expr::data("aws_acm_certificate", &exposure.certificate.address(), "arn"),
            "default_action": forward.clone(),
        }),
        origin,
    );
    let http_action = match exposure.http {
        HttpMode::Off => return,
        HttpMode::Redirect => {
            json!([{ "type": "redirect", "redirect": { "port": "443", "protocol": "HTTPS", "status_code": "HTTP_301" } }])
        }
        HttpMode::Forward => forward,
    };
    root.resource(
        "aws_lb_listener",
        &format!("{s}_http"),
        json!({
            "load_balancer_arn": attr("aws_lb", &s, "arn"),
            "port": 80,
            "protocol": "HTTP",
            "default_action": http_action,
        }),
        origin,
    );
}
